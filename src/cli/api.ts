/**
 * `comb api`: any operation of the generated client by its operationId, parameters as `NAME=VALUE`, the
 * body from `-f FILE` or `-d JSON`. `comb api` alone lists the operations. This is how every operation is
 * reachable from the command line, including those without a command of their own.
 */
import type { Command } from 'commander';
import { operations, type OperationSpec } from '../client/index.ts';
import { act, pairs, readJsonFile } from './context.ts';
import { UsageError } from './output.ts';

export function apiCommand(program: Command): void {
  program.command('api [operation] [params...]').description('call any operation by its id (comb api: the list)')
    .option('-f, --file <body.json>', 'request body from a file, - for stdin').option('-d, --data <json>', 'request body')
    .option('-H, --header <name:value>', 'extra header, repeatable', (v: string, p: string[] = []) => [...p, v], [])
    .action(act(async (ctx, [operation, params], flags) => {
      const table = operations as Record<string, OperationSpec>;
      if (!operation) {
        const rows = Object.entries(table).map(([id, op]) => ({ id, ...op }));
        return ctx.out.list(rows, rows, [['OPERATION', (o) => o.id], ['METHOD', (o) => o.method], ['PATH', (o) => o.path]]);
      }
      const spec = table[operation];
      if (!spec) throw new UsageError(`no operation ${operation} (comb api lists them)`);
      const body = flags.file ? readJsonFile(flags.file) : flags.data ? parseJson(flags.data) : undefined;
      const headers = Object.fromEntries((flags.header as string[]).map((h) => {
        const at = h.indexOf(':');
        if (at <= 0) throw new UsageError(`--header: NAME:VALUE, not ${h}`);
        return [h.slice(0, at).trim(), h.slice(at + 1).trim()];
      }));
      const client = spec.auth === 'token' ? ctx.api : ctx.admin;
      const method = (client as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[operation]!.bind(client);
      const args: unknown[] = [];
      if ((spec.pathParams?.length ?? 0) + (spec.query?.length ?? 0) > 0) args.push(Object.fromEntries(pairs(params ?? [], 'parameter')));
      else if (params?.length) throw new UsageError(`${operation} takes no parameters`);
      if (spec.body) args.push(body);
      const answer = await method(...args, { headers });
      if (spec.result === 'text' && ctx.out.format === 'table') process.stdout.write(String(answer));
      else if (spec.result === 'none') ctx.out.done('done');
      else ctx.out.json(answer);
    }));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--data is not JSON: ${(err as Error).message}`);
  }
}
