import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { expectError, startTestServer, STORES, type TestServer, type TestUser } from '../helpers/server.ts';

for (const store of STORES) {
  describe(`tokens and authorization (${store})`, () => {
    let server: TestServer;
    let user: TestUser;
    before(async () => {
      server = await startTestServer(store);
      user = await server.newUser();
    });
    after(() => server.close());

    test('POST /api/v1/token issues a 32-hex token valid 86400 s', async () => {
      const r = await server.request('POST', '/api/v1/token', { body: { app_key: user.app_key, app_secret: user.app_secret } });
      assert.equal(r.status, 201);
      assert.deepEqual(Object.keys(r.json), ['token', 'expires_in']);
      assert.match(r.json.token, /^[0-9a-f]{32}$/);
      assert.equal(r.json.expires_in, '86400');
      const again = await server.token(user.app_key, user.app_secret);
      assert.notEqual(again, r.json.token, 'each call issues a new token');
      for (const t of [again, r.json.token]) assert.equal((await server.request('GET', '/api/v1/secret-keys', { token: t })).status, 200, 'earlier tokens stay valid');
    });

    test('tokens issued at the same moment (written together, src/store/insert-batch.ts) are each stored and distinct', async () => {
      const issued = await Promise.all(Array.from({ length: 40 }, () => server.request('POST', '/api/v1/token', { body: { app_key: user.app_key, app_secret: user.app_secret } })));
      assert.deepEqual(issued.map((r) => r.status), issued.map(() => 201));
      const tokens = issued.map((r) => r.json.token as string);
      assert.equal(new Set(tokens).size, 40);
      const used = await Promise.all(tokens.map((t) => server.request('GET', '/api/v1/secret-keys', { token: t })));
      assert.deepEqual(used.map((r) => r.status), used.map(() => 200));
    });

    test('token errors follow the table: missing, invalid, unknown key, wrong secret', async () => {
      const t = (body: unknown) => server.request('POST', '/api/v1/token', { body });
      for (const body of [{}, { app_key: user.app_key }, { app_secret: user.app_secret }, { app_key: null, app_secret: 'x' }, { app_key: '', app_secret: 'x' }, { app_key: user.app_key, app_secret: '' }]) {
        expectError(await t(body), 400, 4000002, 'Missing parameters.');
      }
      for (const body of [{ app_key: 1, app_secret: 'x' }, { app_key: user.app_key, app_secret: 5 }, { app_key: ['a'], app_secret: 'x' }, { app_key: user.app_key, app_secret: { a: 1 } }]) {
        expectError(await t(body), 400, 4000001, 'Invalid parameters.');
      }
      expectError(await t({ app_key: '0'.repeat(32), app_secret: user.app_secret }), 404, 4040001, 'No such user.');
      expectError(await t({ app_key: user.app_key, app_secret: '0'.repeat(32) }), 401, 4010001, 'Unauthorized user.');
      // missing is checked before invalid, field by field in documented order
      expectError(await t({ app_key: 1 }), 400, 4000001, 'Invalid parameters.');
      expectError(await t({ app_secret: 1 }), 400, 4000002, 'Missing parameters.');
    });

    test('the Authorization header is parsed leniently and strictly rejects other shapes', async () => {
      const ok = async (value: string) => (await server.request('GET', '/api/v1/secret-keys', { headers: { authorization: value } })).status;
      for (const v of [`Token ${user.token}`, `token ${user.token}`, `TOKEN ${user.token}`, `Token \t ${user.token}`, `  Token ${user.token}  `, `Token ${user.token.toUpperCase()}`]) {
        assert.equal(await ok(v), 200, v);
      }
      for (const v of ['', `Bearer ${user.token}`, user.token, `Token`, `Token ${'0'.repeat(32)}`, `Token ${user.token}x`, `Basic abc`, `Token ${user.token},junk`, `Token ${user.token}, Token ${user.token}`, `Token ${user.token} extra`]) {
        expectError(await server.request('GET', '/api/v1/secret-keys', { headers: { authorization: v } }), 401, 4010001, 'Unauthorized user.');
      }
      expectError(await server.request('GET', '/api/v1/secret-keys'), 401, 4010001, 'Unauthorized user.');
    });

    test('of several Authorization headers the first is used', async () => {
      const send = (first: string, second: string) => new Promise<number>((resolve, reject) => {
        const { hostname, port } = new URL(server.url);
        const socket = net.connect(Number(port), hostname, () => socket.write(`GET /api/v1/secret-keys HTTP/1.1\r\nHost: x\r\nAuthorization: ${first}\r\nAuthorization: ${second}\r\nConnection: close\r\n\r\n`));
        let data = '';
        socket.setEncoding('utf8').on('data', (d) => (data += d)).on('end', () => resolve(Number(data.slice(9, 12)))).on('error', reject);
      });
      assert.equal(await send(`Token ${user.token}`, `Token ${'0'.repeat(32)}`), 200);
      assert.equal(await send(`Token ${'0'.repeat(32)}`, `Token ${user.token}`), 401);
    });

    test('a token expires exactly 24 hours after issue (test clock)', async () => {
      const token = await server.token(user.app_key, user.app_secret);
      await server.advance(86_399);
      assert.equal((await server.request('GET', '/api/v1/secret-keys', { token })).status, 200);
      await server.advance(1);
      expectError(await server.request('GET', '/api/v1/secret-keys', { token }), 401, 4010001, 'Unauthorized user.');
      user.token = await server.token(user.app_key, user.app_secret);
    });

    test('a token is valid for the full 86 400 s, to the millisecond', async () => {
      const clock = server.services.clock;
      // Issue at x.75–x.85 s on the server clock: a whole-second expiry would end the token up to 0.85 s early.
      while (clock.now().getUTCMilliseconds() < 750 || clock.now().getUTCMilliseconds() >= 850) await new Promise((r) => setTimeout(r, 5));
      const token = await server.token(user.app_key, user.app_secret);
      await server.advance(86_399.3);
      assert.equal((await server.request('GET', '/api/v1/secret-keys', { token })).status, 200, 'still inside its 86 400 s');
      await server.advance(0.7);
      expectError(await server.request('GET', '/api/v1/secret-keys', { token }), 401, 4010001, 'Unauthorized user.');
      user.token = await server.token(user.app_key, user.app_secret);
    });

    test('disabling or deleting a key pair revokes its tokens; other pairs keep working', async () => {
      const u = await server.newUser();
      const second = await server.operator('POST', `/users/${u.user_name}/keys`);
      assert.equal(second.status, 201);
      const token2 = await server.token(second.json.app_key, second.json.app_secret);
      assert.equal((await server.operator('PATCH', `/keys/${u.app_key}`, { enabled: false })).status, 200);
      expectError(await server.request('GET', '/api/v1/secret-keys', { token: u.token }), 401, 4010001, 'Unauthorized user.');
      expectError(await server.request('POST', '/api/v1/token', { body: { app_key: u.app_key, app_secret: u.app_secret } }), 401, 4010001, 'Unauthorized user.');
      assert.equal((await server.request('GET', '/api/v1/secret-keys', { token: token2 })).status, 200);
      assert.equal((await server.operator('PATCH', `/keys/${u.app_key}`, { enabled: true })).status, 200);
      assert.equal((await server.request('GET', '/api/v1/secret-keys', { token: u.token })).status, 200);
      assert.equal((await server.operator('DELETE', `/keys/${u.app_key}`)).status, 200);
      expectError(await server.request('GET', '/api/v1/secret-keys', { token: u.token }), 401, 4010001, 'Unauthorized user.');
      expectError(await server.request('POST', '/api/v1/token', { body: { app_key: u.app_key, app_secret: u.app_secret } }), 404, 4040001, 'No such user.');
    });

    test('an abnormal account gets 4030009 on the token endpoint and on changes, but can still read', async () => {
      const u = await server.newUser();
      assert.equal((await server.operator('PATCH', `/users/${u.user_name}`, { status: 'abnormal' })).status, 200);
      expectError(await server.request('POST', '/api/v1/token', { body: { app_key: u.app_key, app_secret: u.app_secret } }), 403, 4030009, 'User status abnormal.');
      assert.equal((await server.request('GET', '/api/v1/secret-keys', { token: u.token })).status, 200);
      expectError(await server.request('POST', '/api/v1/secret-keys', { token: u.token, body: { key_name: 'k' } }), 403, 4030009, 'User status abnormal.');
      expectError(await server.request('DELETE', '/api/v1/secret-keys/1', { token: u.token }), 403, 4030009, 'User status abnormal.');
      // parameter validation comes before account state (core.md §8.2 steps 5–6)
      expectError(await server.request('POST', '/api/v1/secret-keys', { token: u.token, body: { key_name: 7 } }), 400, 4000001, 'Invalid parameters.');
      assert.deepEqual((await server.request('GET', '/api/v1/secret-keys', { token: u.token })).json, []);
      await server.operator('PATCH', `/users/${u.user_name}`, { status: 'normal' });
      assert.equal((await server.request('POST', '/api/v1/secret-keys', { token: u.token, body: { key_name: 'k' } })).status, 201);
    });
  });
}
