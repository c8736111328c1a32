/**
 * Store reads that run outside a request's hold of the store gate (http/gate.ts) meet a reset's `TRUNCATE`
 * inside PostgreSQL. Two such reads, each made deterministic with a second connection that holds a table
 * lock, so the read waits inside PostgreSQL while the test moves a reset along:
 * - the token lookup runs before the gate. If it fails while a reset runs (as a deadlock's victim; here its
 *   statement is cancelled, as the deadlock detector would), it is asked again after the reset, and the
 *   request is answered as after it (4010001: the token names no one now), never with a 500;
 * - a long poll holds no gate while it waits, but takes it around its reads: a reset waits for such a read
 *   instead of truncating beside it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { databaseUrl } from '../helpers/postgres.ts';
import { PG_URL, STORES, type TestServer } from '../helpers/server.ts';
import { Beta } from '../legacy/helpers.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Backends of `database` waiting on a lock while running a statement that contains `text`. */
async function waitingBackends(admin: pg.Client, database: string, text: string): Promise<number[]> {
  const { rows } = await admin.query<{ pid: number }>(
    `select pid from pg_stat_activity where datname = $1 and wait_event_type = 'Lock' and position($2 in lower(query)) > 0`, [database, text]);
  return rows.map((r) => r.pid);
}

/** Polls until a backend of `database` waits on a lock running a statement that contains `text`. */
async function waitingBackend(admin: pg.Client, database: string, text: string): Promise<number> {
  for (let i = 0; i < 500; i++) {
    const [pid] = await waitingBackends(admin, database, text);
    if (pid !== undefined) return pid;
    await sleep(10);
  }
  throw new Error(`no backend waits on a lock running "${text}"`);
}

for (const store of STORES) {
  if (store !== 'postgres') continue;
  describe('store reads beside a reset (postgres)', () => {
    let beta: Beta;
    let server: TestServer;
    let database: string;
    let holder: pg.Client;
    let admin: pg.Client;
    before(async () => {
      beta = await Beta.start(store);
      server = beta.server;
      database = new URL(server.services.store.where).pathname.slice(1);
      holder = new pg.Client({ connectionString: databaseUrl(PG_URL, database) });
      admin = new pg.Client({ connectionString: databaseUrl(PG_URL, database) });
      await Promise.all([holder.connect(), admin.connect()]);
    });
    after(async () => {
      await Promise.all([holder.end(), admin.end()]);
      await server.close();
    });

    test('a token lookup that fails during a reset is asked again after it: 401 4010001, not 500', async () => {
      const { token } = await server.newUser('caller');
      try {
        await holder.query('begin');
        await holder.query('lock table key_pairs in access exclusive mode');
        // The token's first use: not cached, so it is looked up, and the lookup waits for key_pairs.
        const answer = server.request('GET', '/api/v1/ips', { token });
        const lookup = await waitingBackend(admin, database, 'token_hash');
        const reset = server.operator('POST', '/reset');
        await waitingBackend(admin, database, 'truncate');
        await admin.query('select pg_cancel_backend($1)', [lookup]);
        await sleep(100);
        await holder.query('rollback');
        const [got, done] = await Promise.all([answer, reset]);
        assert.equal(done.status, 200, done.text);
        assert.equal(got.status, 401, got.text);
        assert.deepEqual(got.json, { code: 4010001, message: 'Unauthorized user.' });
      } finally {
        await holder.query('rollback');
      }
    });

    test('a long poll\'s read holds the store gate: a reset waits for it instead of truncating beside it', async () => {
      const alice = await server.newUser('alice');
      const { id } = await beta.createApp(alice, 'watched', { domain: undefined, replicas: 1 });
      try {
        await holder.query('begin');
        await holder.query('lock table legacy_apps in access exclusive mode');
        const watch = server.request('GET', `/api/v1/watch/apps/${id}`, { token: alice.token });
        await waitingBackend(admin, database, 'legacy_apps');
        const reset = server.operator('POST', '/reset');
        await sleep(300);
        assert.deepEqual(await waitingBackends(admin, database, 'truncate'), [], 'no TRUNCATE runs while the read holds the gate');
        await holder.query('rollback');
        assert.equal((await reset).status, 200);
        // The watch read its app before the reset and now waits for a change; 30 s of server time end it.
        await server.advance(30);
        const watched = await watch;
        assert.equal(watched.status, 200, watched.text);
        assert.deepEqual(watched.json, { containers: [] });
      } finally {
        await holder.query('rollback');
      }
    });
  });
}
