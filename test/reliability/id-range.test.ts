/**
 * Ids stay within PostgreSQL's `integer` on both stores: a path id above 2 147 483 647 names nothing (the
 * domain's "No such ...", never a 500 "out of range"), and the operator's id seed leaves a million ids.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectError, startTestServer, STORES, type TestServer, type TestUser } from '../helpers/server.ts';

for (const store of STORES) {
  describe(`ids beyond the largest id (${store})`, () => {
    let server: TestServer;
    let user: TestUser;
    before(async () => {
      server = await startTestServer(store);
      user = await server.newUser('ids');
    });
    after(() => server.close());

    test('a path id above 2147483647 is the domain’s not-found', async () => {
      for (const id of ['2147483648', '9007199254740991']) {
        expectError(await server.request('GET', `/api/v1/secret-keys/${id}`, { token: user.token }), 404, 4040005, 'No such secret key.');
        expectError(await server.request('DELETE', `/api/v1/secret-keys/${id}`, { token: user.token }), 404, 4040005, 'No such secret key.');
        expectError(await server.request('GET', `/api/v1/repositories/${id}`, { token: user.token }), 404, 4040004, 'No such repository.');
        expectError(await server.request('DELETE', `/api/v1/namespaces/${id}`, { token: user.token }), 404, 4040114, 'No such namespace.');
        expectError(await server.request('DELETE', `/api/v1/microservices/${id}`, { token: user.token }), 404, 4040141, 'No such microservice.');
      }
    });

    test('the id seed stops a million ids short of the largest id', async () => {
      expectError(await server.operator('POST', '/ids', { next_id: 2_146_483_648 }), 400, 4000001, 'Invalid parameters.');
      const r = await server.operator('POST', '/ids', { next_id: 2_146_483_647, table: 'secret_keys' });
      assert.equal(r.status, 200, r.text);
    });
  });
}
