/**
 * What `comb` prints: tables for people, `--output json` for scripts (the API's own answer, indented), and
 * errors as one line on stderr with an exit code scripts can branch on.
 */
import Table from 'cli-table3';
import { ApiError, UnexpectedResponseError, WaitFailedError, WaitTimeoutError } from '../client/index.ts';

/** Exit codes: 0 done; 1 the API refused (or `--wait` ended in a failure state or timed out); 2 bad usage or configuration; 3 no answer. */
export const EXIT = { ok: 0, api: 1, usage: 2, unreachable: 3 } as const;

/** A mistake of the person running the command (a missing flag, an unreadable file): exit code 2. */
export class UsageError extends Error {}

export type Format = 'table' | 'json';

/** A column: its heading and how to read it from a row. */
export type Column<T> = [heading: string, read: (row: T) => unknown];

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export class Output {
  constructor(readonly format: Format, private readonly out: NodeJS.WritableStream = process.stdout) {}

  /** A list: one row per item in a table, or `answer` as is in JSON. */
  list<T>(answer: unknown, rows: T[], columns: Column<T>[]): void {
    if (this.format === 'json') return this.json(answer);
    if (rows.length === 0) {
      this.out.write('(none)\n');
      return;
    }
    const table = new Table({ head: columns.map(([h]) => h), style: { head: [], border: [] } });
    for (const row of rows) table.push(columns.map(([, read]) => cell(read(row))));
    this.out.write(`${table.toString()}\n`);
  }

  /** One object: field and value, one per line, or the object as is in JSON. */
  item(answer: unknown, fields?: Record<string, unknown>): void {
    if (this.format === 'json') return this.json(answer);
    const table = new Table({ style: { head: [], border: [] } });
    for (const [k, v] of Object.entries(fields ?? (answer as Record<string, unknown>) ?? {})) table.push({ [k]: cell(v) });
    this.out.write(`${table.toString()}\n`);
  }

  /** An action with no answer body: a line for people, `{}`-shaped facts for scripts. */
  done(text: string, facts: Record<string, unknown> = {}): void {
    if (this.format === 'json') return this.json({ ok: true, ...facts });
    this.out.write(`${text}\n`);
  }

  json(value: unknown): void {
    this.out.write(`${JSON.stringify(value ?? null, null, 2)}\n`);
  }
}

/** The line printed for a failure, and the exit code it means. */
export function describeFailure(err: unknown, endpoint: string): { line: string; code: number } {
  if (err instanceof ApiError) return { line: `${err.code} ${err.message}${err.requestId ? ` (request ${err.requestId})` : ''}`, code: EXIT.api };
  if (err instanceof WaitFailedError || err instanceof WaitTimeoutError) return { line: err.message, code: EXIT.api };
  if (err instanceof UnexpectedResponseError) return { line: err.message, code: EXIT.api };
  if (err instanceof UsageError) return { line: err.message, code: EXIT.usage };
  if (err instanceof TypeError && err.message === 'fetch failed') {
    // undici's cause: a system error, or an AggregateError of one per address tried
    const cause = (err as { cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> } }).cause;
    const code = cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message;
    return { line: `cannot reach ${endpoint}${code ? ` (${code})` : ''}`, code: EXIT.unreachable };
  }
  return { line: err instanceof Error ? err.message : String(err), code: EXIT.api };
}
