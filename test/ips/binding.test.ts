import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiError } from '../../src/catalog/index.ts';
import type { IpBinding, Owner } from '../../src/domains/contracts.ts';
import type { Tx } from '../../src/store/db.ts';
import { expectError, startTestServer, STORES, type TestServer, type TestUser } from '../helpers/server.ts';
import { Ms, statefulBody } from '../microservices/helpers.ts';

const BASE = '/api/v1/ips';
const DELAY = 30; // seconds an IP taken by a new load balancer stays `binding` in these tests

/** Runs `fn` and returns the name of the catalog error it threw. */
async function thrown(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
    return err.errorName;
  }
  assert.fail('expected an error');
}

for (const store of STORES) {
  describe(`IpBinding (${store})`, () => {
    let server: TestServer;
    let ips: IpBinding;
    let users = 0;

    before(async () => {
      server = await startTestServer(store, { ipBindingDelaySeconds: DELAY });
      ips = server.services.resources.ips;
    });
    after(() => server.close());

    async function fresh(): Promise<{ user: TestUser; owner: Owner }> {
      const user = await server.newUser(`binder${++users}`);
      const row = await server.services.identity.findUserByName(user.user_name);
      return { user, owner: { id: row!.id, user_name: user.user_name } };
    }
    const inTx = <T>(fn: (tx: Tx) => Promise<T>) => server.services.store.db.transaction().execute(fn);
    const get = (u: TestUser, id: string) => server.request('GET', `${BASE}/${id}`, { token: u.token });
    async function createIps(u: TestUser, body: Record<string, number>): Promise<any[]> {
      const r = await server.request('POST', BASE, { token: u.token, body });
      assert.equal(r.status, 200, r.text);
      return r.json.ips;
    }
    const codes = { wrongType: 'MICROSERVICE_PUBLIC_NETWORK_INFO_INVALID', inUse: 'LB_IP_IS_USING' } as const;

    it('checkBindable: unknown or foreign id → NO_SUCH_IP, wrong type → wrongType, not available → inUse', async () => {
      const { user, owner } = await fresh();
      const other = await fresh();
      const [nlb, nce] = await createIps(user, { nce: 1, nlb: 1 });
      await ips.checkBindable(owner, nce.id, 'nce', codes);
      await ips.checkBindable(owner, nce.id.toUpperCase(), 'nce', codes);
      await ips.checkBindable(owner, nlb.ip, 'nlb', { wrongType: 'LB_NO_SUCH_IP', inUse: 'LB_IP_IS_USING' });
      assert.equal(await thrown(() => ips.checkBindable(owner, 'no-such-id', 'nce', codes)), 'NO_SUCH_IP');
      assert.equal(await thrown(() => ips.checkBindable(other.owner, nce.id, 'nce', codes)), 'NO_SUCH_IP');
      assert.equal(await thrown(() => ips.checkBindable(owner, nlb.id, 'nce', codes)), 'MICROSERVICE_PUBLIC_NETWORK_INFO_INVALID');
      assert.equal(await thrown(() => ips.checkBindable(owner, nce.ip, 'nlb', { wrongType: 'LB_NO_SUCH_IP', inUse: 'LB_IP_IS_USING' })), 'LB_NO_SUCH_IP');
      await inTx((tx) => ips.bind(tx, owner, nce.id, { service_type: 'microservice', service_id: '51572', service_name: 'web' }));
      assert.equal(await thrown(() => ips.checkBindable(owner, nce.id, 'nce', codes)), 'LB_IP_IS_USING');
    });

    it('a microservice names its IP by id only: an address as ip_id is 4040302, and the IP stays available', async () => {
      const { user, owner } = await fresh();
      const [nce] = await createIps(user, { nce: 1 });
      assert.equal(await thrown(() => ips.checkBindable(owner, nce.ip, 'nce', codes)), 'NO_SUCH_IP');
      const target = { service_type: 'microservice', service_id: '3', service_name: 'byaddr' };
      assert.equal(await thrown(() => inTx((tx) => ips.bind(tx, owner, nce.ip, target))), 'NO_SUCH_IP');
      const ms = new Ms(server);
      const ns = await ms.ns(user, 'ipspace');
      const net = { state_public_net: { used: true, type: 'flow', bandwidth: 20 } };
      expectError(await ms.create(user, statefulBody(ns, 'byaddr', { service: { ...net, ip_id: nce.ip } })), 404, 4040302, 'No such IP');
      assert.deepEqual((await get(user, nce.id)).json, nce);
      // By its id the same IP binds.
      await ms.createOk(user, statefulBody(ns, 'byid', { service: { ...net, ip_id: nce.id } }), false);
      assert.equal((await get(user, nce.id)).json.status, 'binded');
    });

    it('bind (microservice) → binded with the target recorded; release refused with 4030411; address()', async () => {
      const { user, owner } = await fresh();
      const [nce] = await createIps(user, { nce: 1 });
      await server.advance(5);
      const bound = await inTx((tx) => ips.bind(tx, owner, nce.id, { service_type: 'microservice', service_id: '51572', service_name: 'web' }));
      assert.deepEqual(bound, { ip: nce.ip });
      const d = (await get(user, nce.id)).json;
      assert.equal(d.status, 'binded');
      assert.equal(d.service_type, '服务');
      assert.equal(d.service_id, '51572');
      assert.equal(d.service_name, 'web');
      assert.ok(d.update_at > nce.update_at, 'binding sets update_at');
      expectError(await server.request('DELETE', `${BASE}/${nce.id}`, { token: user.token }), 403, 4030411, 'IP is using');
      assert.equal(await ips.address(owner, nce.id), nce.ip);
      assert.equal(await ips.address(owner, 'nope'), null);
      // A second bind of the same IP is refused.
      assert.equal(await thrown(() => inTx((tx) => ips.bind(tx, owner, nce.id, { service_type: 'microservice', service_id: '2', service_name: 'x' }))), 'LB_IP_IS_USING');
      assert.equal(await thrown(() => inTx((tx) => ips.bind(tx, owner, 'nope', { service_type: 'microservice', service_id: '2', service_name: 'x' }))), 'NO_SUCH_IP');
    });

    it('unbind without release → available, service fields cleared, still billed', async () => {
      const { user, owner } = await fresh();
      const [nce] = await createIps(user, { nce: 1 });
      await inTx((tx) => ips.bind(tx, owner, nce.id, { service_type: 'microservice', service_id: '9', service_name: 'db' }));
      await server.advance(5);
      await inTx((tx) => ips.unbind(tx, owner, nce.id, false));
      const d = (await get(user, nce.id)).json;
      assert.deepEqual([d.status, d.service_type, d.service_id, d.service_name], ['available', '', '', '']);
      assert.ok(d.update_at > nce.update_at);
      await server.advance(3600);
      assert.deepEqual((await server.request('GET', `${BASE}/${nce.id}/cost`, { token: user.token })).json, { id: nce.id, cost: 0.008 });
      const r = await server.request('DELETE', `${BASE}/${nce.id}`, { token: user.token });
      assert.equal(r.status, 200);
    });

    it('unbind with release → the IP is gone and its metering stops', async () => {
      const { user, owner } = await fresh();
      const [nce] = await createIps(user, { nce: 1 });
      await inTx((tx) => ips.bind(tx, owner, nce.id, { service_type: 'microservice', service_id: '10', service_name: 'api' }));
      await inTx((tx) => ips.unbind(tx, owner, nce.id, true));
      expectError(await get(user, nce.id), 404, 4040302, 'No such IP');
      assert.equal((await server.request('GET', '/api/v1/ips/quota', { token: user.token })).json.used, 0);
      const balance = await server.services.resources.billing.balance(owner.id);
      await server.advance(7200);
      assert.equal(await server.services.resources.billing.balance(owner.id), balance);
      assert.equal((await server.services.resources.billing.accrued(owner.id, 'ip', nce.id))?.amount, 0.004);
      // Unbinding an IP that no longer exists is a no-op.
      await inTx((tx) => ips.unbind(tx, owner, nce.id, true));
    });

    it('load balancer: bind by address → binding, then binded after the delay; unbind → available', async () => {
      const { user, owner } = await fresh();
      const [nlb] = await createIps(user, { nlb: 1 });
      const target = { service_type: 'loadbalancer', service_id: 'e2cc21da-9bb9-4db8-ae54-10b358a3a7aa', service_name: 'mylb' };
      assert.deepEqual(await inTx((tx) => ips.bind(tx, owner, nlb.ip, target)), { ip: nlb.ip });
      let d = (await get(user, nlb.id)).json;
      assert.deepEqual([d.status, d.service_type, d.service_id, d.service_name], ['binding', '负载均衡', target.service_id, 'mylb']);
      assert.equal((await server.request('GET', `${BASE}?status=binding`, { token: user.token })).json.total, 1);
      expectError(await server.request('DELETE', `${BASE}/${nlb.id}`, { token: user.token }), 403, 4030411, 'IP is using');
      // Real time moves the server clock too: leave a margin so a busy machine cannot cross the deadline.
      await server.advance(DELAY - 10);
      assert.equal((await get(user, nlb.id)).json.status, 'binding');
      await server.advance(10);
      d = (await get(user, nlb.id)).json;
      assert.equal(d.status, 'binded');
      assert.equal((await server.request('GET', `${BASE}?status=binded&type=nlb`, { token: user.token })).json.total, 1);
      expectError(await server.request('DELETE', `${BASE}/${nlb.id}`, { token: user.token }), 403, 4030411, 'IP is using');
      await inTx((tx) => ips.unbind(tx, owner, nlb.ip, false));
      d = (await get(user, nlb.id)).json;
      assert.deepEqual([d.status, d.service_type, d.service_id, d.service_name], ['available', '', '', '']);
      assert.equal((await server.request('DELETE', `${BASE}/${nlb.id}`, { token: user.token })).status, 200);
    });

    it('allocate (load balancer without address): a new nlb IP, billed, binding then binded; quota 4030302', async () => {
      const { user, owner } = await fresh();
      const target = { service_type: 'loadbalancer', service_id: 'a1b2c3d4-0000-4000-8000-000000000001', service_name: 'auto' };
      const quotas = { ips_nce: 20, ips_nlb: 1 };
      const got = await inTx((tx) => ips.allocate(tx, owner, quotas, target));
      assert.match(got.id, /^[1-9]\d*$/);
      const d = (await get(user, got.id)).json;
      assert.deepEqual([d.ip, d.type, d.status, d.service_type, d.service_name], [got.ip, 'nlb', 'binding', '负载均衡', 'auto']);
      assert.deepEqual((await server.request('GET', `${BASE}/${got.id}/cost`, { token: user.token })).json, { id: got.id, cost: 0.004 });
      await server.advance(DELAY);
      assert.equal((await get(user, got.id)).json.status, 'binded');
      assert.equal(await thrown(() => inTx((tx) => ips.allocate(tx, owner, quotas, target))), 'IP_QUOTA_INSUFFICIENT');
      assert.equal((await server.request('GET', BASE, { token: user.token })).json.total, 1);
    });

    it('a bind inside a transaction that fails afterwards leaves the IP untouched', async () => {
      const { user, owner } = await fresh();
      const [nce] = await createIps(user, { nce: 1 });
      const before = (await get(user, nce.id)).json;
      await assert.rejects(inTx(async (tx) => {
        await ips.bind(tx, owner, nce.id, { service_type: 'microservice', service_id: '11', service_name: 'late' });
        throw new ApiError('MICROSERVICE_PUBLIC_NETWORK_INFO_INVALID');
      }));
      assert.deepEqual((await get(user, nce.id)).json, before);
    });
  });

  describe(`IpBinding.allocate with a small pool (${store})`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(store, { ipPool: '10.8.0.0/30' }); // two usable addresses
    });
    after(() => server.close());

    it('throws IP_NOT_ENOUGH when the pool is exhausted, and allocates nothing', async () => {
      const user = await server.newUser('small');
      const owner = { id: (await server.services.identity.findUserByName('small'))!.id, user_name: 'small' };
      const ips = server.services.resources.ips;
      const target = { service_type: 'loadbalancer', service_id: 'x', service_name: 'lb' };
      const inTx = <T>(fn: (tx: Tx) => Promise<T>) => server.services.store.db.transaction().execute(fn);
      const quotas = { ips_nce: 20, ips_nlb: 10 };
      assert.equal((await inTx((tx) => ips.allocate(tx, owner, quotas, target))).ip, '10.8.0.1');
      assert.equal((await inTx((tx) => ips.allocate(tx, owner, quotas, target))).ip, '10.8.0.2');
      assert.equal(await thrown(() => inTx((tx) => ips.allocate(tx, owner, quotas, target))), 'IP_NOT_ENOUGH');
      assert.equal((await server.request('GET', BASE, { token: user.token })).json.total, 2);
    });
  });
}
