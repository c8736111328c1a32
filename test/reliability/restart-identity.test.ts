/**
 * The start-up pair (OPENCOMB_ACCESS_KEY/SECRET) survives restarts with its tokens: a graceful restart and
 * a kill -9 restart with the same secret change nothing; only a changed secret replaces the pair (and so
 * revokes the tokens issued with the old one).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../helpers/server.ts';
import { call, createData, startProcess, type Data, type ServerProcess } from './process.ts';

const KEY = 'a1'.repeat(16);
const SECRET = 'b2'.repeat(16);
const env = (secret: string) => ({ OPENCOMB_ACCESS_KEY: KEY, OPENCOMB_ACCESS_SECRET: secret, OPENCOMB_USER: 'owner' });

for (const store of STORES) {
  describe(`start-up identity across restarts (${store})`, () => {
    let data: Data;
    let server: ServerProcess | undefined;
    before(async () => { data = await createData(store); });
    after(async () => {
      await server?.kill();
      await data.remove();
    });

    const tokenFor = async (secret: string) => {
      const r = await call(server!.url, 'POST', '/api/v1/token', { app_key: KEY, app_secret: secret });
      assert.equal(r.status, 201, r.text);
      return r.json.token as string;
    };
    const keysWith = (token: string) => call(server!.url, 'GET', '/api/v1/secret-keys', undefined, token);

    test('the same secret keeps the pair and its tokens (graceful and kill -9 restarts); a changed one replaces it', async () => {
      server = await startProcess(data, env(SECRET));
      const token = await tokenFor(SECRET);
      const created = await call(server.url, 'POST', '/api/v1/secret-keys', { key_name: 'kept' }, token);
      assert.equal(created.status, 201, created.text);

      assert.equal(await server.stop(), 0);
      server = await startProcess(data, env(SECRET));
      const afterGraceful = await keysWith(token);
      assert.equal(afterGraceful.status, 200, `after a graceful restart: ${afterGraceful.text}`);
      assert.deepEqual(afterGraceful.json.map((k: { name: string }) => k.name), ['kept']);

      assert.equal(await server.kill(), 'SIGKILL');
      server = await startProcess(data, env(SECRET));
      assert.equal((await keysWith(token)).status, 200, 'after a kill -9 restart');

      await server.stop();
      const changed = 'c3'.repeat(16);
      server = await startProcess(data, env(changed));
      const revoked = await keysWith(token);
      assert.deepEqual({ status: revoked.status, body: revoked.json }, { status: 401, body: { code: 4010001, message: 'Unauthorized user.' } });
      const oldSecret = await call(server.url, 'POST', '/api/v1/token', { app_key: KEY, app_secret: SECRET });
      assert.deepEqual({ status: oldSecret.status, body: oldSecret.json }, { status: 401, body: { code: 4010001, message: 'Unauthorized user.' } });
      const fresh = await keysWith(await tokenFor(changed));
      assert.deepEqual(fresh.json.map((k: { name: string }) => k.name), ['kept'], 'the user and its resources stay');
    });
  });
}
