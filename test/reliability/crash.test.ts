/**
 * Crash safety: the server process is killed with SIGKILL while concurrent clients create resources and
 * issue tokens, then started again on the same data; every create that was acknowledged (answered 200) must
 * be there and every token answered 201 must work. On SQLite, commits are flushed to disk in groups
 * (store/db.ts) before the answers leave: this is the test of that promise. Bounded: about three seconds
 * of load per store.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { STORES } from '../helpers/server.ts';
import { call, createData, startProcess, type Data, type ServerProcess } from './process.ts';

const WRITERS = 16;
const LOAD_MS = 3_000;
const env = { OPENCOMB_ACCESS_KEY: 'd4'.repeat(16), OPENCOMB_ACCESS_SECRET: 'e5'.repeat(16), OPENCOMB_USER: 'writer' };

async function tokenOf(server: ServerProcess): Promise<string> {
  const r = await call(server.url, 'POST', '/api/v1/token', { app_key: env.OPENCOMB_ACCESS_KEY, app_secret: env.OPENCOMB_ACCESS_SECRET });
  assert.equal(r.status, 201, r.text);
  return r.json.token;
}

for (const store of STORES) {
  describe(`kill -9 under write load (${store})`, () => {
    const cleanup: Array<() => Promise<unknown>> = [];
    after(async () => {
      for (const step of cleanup.reverse()) await step();
    });

    test('every acknowledged create is found after the restart', async () => {
      const data: Data = await createData(store);
      cleanup.push(() => data.remove());
      let server = await startProcess(data, env);
      cleanup.push(() => server.kill());
      assert.equal((await call(server.url, 'PATCH', '/_opencomb/users/writer', { quotas: { ips_nce: 1_000_000 }, balance: 1_000_000 })).status, 200);
      const token = await tokenOf(server);

      const acknowledged: string[] = [];
      const tokens: string[] = [];
      let killed = false;
      const issuer = async () => {
        while (!killed) {
          try {
            tokens.push(await tokenOf(server));
          } catch (err) {
            if (killed) return;
            throw err;
          }
        }
      };
      const writer = async () => {
        while (!killed) {
          try {
            const r = await call(server.url, 'POST', '/api/v1/ips', { nce: 1 }, token);
            assert.equal(r.status, 200, r.text); // anything else before the kill is a failure of its own
            acknowledged.push(r.json.ips[0].id);
          } catch (err) {
            if (killed) return; // the connection died with the process: not acknowledged
            throw err;
          }
        }
      };
      const writers = [...Array.from({ length: WRITERS }, writer), ...Array.from({ length: WRITERS / 4 }, issuer)];
      await new Promise((resolve) => setTimeout(resolve, LOAD_MS));
      killed = true; // requests in flight now die with the process
      assert.equal(await server.kill(), 'SIGKILL');
      await Promise.all(writers);
      const count = acknowledged.length;
      assert.ok(count > 0, 'some creates were acknowledged before the kill');

      server = await startProcess(data, env);
      const list = await call(server.url, 'GET', `/api/v1/ips?limit=${count + 1000}`, undefined, await tokenOf(server));
      assert.equal(list.status, 200, list.text);
      const found = new Set(list.json.ips.map((ip: { id: string }) => ip.id));
      const missing = acknowledged.filter((id) => !found.has(id));
      console.log(`${store}: ${count} creates acknowledged before kill -9, ${count - missing.length} found after the restart (${list.json.total} stored)`);
      assert.deepEqual(missing, [], `${missing.length} of ${count} acknowledged creates lost`);
      assert.ok(tokens.length > 0, 'some tokens were issued before the kill');
      const lostTokens = [];
      for (const t of tokens) if ((await call(server.url, 'GET', '/api/v1/secret-keys', undefined, t)).status !== 200) lostTokens.push(t);
      assert.deepEqual(lostTokens, [], `${lostTokens.length} of ${tokens.length} issued tokens lost`);
    });
  });
}
