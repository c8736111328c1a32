/**
 * Replicas as separate processes (`node dist/main.js`): who may start beside whom, the start-up race on an
 * empty database, and a replica killed with SIGKILL under write load.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertBuilt, runCli, startCli, stop, type Proc } from '../server/process.ts';
import { pgSkipReason, startTestServer } from '../helpers/server.ts';
import { replicaDeployment, replicaSkip } from '../helpers/replicas.ts';
import type { Config } from '../../src/config.ts';

before(() => assertBuilt());

describe('one process per store without Redis', () => {
  test('a second process on the same SQLite data folder is refused with one line, exit code 2', async () => {
    const data = mkdtempSync(join(tmpdir(), `opencomb-test-${process.pid}-`));
    const first = await startCli(['--port', '0', '--data', data]);
    try {
      const second = await runCli(['--port', '0', '--data', data]);
      assert.equal(second.code, 2, second.stderr);
      assert.equal(second.stderr, `opencomb: --data ${join(data, 'opencomb.db')}: another opencomb process is using this SQLite store; stop it first (several replicas need --db postgres://… and --redis: docs/deploy.md)\n`);
      assert.equal((await fetch(`${first.url}/healthz`)).status, 200, 'the first one still serves');
    } finally {
      await stop(first);
    }
    const again = await startCli(['--port', '0', '--data', data]);
    await stop(again);
    rmSync(data, { recursive: true, force: true });
  });

  test('a second process on the same PostgreSQL database without --redis is refused, exit code 2', { skip: pgSkipReason }, async () => {
    const server = await startTestServer('postgres');
    try {
      const db = server.services.config.db!;
      const second = await runCli(['--port', '0', '--db', db], { OPENCOMB_DATA: server.services.config.dataDir });
      assert.equal(second.code, 2, second.stderr);
      const shown = new URL(db);
      shown.password = '';
      assert.equal(second.stderr, `opencomb: --db ${shown.toString()}: another opencomb process serves this database; several replicas need --redis too (docs/deploy.md)\n`);
    } finally {
      await server.close();
    }
  });

  test('--redis needs PostgreSQL and a shared master key', async () => {
    let r = await runCli(['--redis', 'redis://127.0.0.1:6379']);
    assert.equal(r.stderr, 'opencomb: --redis needs a PostgreSQL store (--db postgres://…): replicas share the store, and SQLite is one process\'s\n');
    r = await runCli(['--redis', 'redis://127.0.0.1:6379', '--db', 'postgres://postgres@127.0.0.1:5432/x'], { OPENCOMB_MASTER_KEY: '' });
    assert.equal(r.stderr, 'opencomb: --redis needs OPENCOMB_MASTER_KEY: every replica must hold the same master key (e.g. from `openssl rand -hex 32`)\n');
    r = await runCli(['--redis', 'http://x'], {});
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^opencomb: --redis must be redis:\/\//);
  });
});

describe('replica processes', { skip: replicaSkip }, () => {
  let config: Config;
  let cleanup: () => Promise<void>;
  const procs: Proc[] = [];
  before(async () => {
    ({ config, cleanup } = await replicaDeployment());
  });
  after(async () => {
    for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await cleanup?.();
  });

  const env = () => ({
    OPENCOMB_DB: config.db!, OPENCOMB_REDIS: config.redis!, OPENCOMB_REDIS_PREFIX: config.redisPrefix,
    OPENCOMB_MASTER_KEY: readFileSync(join(config.dataDir, 'master.key'), 'utf8').trim(), OPENCOMB_DATA: config.dataDir, OPENCOMB_LOG_LEVEL: 'warn',
  });

  test('three processes started at once on an empty database all serve, and create the start-up user once', async () => {
    procs.push(...(await Promise.all([0, 1, 2].map(() => startCli(['--port', '0'], env())))));
    const created = procs.map((p) => /created user admin: OPENCOMB_ACCESS_KEY=([^\s"]+) OPENCOMB_ACCESS_SECRET=([^\s"]+)/.exec(p.stdout()));
    assert.equal(created.filter(Boolean).length, 1, procs.map((p) => p.out()).join('\n'));
    const [, key, secret] = created.find(Boolean)!;
    for (const p of procs) {
      const r = await fetch(`${p.url}/api/v1/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ app_key: key, app_secret: secret }) });
      assert.equal(r.status, 201, `${p.url}: ${await r.text()}`);
      assert.deepEqual(await (await fetch(`${p.url}/healthz`)).json(), { status: 'ok', store: 'ok', redis: 'ok' });
    }
  });

  test('kill -9 of one replica under write load: every acknowledged write is kept, and its due work completes on the survivors', async () => {
    const [victim, ...survivors] = procs;
    const user = await (await fetch(`${survivors[0]!.url}/_opencomb/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user_name: 'writer' }) })).json() as { app_key: string; app_secret: string };
    const token = ((await (await fetch(`${victim!.url}/api/v1/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(user) })).json()) as { token: string }).token;
    const acknowledged: Array<{ name: string; id: number }> = [];
    let n = 0;
    const write = async (url: string) => {
      const name = `v${++n}`;
      try {
        const r = await fetch(`${url}/api/v1/cloud-volumes`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Token ${token}` }, body: JSON.stringify({ volume_name: name, size: 10 }) });
        if (r.status === 200) acknowledged.push({ name, id: ((await r.json()) as { id: number }).id });
      } catch {
        // the victim's connection died: not acknowledged
      }
    };
    // Writes to all three until the victim is killed in the middle of them.
    const load = Array.from({ length: 60 }, (_, i) => write(procs[i % 3]!.url));
    while (acknowledged.length < 10) await new Promise((r) => setTimeout(r, 5));
    victim!.child.kill('SIGKILL');
    await Promise.all(load);
    await victim!.exit;
    assert.ok(acknowledged.length >= 10);
    // A clock advance on a survivor settles everything the dead replica created (creating → create_succ).
    await fetch(`${survivors[0]!.url}/_opencomb/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance_seconds: 5 }) });
    for (const { name, id } of acknowledged) {
      const r = await fetch(`${survivors[1]!.url}/api/v1/cloud-volumes/${id}`, { headers: { authorization: `Token ${token}` } });
      const shown = await r.json() as { status: string };
      assert.equal(shown.status, 'create_succ', `${name} acknowledged, stored as ${JSON.stringify(shown)}`);
    }
    for (const p of survivors) assert.equal(await stop(p), 0);
  });
});
