/**
 * `comb admin …`: the operator API (docs/operator.md) — users, key pairs, balance, quotas, the test clock,
 * fault rules, snapshots, reset, id seeding, error-path coverage (coverage.ts). Sent with
 * `COMB_OPERATOR_TOKEN` when the server has one.
 */
import type { Command } from 'commander';
import { act, int, pairs } from './context.ts';
import { coverageCommand } from './coverage.ts';
import { UsageError } from './output.ts';

const bool = (value: string, what: string) => {
  if (value !== 'true' && value !== 'false') throw new UsageError(`${what}: true or false, not ${value}`);
  return value === 'true';
};

export function adminCommands(program: Command): void {
  const admin = program.command('admin').description('the operator API: users, keys, balance, quotas, clock, faults, snapshots, reset');

  const users = admin.command('users').alias('user').description('users');
  users.command('create <user_name>').description('create a user and its first Access Key pair (the secret is shown once)')
    .action(act(async (ctx, [name]) => ctx.out.item(await ctx.admin.operatorCreateUser({ user_name: name }))));
  users.command('update <user_name>').description('change a user').option('--status <status>', 'normal or abnormal').option('--balance <cny>', 'account balance')
    .option('--certified <bool>', 'real-name certification: true or false').option('--quota <name=n>', 'per-user limit, repeatable', (v: string, p: string[] = []) => [...p, v], [])
    .action(act(async (ctx, [name], f) => {
      const body = {
        ...(f.status ? { status: f.status } : {}), ...(f.balance !== undefined ? { balance: f.balance } : {}),
        ...(f.certified !== undefined ? { certified: bool(f.certified, '--certified') } : {}),
        ...(f.quota.length ? { quotas: Object.fromEntries(pairs(f.quota, '--quota').map(([k, v]) => [k, int(v, `--quota ${k}`)])) } : {}),
      };
      if (Object.keys(body).length === 0) throw new UsageError('nothing to change: give --status, --balance, --certified or --quota');
      ctx.out.item(await ctx.admin.operatorUpdateUser({ user_name: name }, body));
    }));
  admin.command('balance <user_name> <cny>').description('set a user\'s balance')
    .action(act(async (ctx, [name, cny]) => ctx.out.item(await ctx.admin.operatorUpdateUser({ user_name: name }, { balance: cny }))));
  admin.command('quotas <user_name> <name=n...>').description('set per-user limits (docs/operator.md, Quotas)')
    .action(act(async (ctx, [name, items]) => {
      const quotas = Object.fromEntries(pairs(items, 'quota').map(([k, v]) => [k, int(v, k)]));
      ctx.out.item(await ctx.admin.operatorUpdateUser({ user_name: name }, { quotas }));
    }));

  const keys = admin.command('keys').alias('key').description('Access Key pairs');
  keys.command('add <user_name>').description('another key pair for a user').action(act(async (ctx, [name]) => ctx.out.item(await ctx.admin.operatorAddKeyPair({ user_name: name }, {}))));
  keys.command('enable <app_key>').description('enable a key pair').action(act(async (ctx, [key]) => ctx.out.item(await ctx.admin.operatorSetKeyPairEnabled({ app_key: key }, { enabled: true }))));
  keys.command('disable <app_key>').description('disable a key pair (its tokens stop working)').action(act(async (ctx, [key]) => ctx.out.item(await ctx.admin.operatorSetKeyPairEnabled({ app_key: key }, { enabled: false }))));
  keys.command('delete <app_key>').alias('rm').description('delete a key pair').action(act(async (ctx, [key]) => {
    await ctx.admin.operatorDeleteKeyPair({ app_key: key });
    ctx.out.done(`deleted key ${key}`, { app_key: key });
  }));

  const clock = admin.command('clock').description('the test clock');
  clock.command('advance <seconds>').description('move the clock forward; work that fell due completes first')
    .action(act(async (ctx, [seconds]) => ctx.out.item(await ctx.admin.operatorAdvanceClock({ advance_seconds: int(seconds, 'seconds') }))));

  const faults = admin.command('faults').alias('fault').description('fault rules (the server runs with --fault-injection)');
  const ruleColumns: Array<[string, (r: any) => unknown]> = [['ID', (r) => r.id], ['METHOD', (r) => r.method], ['PATH', (r) => r.path], ['CODE', (r) => r.code], ['COUNT', (r) => r.count], ['PROBABILITY', (r) => r.probability]];
  faults.command('add <code>').description('matching requests answer this catalog code').option('--method <method>', 'HTTP method or *').option('--path <path>', 'path, * matches any characters')
    .option('--count <n>', 'answer this many requests, then remove the rule').option('--probability <p>', 'chance in (0, 1]')
    .action(act(async (ctx, [code], f) => {
      const rule = await ctx.admin.operatorAddFault({ code: int(code, 'code'), ...(f.method ? { method: f.method } : {}), ...(f.path ? { path: f.path } : {}), ...(f.count ? { count: f.count } : {}), ...(f.probability ? { probability: f.probability } : {}) });
      ctx.out.list(rule, [rule], ruleColumns);
    }));
  faults.command('list').alias('ls').description('fault rules, oldest first').action(act(async (ctx) => {
    const rules = await ctx.admin.operatorListFaults();
    ctx.out.list(rules, rules, ruleColumns);
  }));
  faults.command('delete <id>').alias('rm').description('remove a rule').action(act(async (ctx, [id]) => {
    await ctx.admin.operatorDeleteFault({ id });
    ctx.out.done(`deleted fault rule ${id}`, { id: Number(id) });
  }));
  faults.command('clear').description('remove every rule').action(act(async (ctx) => {
    await ctx.admin.operatorClearFaults();
    ctx.out.done('removed every fault rule');
  }));

  const snapshot = admin.command('snapshot').alias('snapshots').description('snapshots of the whole state (in memory)');
  snapshot.command('save').description('save the state; prints the snapshot id').action(act(async (ctx) => ctx.out.item(await ctx.admin.operatorTakeSnapshot())));
  snapshot.command('restore <id>').description('put a snapshot back').action(act(async (ctx, [id]) => ctx.out.item(await ctx.admin.operatorRestoreSnapshot({ id }))));
  snapshot.command('delete <id>').alias('rm').description('forget a snapshot').action(act(async (ctx, [id]) => {
    await ctx.admin.operatorDeleteSnapshot({ id });
    ctx.out.done(`deleted snapshot ${id}`, { id: Number(id) });
  }));

  coverageCommand(admin);
  admin.command('metrics').description('the Prometheus metrics (GET /metrics)').action(act(async (ctx) => {
    process.stdout.write(await ctx.admin.metrics());
  }));

  admin.command('reset').description('erase all state').requiredOption('--yes', 'really erase everything').action(act(async (ctx) => {
    await ctx.admin.operatorReset();
    ctx.out.done('reset: every resource, user and rule is gone; the start-up user is back');
  }));
  admin.command('seed-ids <next_id>').description('the next numeric id of every table (or of one)').option('--table <table>', 'one store table')
    .action(act(async (ctx, [next], f) => ctx.out.item(await ctx.admin.operatorSeedIds({ next_id: int(next, 'next_id'), ...(f.table ? { table: f.table } : {}) }))));
}
