/**
 * The token cache (src/identity/token-cache.ts) answers authorized requests without a store lookup; every
 * change to what a lookup would answer must take effect on the very next request. Each case first uses the
 * token (so its caller is cached), then changes the user, the key pair, the clock or the store.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TokenCache } from '../../src/identity/token-cache.ts';
import type { AuthUser } from '../../src/http/route.ts';
import { expectError, startTestServer, STORES, type TestServer, type TestUser } from '../helpers/server.ts';

const caller = (id: number) => ({ id, user_name: `u${id}`, status: 'normal', certified: true, quotas: {}, app_key: 'k' }) as AuthUser;

describe('token cache bookkeeping', () => {
  test('a lookup that began before a forget does not store its (possibly older) answer', () => {
    const cache = new TokenCache();
    const begun = cache.begin();
    cache.forgetUser(7);
    cache.put('d', caller(7), '2999-01-01T00:00:00.000Z', begun);
    assert.equal(cache.get('d', '2017-01-01T00:00:00.000Z'), undefined);
    cache.put('d', caller(7), '2999-01-01T00:00:00.000Z', cache.begin());
    assert.equal(cache.get('d', '2017-01-01T00:00:00.000Z')?.id, 7);
  });

  test('forgetUser drops only that user; forgetAll drops everyone; expiry is checked on every hit', () => {
    const cache = new TokenCache();
    cache.put('a', caller(1), '2017-01-02T00:00:00.000Z', cache.begin());
    cache.put('b', caller(2), '2017-01-02T00:00:00.000Z', cache.begin());
    cache.forgetUser(1);
    assert.equal(cache.get('a', '2017-01-01T00:00:00.000Z'), undefined);
    assert.equal(cache.get('b', '2017-01-01T00:00:00.000Z')?.id, 2);
    assert.equal(cache.get('b', '2017-01-02T00:00:00.000Z'), undefined, 'expired at its expires_at');
    cache.put('b', caller(2), '2017-01-02T00:00:00.000Z', cache.begin());
    cache.forgetAll();
    assert.equal(cache.get('b', '2017-01-01T00:00:00.000Z'), undefined);
  });
});

for (const store of STORES) {
  describe(`a cached token sees every change at once (${store})`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(store);
    });
    after(() => server.close());

    const keys = (u: TestUser) => server.request('GET', '/api/v1/secret-keys', { token: u.token });
    async function cachedUser(): Promise<TestUser> {
      const u = await server.newUser();
      assert.equal((await keys(u)).status, 200);
      assert.equal((await keys(u)).status, 200);
      return u;
    }

    test('a disabled key pair answers 4010001 on the next request; enabled again, 200', async () => {
      const u = await cachedUser();
      assert.equal((await server.operator('PATCH', `/keys/${u.app_key}`, { enabled: false })).status, 200);
      expectError(await keys(u), 401, 4010001, 'Unauthorized user.');
      assert.equal((await server.operator('PATCH', `/keys/${u.app_key}`, { enabled: true })).status, 200);
      assert.equal((await keys(u)).status, 200);
    });

    test('a deleted key pair answers 4010001 on the next request', async () => {
      const u = await cachedUser();
      assert.equal((await server.operator('DELETE', `/keys/${u.app_key}`)).status, 200);
      expectError(await keys(u), 401, 4010001, 'Unauthorized user.');
    });

    test('an abnormal user answers 4030009 on the next change; normal again, the change succeeds', async () => {
      const u = await cachedUser();
      assert.equal((await server.operator('PATCH', `/users/${u.user_name}`, { status: 'abnormal' })).status, 200);
      expectError(await server.request('POST', '/api/v1/secret-keys', { token: u.token, body: { key_name: 'k' } }), 403, 4030009, 'User status abnormal.');
      assert.equal((await server.operator('PATCH', `/users/${u.user_name}`, { status: 'normal' })).status, 200);
      assert.equal((await server.request('POST', '/api/v1/secret-keys', { token: u.token, body: { key_name: 'k' } })).status, 201);
    });

    test('a changed quota applies to the next request', async () => {
      const u = await cachedUser();
      assert.equal((await server.operator('PATCH', `/users/${u.user_name}`, { quotas: { secret_keys: 0 } })).status, 200);
      expectError(await server.request('POST', '/api/v1/secret-keys', { token: u.token, body: { key_name: 'k' } }), 403, 4030013, 'Secret key count limit.');
    });

    test('a token past its expiry on the test clock answers 4010001 at once', async () => {
      const u = await cachedUser();
      await server.advance(86_400);
      expectError(await keys(u), 401, 4010001, 'Unauthorized user.');
    });

    test('after a reset the old token names no one', async () => {
      const u = await cachedUser();
      assert.equal((await server.operator('POST', '/reset')).status, 200);
      expectError(await keys(u), 401, 4010001, 'Unauthorized user.');
    });
  });
}
