/**
 * `--wait`: polls a resource until its status is terminal, with a live status line on stderr (rewritten in
 * place on a terminal, one line per change otherwise). A `*_succ` status ends it; `*_fail` or `*_timeout`
 * is a failure (exit code 1), as is running out of time (`--timeout`).
 */
import { WaitFailedError } from '../client/index.ts';
import type { Ctx } from './context.ts';
import { int } from './context.ts';

export interface WaitFlags {
  wait?: boolean;
  timeout?: string;
}

export const WAIT_HELP = 'wait until the operation is done, showing its status (exit code 1 on a failure state)';
export const TIMEOUT_HELP = 'with --wait: give up after this many seconds (default 600)';

/** Time between reads: `COMB_POLL_MS` (default 1000). */
const pollMs = () => Number(process.env.COMB_POLL_MS) || 1000;

export async function waitForStatus<T>(ctx: Ctx, flags: WaitFlags, label: string, read: () => Promise<T>, statusOf: (value: T) => string): Promise<T> {
  const tty = process.stderr.isTTY === true;
  let shown = '';
  const show = (status: string) => {
    if (status === shown) return;
    shown = status;
    process.stderr.write(tty ? `\r\x1b[K${label}: ${status}` : `${label}: ${status}\n`);
  };
  try {
    return await ctx.api.waitFor(read, (v) => statusOf(v).endsWith('_succ'), {
      timeoutMs: (flags.timeout === undefined ? 600 : int(flags.timeout, '--timeout')) * 1000,
      intervalMs: pollMs(),
      onPoll: (v) => show(statusOf(v)),
      failed: (v) => /_(fail|timeout)$/.test(statusOf(v)) && statusOf(v),
    });
  } catch (err) {
    if (err instanceof WaitFailedError) throw new WaitFailedError(err.last, `${label}: ${statusOf(err.last as T)}`);
    throw err;
  } finally {
    if (tty && shown) process.stderr.write('\n');
  }
}
