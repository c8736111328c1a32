/**
 * PostgreSQL connections that the database server ends (a restart, an administrator's
 * `pg_terminate_backend`, 57P01) while requests are using them: the requests in flight may fail, inside
 * the contract, but the server process lives on and answers normally once the connections are replaced.
 * Without an error listener on checked-out clients, pg turns the event into an uncaught exception that ends
 * the process (here: the test process, so the test fails). Bounded: a fixed number of terminations.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { databaseUrl } from '../helpers/postgres.ts';
import { PG_URL, startTestServer, STORES, type TestServer, type TestUser } from '../helpers/server.ts';

const CLIENTS = 8;
const TERMINATIONS = 10;

for (const store of STORES) {
  if (store !== 'postgres') continue;
  describe('PostgreSQL connection loss', () => {
    let server: TestServer;
    let user: TestUser;
    before(async () => {
      server = await startTestServer(store);
      user = await server.newUser('reader');
    });
    after(() => server.close());

    test('connections terminated under load: answers stay in the contract, the server keeps serving', async () => {
      const database = new URL(server.services.store.where).pathname.slice(1);
      const admin = new pg.Client({ connectionString: databaseUrl(PG_URL, 'postgres') });
      await admin.connect();
      let done = false;
      const statuses: number[] = [];
      const clients = Array.from({ length: CLIENTS }, async () => {
        while (!done) {
          const r = await fetch(`${server.url}/api/v1/secret-keys`, { headers: { authorization: `Token ${user.token}` } });
          const body = await r.json() as { code?: number };
          statuses.push(r.status);
          if (r.status !== 200) assert.equal(Math.floor((body.code ?? 0) / 10000), r.status, `answer ${r.status} ${JSON.stringify(body)}`);
        }
      });
      try {
        for (let i = 0; i < TERMINATIONS; i++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [database]);
        }
      } finally {
        done = true;
        await Promise.all(clients);
        await admin.end();
      }
      assert.ok(statuses.length > 0);
      // The pool replaces what was lost: the next requests succeed.
      for (let i = 0; i < 3; i++) {
        const r = await server.request('GET', '/api/v1/secret-keys', { token: user.token });
        assert.equal(r.status, 200, r.text);
      }
    });
  });
}
