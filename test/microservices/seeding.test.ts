/** The bulk seeding function for benchmarks: rows are real services that the list and quotas see. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedServices } from '../../src/domains/microservices/index.ts';
import { expectError, startTestServer, STORES, type TestServer } from '../helpers/server.ts';
import { Ms, statelessBody } from './helpers.ts';

for (const store of STORES) {
  describe(`microservices seeding (${store})`, () => {
    let server: TestServer;
    before(async () => { server = await startTestServer(store); });
    after(() => server.close());

    it('seedServices inserts N settled services in batches; list pages them, the namespace is not deletable, quotas count them', async () => {
      const ms = new Ms(server);
      const u = await server.newUser('seeder');
      const ns = await ms.ns(u, 'bench');
      const userId = (await server.services.identity.findUserByName('seeder'))!.id;
      const ids = await seedServices(server.services.store, { userId, namespaceId: ns, count: 1205, batchSize: 500 });
      assert.equal(ids.length, 1205);
      assert.equal(new Set(ids).size, 1205);
      const page = await ms.list(u, ns, '?offset=1200&limit=10');
      assert.equal(page.json.total, 1205);
      assert.deepEqual(page.json.microservice_infos.map((s: { service_name: string }) => s.service_name), ['svc-4', 'svc-3', 'svc-2', 'svc-1', 'svc-0']);
      assert.equal(page.json.microservice_infos[0].status, 'create_succ');
      const d = await ms.detail(u, ids[0]!);
      assert.equal(d.json.service_info.service_name, 'svc-0');
      const nsList = (await server.request('GET', '/api/v1/namespaces', { token: u.token })).json.namespaces;
      assert.equal(nsList.find((n: { id: number }) => n.id === ns).deletable, false);
      expectError(await ms.create(u, statelessBody(ns, 'one-more')), 403, 4030004, 'App quota insufficient.');
      expectError(await ms.create(u, statelessBody(ns, 'svc-7')), 409, 4090116, 'Duplicate microservice name.');
      // A fresh id after the seeded ones.
      await ms.quotas(u, { services: 5000, replicas: 5000, containers: 5000 });
      const id = await ms.createOk(u, statelessBody(ns, 'fresh'), false);
      assert.ok(id > Math.max(...ids));
    });
  });
}
