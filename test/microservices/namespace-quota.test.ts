/**
 * The `namespaces` quota counts the automatic `default` namespace (microservices.md §2.9: "namespaces per
 * user (including `default`)", and microservices.md §3.1: "Limit: 20 namespaces per user, `default`
 * included"): with a quota of n, a user creates n − 1 namespaces of their own. `default` itself is never
 * refused, whatever the quota.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectError, startTestServer, STORES, type TestServer, type TestUser } from '../helpers/server.ts';

for (const store of STORES) {
  describe(`microservices: the namespace quota includes default (${store})`, () => {
    let server: TestServer;
    before(async () => { server = await startTestServer(store); });
    after(() => server.close());

    const withQuota = async (name: string, namespaces: number): Promise<TestUser> => {
      const user = await server.newUser(name);
      assert.equal((await server.operator('PATCH', `/users/${name}`, { quotas: { namespaces } })).status, 200);
      return user;
    };
    const create = (user: TestUser, name: string) => server.request('POST', '/api/v1/namespaces', { token: user.token, body: { name } });
    const list = async (user: TestUser) => (await server.request('GET', '/api/v1/namespaces', { token: user.token })).json;

    test('a quota of 5 lets a new user create 4 namespaces; the list then holds 5', async () => {
      const user = await withQuota('five', 5);
      for (const name of ['n1', 'n2', 'n3', 'n4']) assert.equal((await create(user, name)).status, 200);
      expectError(await create(user, 'n5'), 403, 4030302, 'Quota insufficient');
      const names = (await list(user)).namespaces.map((n: { display_name: string }) => n.display_name).sort();
      assert.deepEqual(names, ['default', 'n1', 'n2', 'n3', 'n4']);
    });

    test('the first call may be the create itself: default is made first and counted', async () => {
      const user = await withQuota('first', 2);
      assert.equal((await create(user, 'mine')).status, 200);
      expectError(await create(user, 'more'), 403, 4030302, 'Quota insufficient');
    });

    test('a quota of 1 or 0 still has default, and refuses every create', async () => {
      for (const [name, quota] of [['one', 1], ['zero', 0]] as const) {
        const user = await withQuota(name, quota);
        expectError(await create(user, 'mine'), 403, 4030302, 'Quota insufficient');
        assert.deepEqual((await list(user)).namespaces.map((n: { display_name: string }) => n.display_name), ['default']);
      }
    });
  });
}
