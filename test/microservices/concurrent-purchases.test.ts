import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectError, startTestServer, STORES, type TestServer } from '../helpers/server.ts';
import { Ms, statelessBody } from './helpers.ts';

for (const store of STORES) {
  describe(`microservices: concurrent purchases are judged one after the other (${store})`, () => {
    let server: TestServer;
    let ms: Ms;
    before(async () => {
      server = await startTestServer(store);
      ms = new Ms(server);
    });
    after(() => server.close());

    it('with room for one hour of one big service, of several concurrent creates exactly one is accepted (4030147 for the rest)', async () => {
      const u = await server.newUser('buyer');
      const ns = await ms.ns(u, 'shop');
      // C32M128S20 × 5 replicas = 33.15 CNY/h. From 90 CNY the first service is charged its first hour
      // (56.85 left, still ≥ 50) and freezes one hour: 56.85 − 33.15 leaves no room for a second hour.
      await server.operator('PATCH', `/users/${u.user_name}`, { balance: 90 });
      const big = (name: string) => statelessBody(ns, name, { replicas: 5, service: { spec_alias: 'C32M128S20' } });
      const results = await Promise.all(['s1', 's2', 's3', 's4'].map((name) => ms.create(u, big(name))));
      assert.equal(results.filter((r) => r.status === 200).length, 1, results.map((r) => r.text).join(' | '));
      for (const r of results.filter((r) => r.status !== 200)) expectError(r, 403, 4030147, 'Frozen fee fail.');
      assert.equal((await ms.list(u, ns)).json.total, 1);
    });
  });
}
