import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Ledger } from '../../src/domains/billing/ledger.ts';
import { MicroserviceStore } from '../../src/domains/microservices/store.ts';
import { expectError, startTestServer, STORES, type TestServer, type TestUser } from '../helpers/server.ts';
import { expectEmptyOk, Ms, statelessBody } from './helpers.ts';

/**
 * The per-user totals that quota and billing checks read (`ms_usage`, `meter_totals`) are kept by each write;
 * after every step they must equal a full recount of the services and active meters.
 */
for (const store of STORES) {
  describe(`microservices: usage and frozen totals equal a recount after every change (${store})`, () => {
    let server: TestServer;
    let ms: Ms;
    let services: MicroserviceStore;
    let ledger: Ledger;
    before(async () => {
      server = await startTestServer(store);
      ms = new Ms(server);
      services = MicroserviceStore.of(server.services.store);
      ledger = new Ledger(server.services.store, server.services.clock);
    });
    after(() => server.close());

    const userId = async (u: TestUser) =>
      (await server.services.store.db.selectFrom('users').select('id').where('user_name', '=', u.user_name).executeTakeFirstOrThrow()).id;

    async function expectTotals(u: TestUser, expected: { services: number; replicas: number; containers: number }) {
      const id = await userId(u);
      const kept = await services.usage(id);
      assert.deepEqual(kept, await services.countedUsage(id));
      assert.deepEqual(kept, expected);
      assert.equal(await ledger.frozen(id), await ledger.countedFrozen(id));
    }

    const two = [{ image_path: 'hub.c.163.com/public/ubuntu:14.04', container_name: 'a', cpu_weight: 50, memory_weight: 50 },
      { image_path: 'hub.c.163.com/public/ubuntu:14.04', container_name: 'b', cpu_weight: 50, memory_weight: 50 }];

    it('create, scale, resize, refused changes and delete move the totals exactly; a snapshot restore brings them back', async () => {
      const u = await server.newUser('counted');
      const other = await server.newUser('other');
      const ns = await ms.ns(u, 'app');
      await expectTotals(u, { services: 0, replicas: 0, containers: 0 });

      const a = await ms.createOk(u, statelessBody(ns, 'a', { replicas: 2 }));
      const b = await ms.createOk(u, statelessBody(ns, 'b', { replicas: 3, containers: two }));
      await ms.createOk(other, statelessBody(await ms.ns(other, 'x'), 'x', { replicas: 1 }));
      await expectTotals(u, { services: 2, replicas: 5, containers: 8 });
      await expectTotals(other, { services: 1, replicas: 1, containers: 1 });
      assert.ok((await ledger.frozen(await userId(u))) > 0);

      expectEmptyOk(await ms.put(u, `${b}/actions/elastic-scale?new_replicas=1`));
      await server.advance(2);
      await expectTotals(u, { services: 2, replicas: 3, containers: 4 });
      expectEmptyOk(await ms.put(u, `${a}/specification?spec_alias=c2m4s20`));
      await server.advance(2);
      await expectTotals(u, { services: 2, replicas: 3, containers: 4 });

      // Refused requests move nothing: a quota refusal, and a duplicate name.
      await ms.quotas(u, { replicas: 3 });
      expectError(await ms.put(u, `${a}/actions/elastic-scale?new_replicas=3`), 403, 4030005, 'Replication quota insufficient.');
      expectError(await ms.create(u, statelessBody(ns, 'c', { replicas: 1 })), 403, 4030005, 'Replication quota insufficient.');
      await ms.quotas(u, { replicas: 100 });
      expectError(await ms.create(u, statelessBody(ns, 'a', { replicas: 1 })), 409, 4090116, 'Duplicate microservice name.');
      await expectTotals(u, { services: 2, replicas: 3, containers: 4 });

      const snapshot = await server.operator('POST', '/snapshots');
      assert.equal(snapshot.status, 201, snapshot.text);
      assert.equal((await ms.del(u, a)).status, 200);
      await server.advance(2);
      await expectTotals(u, { services: 1, replicas: 1, containers: 2 });
      assert.equal((await ms.del(u, b)).status, 200);
      await server.advance(2);
      await expectTotals(u, { services: 0, replicas: 0, containers: 0 });
      assert.equal(await ledger.frozen(await userId(u)), 0);

      assert.equal((await server.operator('POST', `/snapshots/${snapshot.json.id}/restore`)).status, 200);
      await expectTotals(u, { services: 2, replicas: 3, containers: 4 });
      await expectTotals(other, { services: 1, replicas: 1, containers: 1 });
    });
  });
}
