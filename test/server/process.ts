/**
 * The server as a person runs it: the compiled entry point (`node dist/main.js`, what `npm start` and the
 * `opencomb` bin run) as a child process, its output, its exit code.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('../..', import.meta.url).pathname;
export const MAIN = join(root, 'dist', 'main.js');

/**
 * dist/ must be the build of the current src/ (`npm test` builds it first; run `npm run build` otherwise).
 * Every build rewrites dist/main.js (the esbuild bundle, scripts/bundle.ts), while the incremental tsc leaves
 * a file alone whose source was rewritten unchanged, so a source newer than dist/main.js means no build since.
 */
export function assertBuilt(): void {
  const built = existsSync(MAIN) ? statSync(MAIN).mtimeMs : 0;
  const stale = (readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')) // declarations alone compile to nothing
    .filter((f) => {
      const js = join(root, 'dist', f.replace(/\.ts$/, '.js'));
      return !existsSync(js) || built < statSync(join(root, 'src', f)).mtimeMs;
    });
  assert.deepEqual(stale, [], 'dist/ is older than src/: run `npm run build`');
}

export interface Proc {
  child: ChildProcess;
  url: string;
  /** stdout and stderr so far. */
  out: () => string;
  stdout: () => string;
  exit: Promise<number | null>;
}

/** Starts `node dist/main.js` (or another command) and resolves once it printed its listening line. */
export function startCli(args: string[], env: Record<string, string> = {}, command: string[] = [process.execPath, MAIN]): Promise<Proc> {
  const child = spawn(command[0]!, [...command.slice(1), ...args], {
    cwd: root, env: { ...process.env, OPENCOMB_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let stdout = '';
  child.stdout!.on('data', (d) => {
    out += d;
    stdout += d;
  });
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no listening line: ${out}`));
    }, 30_000);
    child.stdout!.on('data', () => {
      // What a tool does with the start-up line: the URL runs up to the first space, in any log format.
      const m = /listening on (https?:\/\/[^ ]*) \(store /.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, out: () => out, stdout: () => stdout, exit });
      }
    });
    exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${out}`));
    });
  });
}

export async function stop(p: Proc): Promise<number | null> {
  p.child.kill('SIGTERM');
  return p.exit;
}

/** Runs the entry point to its end (a bad flag, `--help`): exit code and both streams. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000); // a start that should have failed but runs
  return new Promise((resolve) => child.once('exit', (code) => {
    clearTimeout(timer);
    resolve({ code, stdout, stderr });
  }));
}
