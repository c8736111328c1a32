/**
 * What every command is handed: the client (built from the resolved settings on first use), the output
 * in the chosen format, and small readers for arguments people type.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { OpencombClient } from '../client/index.ts';
import { resolveSettings, type Settings } from './config.ts';
import { Output, UsageError, type Format } from './output.ts';

export interface GlobalFlags {
  endpoint?: string;
  profile?: string;
  output: string;
}

export class Ctx {
  readonly out: Output;
  private resolved?: Settings;
  private client?: OpencombClient;

  constructor(private readonly flags: GlobalFlags) {
    if (flags.output !== 'table' && flags.output !== 'json') throw new UsageError(`--output: table or json, not ${flags.output}`);
    this.out = new Output(flags.output as Format);
  }

  /** Resolved on first use: `comb login` runs before its profile exists. */
  get settings(): Settings {
    this.resolved ??= resolveSettings(this.flags);
    return this.resolved;
  }

  /** The client of the public API: needs the Access Key pair. */
  get api(): OpencombClient {
    const { appKey, appSecret } = this.settings;
    if (!appKey || !appSecret) throw new UsageError('no credentials: set COMB_APP_KEY and COMB_APP_SECRET, or run `comb login`');
    return this.admin;
  }

  /** The client for the operator API (`comb admin`) and open endpoints: the pair is optional. */
  get admin(): OpencombClient {
    const { endpoint, appKey, appSecret, operatorToken } = this.settings;
    this.client ??= new OpencombClient({ endpoint, appKey, appSecret, operatorToken });
    return this.client;
  }
}

/**
 * A commander action running `fn` with the context and the command's positional arguments and options
 * (its own and the global ones). Failures propagate to main.ts, which prints them and sets the exit code.
 */
export function act<O = any>(fn: (ctx: Ctx, args: any[], opts: O) => Promise<void>) {
  return async (...all: unknown[]) => {
    const command = all.at(-1) as Command;
    const opts = command.optsWithGlobals() as O & GlobalFlags;
    await fn(new Ctx(opts), command.processedArgs, opts);
  };
}

/** A JSON body from `-f FILE` (`-` reads stdin). */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${path} is not JSON: ${(err as Error).message}`);
  }
}

/** `KEY=VALUE` pairs, as typed (`--env`, `comb api` parameters, quotas). */
export function pairs(items: string[], what: string): Array<[string, string]> {
  return items.map((item) => {
    const at = item.indexOf('=');
    if (at <= 0) throw new UsageError(`${what}: KEY=VALUE, not ${item}`);
    return [item.slice(0, at), item.slice(at + 1)];
  });
}

/** Commander's collector for repeatable options. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

/** A whole number typed by a person. */
export function int(value: string, what: string): number {
  if (!/^-?\d+$/.test(value)) throw new UsageError(`${what}: a whole number, not ${value}`);
  return Number(value);
}
