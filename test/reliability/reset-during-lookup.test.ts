/**
 * A token lookup runs outside the store gate (http/gate.ts), so on PostgreSQL it can meet a reset's
 * `TRUNCATE` in the database: as a deadlock's victim, it fails. Such a failure is the replacement's doing,
 * not the request's: the lookup is asked again once the reset is done, and the request is answered as after
 * it (the token names no one now: 4010001), never with a 500.
 *
 * Made deterministic with a second connection: it holds `key_pairs` so the lookup waits inside PostgreSQL,
 * a reset starts (and waits too), then the lookup's statement is cancelled, as the deadlock detector would.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { databaseUrl } from '../helpers/postgres.ts';
import { PG_URL, startTestServer, STORES, type TestServer } from '../helpers/server.ts';

/** Polls pg_stat_activity until a backend of `database` waits on a lock running a statement that contains `text`. */
async function waitingBackend(admin: pg.Client, database: string, text: string): Promise<number> {
  for (let i = 0; i < 500; i++) {
    const { rows } = await admin.query<{ pid: number }>(
      `select pid from pg_stat_activity where datname = $1 and wait_event_type = 'Lock' and position($2 in lower(query)) > 0`, [database, text]);
    if (rows[0]) return rows[0].pid;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no backend waits on a lock running "${text}"`);
}

for (const store of STORES) {
  if (store !== 'postgres') continue;
  describe('a token lookup that fails during a reset (postgres)', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(store);
    });
    after(() => server.close());

    test('is asked again after the reset: 401 4010001, not 500', async () => {
      const { token } = await server.newUser('caller');
      const database = new URL(server.services.store.where).pathname.slice(1);
      const holder = new pg.Client({ connectionString: databaseUrl(PG_URL, database) });
      const admin = new pg.Client({ connectionString: databaseUrl(PG_URL, database) });
      await Promise.all([holder.connect(), admin.connect()]);
      try {
        await holder.query('begin');
        await holder.query('lock table key_pairs in access exclusive mode');
        // The token's first use: not cached, so it is looked up, and the lookup waits for key_pairs.
        const answer = server.request('GET', '/api/v1/ips', { token });
        const lookup = await waitingBackend(admin, database, 'token_hash');
        const reset = server.operator('POST', '/reset');
        await waitingBackend(admin, database, 'truncate');
        await admin.query('select pg_cancel_backend($1)', [lookup]);
        await new Promise((resolve) => setTimeout(resolve, 100));
        await holder.query('rollback');
        const [got, done] = await Promise.all([answer, reset]);
        assert.equal(done.status, 200, done.text);
        assert.equal(got.status, 401, got.text);
        assert.deepEqual(got.json, { code: 4010001, message: 'Unauthorized user.' });
      } finally {
        await holder.query('rollback').catch(() => undefined);
        await Promise.all([holder.end(), admin.end()]);
      }
    });
  });
}
