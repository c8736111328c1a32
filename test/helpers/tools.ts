import { spawnSync } from 'node:child_process';

/**
 * Why a test that shells out to `command` cannot run here (undefined when it can): a clone on a machine with
 * Node alone still tests green, and the summary says what was skipped and why.
 */
export function missingTool(command: string, probeArgs: string[] = ['-V']): string | undefined {
  const r = spawnSync(command, probeArgs, { stdio: 'ignore' });
  return r.error ? `${command} is not installed` : undefined;
}
