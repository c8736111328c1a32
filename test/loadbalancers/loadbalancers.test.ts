import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectError, startTestServer, STORES, type TestServer, type TestUser } from '../helpers/server.ts';
import { selfSigned } from './certs.ts';
import { DELAY, httpListener, Lb, LBS, MS_TIME } from './helpers.ts';

const CREATE_KEYS = ['name', 'description', 'address', 'status', 'chargeMode', 'bandwidthLimit', 'createtime', 'updatetime'];
const LB_KEYS = ['name', 'description', 'address', 'status', 'instanceStatus', 'chargeMode', 'bandwidthLimit', 'namespace', 'createtime', 'updatetime'];

for (const store of STORES) {
  describe(`load balancers (${store})`, () => {
    let server: TestServer;
    let lb: Lb;
    let alice: TestUser;
    let bob: TestUser;
    const userId = async (u: TestUser) => (await server.services.identity.findUserByName(u.user_name))!.id;
    const balance = async (u: TestUser) => server.services.resources.billing.balance(await userId(u));

    before(async () => {
      server = await startTestServer(store, { ipBindingDelaySeconds: DELAY });
      lb = new Lb(server);
      alice = await server.newUser('alice');
      bob = await server.newUser('bob');
    });
    after(() => server.close());

    it('creates an LB on a new nlb IP: CREATING with the IP binding, then WORKING with it binded', async () => {
      const r = await lb.create(alice, { name: 'mylb' });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(Object.keys(r.json), CREATE_KEYS);
      assert.equal(r.json.status, 'CREATING');
      assert.deepEqual([r.json.name, r.json.description, r.json.chargeMode, r.json.bandwidthLimit], ['mylb', '', 'netflow', 1024]);
      assert.match(r.json.createtime, MS_TIME);
      assert.equal(r.json.updatetime, r.json.createtime);
      const ip = await lb.ip(alice, r.json.address);
      assert.deepEqual([ip.status, ip.type, ip.service_type, ip.service_name], ['binding', 'nlb', '负载均衡', 'mylb']);
      const creating = await lb.get(alice, 'mylb');
      assert.deepEqual([creating.json.status, creating.json.instanceStatus, creating.json.listeners], ['CREATING', 'UP', []]);
      await server.advance(DELAY);
      const detail = await lb.get(alice, 'mylb');
      assert.equal(detail.status, 200, detail.text);
      assert.deepEqual(Object.keys(detail.json), [...LB_KEYS, 'listeners']);
      assert.equal(detail.json.status, 'WORKING');
      assert.equal(detail.json.namespace, lb.ns(alice));
      assert.equal(detail.json.address, r.json.address);
      assert.ok(detail.json.updatetime > detail.json.createtime, 'the status change sets updatetime');
      assert.equal((await lb.ip(alice, r.json.address)).status, 'binded');
    });

    it('creates an LB on an existing available nlb IP given by address, and gives it back on delete', async () => {
      const ip = await lb.newIp(alice);
      const body = { name: 'onip', bandwidthLimit: '1', chargeMode: 'BANDWIDTH', description: 'mylb description', address: ip.ip };
      const r = await lb.create(alice, body);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual([r.json.address, r.json.chargeMode, r.json.bandwidthLimit, r.json.description], [ip.ip, 'bandwidth', 1, 'mylb description']);
      expectError(await lb.create(alice, { name: 'other', address: ip.ip }), 403, 4030411, 'IP is using');
      expectError(await lb.del(alice, 'onip'), 403, 4030462, 'Loadbalancer is creating');
      expectError(await lb.update(alice, 'onip', { description: 'x' }), 403, 4030462, 'Loadbalancer is creating');
      await server.advance(DELAY);
      const bound = await lb.ip(alice, ip.ip);
      assert.deepEqual([bound.status, bound.service_type, bound.service_name], ['binded', '负载均衡', 'onip']);
      assert.match(bound.service_id, /^[0-9a-f-]{36}$/);

      assert.equal((await lb.del(alice, 'onip')).status, 200);
      const deleting = await lb.get(alice, 'onip');
      assert.equal(deleting.json.status, 'DELETING');
      assert.equal((await lb.del(alice, 'onip')).status, 200, 'a repeated delete changes nothing');
      expectError(await lb.update(alice, 'onip', { description: 'x' }), 403, 4030401, 'Action forbidden');
      expectError(await lb.create(alice, { name: 'onip' }), 409, 4090483, 'Duplicate loadbalancer name');
      const listed = await lb.list(alice);
      assert.ok(listed.json.some((x: { name: string; status: string }) => x.name === 'onip' && x.status === 'DELETING'));
      await server.advance(DELAY);
      expectError(await lb.get(alice, 'onip'), 404, 4040402, 'No such loadbalancer');
      const freed = await lb.ip(alice, ip.ip);
      assert.deepEqual([freed.status, freed.service_type, freed.service_id, freed.service_name], ['available', '', '', '']);
      // The freed IP can carry a new LB.
      assert.equal((await lb.create(alice, { name: 'again', address: ip.ip })).status, 200);
    });

    it('answers 4040412 for an address that is not one of the caller’s nlb IPs', async () => {
      expectError(await lb.create(alice, { name: 'x1', address: '10.1.2.3' }), 404, 4040412, 'No such IP');
      const nce = await server.request('POST', '/api/v1/ips', { token: alice.token, body: { nce: 1 } });
      expectError(await lb.create(alice, { name: 'x1', address: nce.json.ips[0].ip }), 404, 4040412, 'No such IP');
      const bobs = await lb.newIp(bob);
      expectError(await lb.create(alice, { name: 'x1', address: bobs.ip }), 404, 4040412, 'No such IP');
      expectError(await lb.get(alice, 'x1'), 404, 4040402, 'No such loadbalancer');
    });

    it('namespace: header (any case) or query, 4000402 when absent or empty, 4000459 unless a system name of the caller', async () => {
      await lb.newNamespace(alice, 'prod');
      expectError(await lb.create(alice, { name: 'n1' }, null), 400, 4000402, 'Missing parameters');
      expectError(await lb.create(alice, { name: 'n1' }, ''), 400, 4000402, 'Missing parameters');
      expectError(await lb.get(alice, 'mylb', null), 400, 4000402, 'Missing parameters');
      expectError(await lb.create(alice, { name: 'n1' }, 'prod'), 400, 4000459, 'Namspace not found');
      expectError(await lb.create(alice, { name: 'n1' }, lb.ns(bob)), 400, 4000459, 'Namspace not found');
      expectError(await lb.get(alice, 'mylb', lb.ns(bob)), 400, 4000459, 'Namspace not found');
      // The namespace check comes before every body field.
      expectError(await lb.create(alice, { name: 'BAD' }, null), 400, 4000402, 'Missing parameters');
      expectError(await lb.create(alice, { name: 'BAD' }, 'nope'), 400, 4000466, 'Invalid lbName');
      const viaQuery = await server.request('POST', `${LBS}?namespace=${lb.ns(alice, 'prod')}`, { token: alice.token, body: { name: 'inprod' } });
      assert.equal(viaQuery.status, 200, viaQuery.text);
      const headerWins = await server.request('GET', `${LBS}/inprod?namespace=${lb.ns(alice)}`, { token: alice.token, headers: { Namespace: lb.ns(alice, 'prod') } });
      assert.equal(headerWins.status, 200, headerWins.text);
      assert.equal(headerWins.json.namespace, lb.ns(alice, 'prod'));
      // Same name in another namespace is another LB.
      assert.equal((await lb.create(alice, { name: 'inprod' })).status, 200);
    });

    it('validates the body in table order: missing, then type, then format; nothing is stored', async () => {
      const bad = async (body: unknown, status: number, code: number, message: string) => expectError(await lb.create(alice, body as Record<string, unknown>), status, code, message);
      await bad({}, 400, 4000402, 'Missing parameters');
      await bad({ name: '' }, 400, 4000402, 'Missing parameters');
      await bad({ name: null }, 400, 4000402, 'Missing parameters');
      await bad({ name: 12 }, 400, 4000460, 'Invalid parameter type');
      await bad({ name: 'Upper' }, 400, 4000466, 'Invalid lbName');
      await bad({ name: 'a'.repeat(33) }, 400, 4000466, 'Invalid lbName');
      await bad({ name: 'ends-' }, 400, 4000466, 'Invalid lbName');
      await bad({ name: 'v1', chargeMode: 'monthly' }, 400, 4000464, 'Invalid chargeMode');
      await bad({ name: 'v1', chargeMode: 3 }, 400, 4000460, 'Invalid parameter type');
      await bad({ name: 'v1', bandwidthLimit: 0 }, 400, 4000465, 'Invalid bandwidthLimit');
      await bad({ name: 'v1', bandwidthLimit: 1025 }, 400, 4000465, 'Invalid bandwidthLimit');
      await bad({ name: 'v1', bandwidthLimit: 10.5 }, 400, 4000465, 'Invalid bandwidthLimit');
      await bad({ name: 'v1', bandwidthLimit: true }, 400, 4000460, 'Invalid parameter type');
      await bad({ name: 'v1', bandwidthLimit: 'ten' }, 400, 4000460, 'Invalid parameter type');
      await bad({ name: 'v1', description: 'x'.repeat(257) }, 400, 4000482, 'Invalid description');
      await bad({ name: 'v1', description: 'tab\there' }, 400, 4000482, 'Invalid description');
      await bad({ name: 'v1', description: ['x'] }, 400, 4000460, 'Invalid parameter type');
      await bad({ name: 'v1', address: '1.2.3' }, 400, 4000401, 'Invalid parameters');
      await bad({ name: 'v1', address: '256.1.1.1' }, 400, 4000401, 'Invalid parameters');
      // Type errors come first within a field; fields go in table order.
      await bad({ name: 'BAD', chargeMode: 5 }, 400, 4000466, 'Invalid lbName');
      await bad({ name: 'v1', chargeMode: 'x', bandwidthLimit: 0 }, 400, 4000464, 'Invalid chargeMode');
      const r = await lb.req(alice, 'POST', LBS, { raw: '{"name":', headers: { 'content-type': 'application/json' } });
      expectError(r, 400, 4000403, 'Invalid request body');
      expectError(await lb.get(alice, 'v1'), 404, 4040402, 'No such loadbalancer');
      // `flow` is accepted as `netflow`; a 256-character description is fine.
      const ok = await lb.create(alice, { name: 'v1', chargeMode: 'flow', description: 'é'.repeat(256) });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.json.chargeMode, 'netflow');
    });

    it('updates chargeMode, bandwidthLimit and description; omitted fields keep their values', async () => {
      await lb.createWorking(alice, 'upd', { description: 'first' });
      const before = (await lb.get(alice, 'upd')).json;
      expectError(await lb.update(alice, 'upd', { bandwidthLimit: 0 }), 400, 4000465, 'Invalid bandwidthLimit');
      expectError(await lb.update(alice, 'upd', { chargeMode: 'x' }), 400, 4000464, 'Invalid chargeMode');
      expectError(await lb.update(alice, 'upd', { description: 7 }), 400, 4000460, 'Invalid parameter type');
      expectError(await lb.update(alice, 'upd', { description: '\u0000' }), 400, 4000482, 'Invalid description');
      expectError(await lb.update(alice, 'nope', {}), 404, 4040402, 'No such loadbalancer');
      expectError(await lb.update(alice, 'upd', {}, 'nope'), 400, 4000459, 'Namspace not found');
      assert.equal((await lb.update(alice, 'upd', {})).status, 200);
      assert.equal((await lb.update(alice, 'upd', { bandwidthLimit: 10, name: 'ignored', address: '1.1.1.1' })).status, 200);
      let after = (await lb.get(alice, 'upd')).json;
      assert.deepEqual([after.name, after.address, after.chargeMode, after.bandwidthLimit, after.description], ['upd', before.address, 'netflow', 10, 'first']);
      assert.ok(after.updatetime >= before.updatetime);
      assert.equal((await lb.update(alice, 'upd', { chargeMode: 'bandwidth', description: '' })).status, 200);
      after = (await lb.get(alice, 'upd')).json;
      assert.deepEqual([after.chargeMode, after.bandwidthLimit, after.description], ['bandwidth', 10, '']);
    });

    it('needs a balance of 50 CNY to create or to change what is billed', async () => {
      await lb.createWorking(alice, 'paid');
      await lb.setUser(alice, { balance: 49.99 });
      expectError(await lb.create(alice, { name: 'poor' }), 403, 4030432, 'User balance is not enough');
      const ip = await (async () => { await lb.setUser(alice, { balance: 1000 }); const i = await lb.newIp(alice); await lb.setUser(alice, { balance: 49.99 }); return i; })();
      expectError(await lb.create(alice, { name: 'poor', address: ip.ip }), 403, 4030432, 'User balance is not enough');
      assert.equal((await lb.ip(alice, ip.ip)).status, 'available', 'a refused create binds nothing');
      expectError(await lb.update(alice, 'paid', { bandwidthLimit: 5 }), 403, 4030432, 'User balance is not enough');
      expectError(await lb.update(alice, 'paid', { chargeMode: 'bandwidth' }), 403, 4030432, 'User balance is not enough');
      // Unchanged values and the description are not paid changes.
      assert.equal((await lb.update(alice, 'paid', { chargeMode: 'netflow', bandwidthLimit: 1024, description: 'free' })).status, 200);
      expectError(await lb.get(alice, 'poor'), 404, 4040402, 'No such loadbalancer');
      await lb.setUser(alice, { balance: 50 });
      assert.equal((await lb.create(alice, { name: 'rich', address: ip.ip })).status, 200, 'exactly 50 is enough');
      await lb.setUser(alice, { balance: 1000 });
    });

    it('bills bandwidth by the hour (0.03/Mbps up to 5 Mbps, 0.10 above); netflow and deleted LBs cost nothing more', async () => {
      const user = await server.newUser('payer');
      const r = await lb.createWorking(user, 'bw', { chargeMode: 'bandwidth', bandwidthLimit: 10 });
      const ipCost = 0.004;
      const hourly = 5 * 0.03 + 5 * 0.1; // 0.65
      const start = 1000 - ipCost - hourly;
      assert.ok(Math.abs(await balance(user) - start) < 1e-9, `balance ${await balance(user)}`);
      await server.advance(3600);
      assert.ok(Math.abs(await balance(user) - (start - ipCost - hourly)) < 1e-9);
      // To netflow: no bandwidth charge from now on (the started hour stays charged).
      assert.equal((await lb.update(user, 'bw', { chargeMode: 'netflow' })).status, 200);
      await server.advance(3600);
      const afterNetflow = start - 2 * ipCost - hourly;
      assert.ok(Math.abs(await balance(user) - afterNetflow) < 1e-9, `balance ${await balance(user)}`);
      // Back to bandwidth 2 Mbps: charged at once at the new price.
      assert.equal((await lb.update(user, 'bw', { chargeMode: 'bandwidth', bandwidthLimit: 2 })).status, 200);
      assert.ok(Math.abs(await balance(user) - (afterNetflow - 0.06)) < 1e-9, `balance ${await balance(user)}`);
      assert.equal((await lb.del(user, 'bw')).status, 200);
      await server.advance(7200);
      // Only the IP (kept, not released) goes on costing.
      assert.ok(Math.abs(await balance(user) - (afterNetflow - 0.06 - 2 * ipCost)) < 1e-9, `balance ${await balance(user)}`);
      assert.equal((await lb.ip(user, r.json.address)).status, 'available');
    });

    it('an account in arrears keeps being billed and can buy nothing until it pays', async () => {
      const user = await server.newUser('debtor');
      await lb.createWorking(user, 'owing', { chargeMode: 'bandwidth', bandwidthLimit: 5 });
      await lb.setUser(user, { balance: 0.1 });
      await server.advance(3600);
      assert.ok(await balance(user) < 0, 'the next hour is charged into arrears');
      expectError(await lb.create(user, { name: 'more' }), 403, 4030432, 'User balance is not enough');
      expectError(await lb.update(user, 'owing', { bandwidthLimit: 1 }), 403, 4030432, 'User balance is not enough');
      assert.equal((await lb.get(user, 'owing')).json.status, 'WORKING');
      await lb.setUser(user, { balance: 100 });
      assert.equal((await lb.update(user, 'owing', { bandwidthLimit: 1 })).status, 200);
    });

    it('lists across namespaces newest first, filters by namespace, pages with offset and limit', async () => {
      const user = await server.newUser('lister');
      const { ns: prod } = await lb.newNamespace(user, 'prod');
      await lb.create(user, { name: 'first' });
      await server.advance(DELAY);
      await lb.create(user, { name: 'second' }, prod);
      await server.advance(DELAY);
      await lb.create(user, { name: 'third' });
      const all = await lb.list(user);
      assert.equal(all.status, 200, all.text);
      assert.deepEqual(all.json.map((x: { name: string }) => x.name), ['third', 'second', 'first']);
      for (const item of all.json) assert.deepEqual(Object.keys(item), LB_KEYS);
      assert.deepEqual(all.json.map((x: { namespace: string }) => x.namespace), [lb.ns(user), prod, lb.ns(user)]);
      assert.deepEqual((await lb.list(user, '', prod)).json.map((x: { name: string }) => x.name), ['second']);
      assert.deepEqual((await lb.list(user, `?namespace=${prod}`)).json.map((x: { name: string }) => x.name), ['second']);
      assert.deepEqual((await lb.list(user, '?offset=1&limit=1')).json.map((x: { name: string }) => x.name), ['second']);
      assert.deepEqual((await lb.list(user, '?offset=5')).json, []);
      assert.deepEqual((await lb.list(user, '?limit=0')).json, []);
      assert.equal((await lb.list(user, '?limit=100000')).json.length, 3);
      expectError(await lb.list(user, '?offset=-1'), 400, 4000401, 'Invalid parameters');
      expectError(await lb.list(user, '?limit=x'), 400, 4000401, 'Invalid parameters');
      expectError(await lb.list(user, '', 'prod'), 400, 4000459, 'Namspace not found');
      assert.deepEqual((await lb.list(bob)).json.filter((x: { name: string }) => ['first', 'second', 'third'].includes(x.name)), [], 'another user sees none of them');
    });

    it('quota: 10 load balancers per user, any namespace and status (4000469 before the IP quota)', async () => {
      const user = await server.newUser('many');
      const { ns: other } = await lb.newNamespace(user, 'other');
      for (let i = 0; i < 10; i++) assert.equal((await lb.create(user, { name: `lb${i}` }, i % 2 ? other : undefined)).status, 200);
      expectError(await lb.create(user, { name: 'lb10' }), 400, 4000469, 'Loadbalancer quota insufficient');
      await server.advance(DELAY);
      assert.equal((await lb.del(user, 'lb0')).status, 200);
      expectError(await lb.create(user, { name: 'lb10' }), 400, 4000469, 'Loadbalancer quota insufficient');
      expectError(await lb.create(user, { name: 'lb0' }), 409, 4090483, 'Duplicate loadbalancer name');
      await server.advance(DELAY);
      // lb0 is gone, its IP is available again: the next LB fits the quota, on that IP.
      const ips = await server.request('GET', '/api/v1/ips?status=available', { token: user.token });
      assert.equal(ips.json.ips.length, 1);
      assert.equal((await lb.create(user, { name: 'lb10', address: ips.json.ips[0].ip })).status, 200);
    });

    it('a new IP needs the nlb IP quota (4030302) and balance checks come after it', async () => {
      const user = await server.newUser('noquota');
      await lb.setUser(user, { quotas: { ips_nlb: 0 } });
      expectError(await lb.create(user, { name: 'q' }), 403, 4030302, 'Quota insufficient');
      await lb.setUser(user, { balance: 1 });
      expectError(await lb.create(user, { name: 'q' }), 403, 4030302, 'Quota insufficient');
      await lb.setUser(user, { quotas: { ips_nlb: 10 } });
      expectError(await lb.create(user, { name: 'q' }), 403, 4030432, 'User balance is not enough');
      const ips = await server.request('GET', '/api/v1/ips', { token: user.token });
      assert.equal(ips.json.total, 0, 'a refused create allocates no IP');
    });

    it('isolation: another user neither sees nor changes an LB, even knowing its namespace and name', async () => {
      await lb.createWorking(alice, 'private');
      expectError(await lb.get(bob, 'private', lb.ns(alice)), 400, 4000459, 'Namspace not found');
      expectError(await lb.get(bob, 'private'), 404, 4040402, 'No such loadbalancer');
      expectError(await lb.del(bob, 'private'), 404, 4040402, 'No such loadbalancer');
      expectError(await lb.update(bob, 'private', { description: 'x' }), 404, 4040402, 'No such loadbalancer');
      assert.equal((await lb.get(alice, 'private')).json.status, 'WORKING');
    });

    it('concurrent creates of one name in one namespace: exactly one wins', async () => {
      const user = await server.newUser('racer');
      const results = await Promise.all(Array.from({ length: 5 }, () => lb.create(user, { name: 'race' })));
      const ok = results.filter((r) => r.status === 200);
      assert.equal(ok.length, 1, results.map((r) => r.text).join('\n'));
      for (const r of results.filter((x) => x.status !== 200)) expectError(r, 409, 4090483, 'Duplicate loadbalancer name');
      const ips = await server.request('GET', '/api/v1/ips', { token: user.token });
      assert.equal(ips.json.total, 1, 'the losers allocated no IP');
    });

    it('a namespace that holds load balancers is not deletable (4030401) until they are gone', async () => {
      const user = await server.newUser('nsowner');
      const { id, ns } = await lb.newNamespace(user, 'temp');
      await lb.createWorking(user, 'inside', {}, ns);
      const deletable = async () => (await server.request('GET', '/api/v1/namespaces', { token: user.token })).json.namespaces.find((n: { id: number }) => n.id === id).deletable;
      assert.equal(await deletable(), false);
      expectError(await server.request('DELETE', `/api/v1/namespaces/${id}`, { token: user.token }), 403, 4030401, 'Action forbidden');
      assert.equal((await lb.del(user, 'inside', ns)).status, 200);
      expectError(await server.request('DELETE', `/api/v1/namespaces/${id}`, { token: user.token }), 403, 4030401, 'Action forbidden');
      await server.advance(DELAY);
      assert.equal(await deletable(), true);
      assert.equal((await server.request('DELETE', `/api/v1/namespaces/${id}`, { token: user.token })).status, 200);
    });

    it('deleting an LB removes its listeners; the name becomes free once it is gone', async () => {
      const user = await server.newUser('cleaner');
      await lb.service(user, 'web', [80]);
      await lb.createWorking(user, 'withl');
      assert.equal((await lb.addListener(user, 'withl', httpListener('l1', 80, 'web'))).status, 200);
      assert.equal((await lb.del(user, 'withl')).status, 200);
      assert.equal((await lb.listeners(user, 'withl')).json.length, 1, 'listeners stay visible while DELETING');
      expectError(await lb.addListener(user, 'withl', httpListener('l2', 81, 'web')), 400, 4000454, 'Invalid listener port');
      expectError(await lb.addListener(user, 'withl', httpListener('l2', 8081, 'web')), 403, 4030401, 'Action forbidden');
      await server.advance(DELAY);
      expectError(await lb.listeners(user, 'withl'), 404, 4040402, 'No such loadbalancer');
      await lb.createWorking(user, 'withl');
      assert.deepEqual((await lb.listeners(user, 'withl')).json, []);
    });
  });
}

describe('load balancers: exhausted address pool (sqlite)', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer('sqlite', { ipPool: '10.9.0.0/30' }); });
  after(() => server.close());

  it('answers 5000303 when no address is left, after the balance check', async () => {
    const lb = new Lb(server);
    const user = await server.newUser('pool');
    assert.equal((await lb.create(user, { name: 'a' })).status, 200);
    assert.equal((await lb.create(user, { name: 'b' })).status, 200);
    expectError(await lb.create(user, { name: 'c' }), 500, 5000303, 'IP not enough');
    await lb.setUser(user, { balance: 10 });
    expectError(await lb.create(user, { name: 'c' }), 403, 4030432, 'User balance is not enough');
  });
});

describe('load balancers: simulated provisioning failure (sqlite)', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer('sqlite', { ipBindingDelaySeconds: DELAY }); });
  after(() => server.close());

  it('an ERROR LB refuses updates and listener changes (4030401) and can be deleted', async () => {
    const lb = new Lb(server);
    const user = await server.newUser('failing');
    await lb.service(user, 'web', [80]);
    const created = await lb.create(user, { name: 'broken' });
    const set = (status: string, name = 'broken') => server.operator('PATCH', `/loadbalancers/${lb.ns(user)}/${name}`, { status });
    assert.equal((await set('ERROR')).status, 200);
    expectError(await set('ERROR', 'nope'), 404, 4040402, 'No such loadbalancer');
    await server.advance(DELAY);
    const detail = (await lb.get(user, 'broken')).json;
    assert.equal(detail.status, 'ERROR', 'an ERROR LB stays ERROR');
    expectError(await lb.update(user, 'broken', { description: 'x' }), 403, 4030401, 'Action forbidden');
    expectError(await lb.addListener(user, 'broken', httpListener('l', 80, 'web')), 403, 4030401, 'Action forbidden');
    assert.equal((await lb.del(user, 'broken')).status, 200);
    assert.equal((await lb.get(user, 'broken')).json.status, 'DELETING');
    await server.advance(DELAY);
    expectError(await lb.get(user, 'broken'), 404, 4040402, 'No such loadbalancer');
    assert.equal((await lb.ip(user, created.json.address)).status, 'available');
  });
});

describe('load balancers: phases without delay (sqlite)', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer('sqlite', { ipBindingDelaySeconds: 0 }); });
  after(() => server.close());

  it('an LB whose deletion has ended frees its name, quota slot and certificates before anything else is judged', async () => {
    const lb = new Lb(server);
    const user = await server.newUser('quick');
    await lb.setUser(user, { quotas: { loadbalancers: 1 } });
    await lb.service(user, 'web', [80]);
    const pair = selfSigned();
    const cert = await server.request('POST', '/api/v1/nlb/certs', { token: user.token, body: { name: 'c', pubCert: pair.cert, priKey: pair.key } });
    assert.equal((await lb.create(user, { name: 'fast' })).status, 200);
    const https = { name: 'tls', protocol: 'https', listenPort: 443, clusters: [{ serviceName: 'web', servicePort: 80, certId: cert.json.id }] };
    assert.equal((await lb.addListener(user, 'fast', https)).status, 200, 'WORKING at once');
    assert.equal((await lb.del(user, 'fast')).status, 200);
    // No clock tick has run since: the first request to look settles the ended deletion.
    assert.equal((await server.request('DELETE', `/api/v1/nlb/certs/${cert.json.id}`, { token: user.token })).status, 200);
    assert.equal((await lb.create(user, { name: 'fast' })).status, 200);
  });
});
