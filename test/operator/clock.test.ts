/**
 * The test clock's offset is state: it is kept in the store, survives a restart on the same data, and the
 * operator reset puts it back to real time (also after a restart).
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { pino } from 'pino';
import { startServer } from '../../src/app.ts';
import { startTestServer, STORES, TestServer } from '../helpers/server.ts';

const DAY = 86_400;

/** Stops the server and starts a new one on the same data (same SQLite file or PostgreSQL database). */
async function restart(server: TestServer): Promise<TestServer> {
  await server.running.close();
  try {
    const running = await startServer(server.services.config, pino({ level: 'silent' }));
    return new TestServer(running, () => server.close());
  } catch (err) {
    await server.close(); // removes the data of the first start
    throw err;
  }
}

/** How far `iso` is ahead of real time, in whole days. */
function daysFromNow(iso: string): number {
  return Math.round((Date.parse(iso) - Date.now()) / (DAY * 1000)) + 0; // + 0: no -0
}

/** How far the server's clock is ahead of real time, in whole days (advancing by 0 reads it). */
async function daysAhead(server: TestServer): Promise<number> {
  return daysFromNow(await server.advance(0));
}

for (const store of STORES) {
  describe(`test clock across restarts (${store})`, () => {
    let server: TestServer;
    after(() => server?.close());

    test('the offset survives a restart on the same data', async () => {
      server = await startTestServer(store);
      await server.advance(365 * DAY);
      server = await restart(server);
      assert.equal(await daysAhead(server), 365);
      const key = await server.request('POST', '/api/v1/secret-keys', { token: (await server.newUser()).token, body: { key_name: 'k' } });
      assert.equal(key.status, 201, key.text);
      assert.equal(daysFromNow(key.json.created_at), 365, 'new resources carry the resumed time');
    });

    test('concurrent advances add up, and the sum is what a restart resumes at', async () => {
      await Promise.all(Array.from({ length: 10 }, () => server.advance(DAY)));
      assert.equal(await daysAhead(server), 375);
      server = await restart(server);
      assert.equal(await daysAhead(server), 375);
    });

    test('a restored snapshot brings its offset back, and a restart keeps it', async () => {
      const snapshot = await server.operator('POST', '/snapshots');
      assert.equal(snapshot.status, 201, snapshot.text);
      await server.advance(100 * DAY);
      assert.equal((await server.operator('POST', `/snapshots/${snapshot.json.id}/restore`)).status, 200);
      assert.equal(await daysAhead(server), 375);
      server = await restart(server);
      assert.equal(await daysAhead(server), 375);
    });

    test('the operator reset puts the clock back to real time, also after a restart', async () => {
      assert.equal((await server.operator('POST', '/reset')).status, 200);
      assert.equal(await daysAhead(server), 0);
      server = await restart(server);
      assert.equal(await daysAhead(server), 0);
    });
  });
}
