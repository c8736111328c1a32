/**
 * `comb` as a person runs it: the compiled bin (`dist/cli/main.js`) as a child process, in a home folder of
 * its own (HOME and XDG_CONFIG_HOME point into a temp dir, so no real configuration is read or written).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from '../server/process.ts';

export const COMB = join(root, 'dist', 'cli', 'main.js');

export interface CombResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CombRun {
  child: ReturnType<typeof spawn>;
  stderr: () => string;
  done: Promise<CombResult>;
}

/** A home folder for one test file; `env` is what every run gets (plus what a call adds). */
export class CombHome {
  readonly dir = mkdtempSync(join(tmpdir(), 'comb-home-'));
  constructor(readonly env: Record<string, string> = {}) {}

  get configDir(): string {
    return join(this.dir, '.config', 'comb');
  }

  start(args: string[], env: Record<string, string> = {}, stdin?: string): CombRun {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('COMB_') && k !== 'XDG_CONFIG_HOME'));
    const child = spawn(process.execPath, [COMB, ...args], {
      cwd: this.dir, env: { ...clean, HOME: this.dir, ...this.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.stdin!.end(stdin ?? '');
    const done = new Promise<CombResult>((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
    return { child, stderr: () => stderr, done };
  }

  run(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<CombResult> {
    return this.start(args, env, stdin).done;
  }

  /** Runs a command that must succeed and returns its stdout parsed as JSON (`--output json` is added). */
  async json(args: string[], env: Record<string, string> = {}): Promise<any> {
    const r = await this.run([...args, '--output', 'json'], env);
    if (r.code !== 0) throw new Error(`comb ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Resolves once `read()` contains `text` (a live status line), polling the child's output as it arrives. */
export async function until(read: () => string, text: string | RegExp, run: CombRun): Promise<void> {
  for (;;) {
    const seen = read();
    if (typeof text === 'string' ? seen.includes(text) : text.test(seen)) return;
    if (run.child.exitCode !== null) throw new Error(`exited before showing ${text}: ${seen}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
