import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, STORES, type TestServer } from '../helpers/server.ts';

for (const store of STORES) {
  describe(`microservices: the default namespace across operator resets and restores (${store})`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(store);
    });
    after(() => server.close());

    const names = async (token: string) =>
      ((await server.request('GET', '/api/v1/namespaces', { token })).json.namespaces as Array<{ display_name: string }>).map((n) => n.display_name);

    it('exists on first use, again after a restore to a time before it, and again after a reset', async () => {
      const u = await server.newUser('nsuser');
      const snap = await server.operator('POST', '/snapshots');
      assert.equal(snap.status, 201, snap.text);
      assert.deepEqual(await names(u.token), ['default']);
      const restored = await server.operator('POST', `/snapshots/${snap.json.id}/restore`);
      assert.equal(restored.status, 200, restored.text);
      const rows = await server.services.store.db.selectFrom('ms_namespaces').select('display_name').execute();
      assert.deepEqual(rows, [], 'the restore took the namespace away');
      assert.deepEqual(await names(u.token), ['default'], 'first use after the restore creates it again');
      assert.equal((await server.operator('POST', '/reset')).status, 200);
      const v = await server.newUser('nsuser');
      assert.deepEqual(await names(v.token), ['default']);
    });
  });
}
