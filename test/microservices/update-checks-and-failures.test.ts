/**
 * The changing endpoints of a service (microservices.md §3.10–§3.17) against the reference: busy statuses
 * on the server clock, the operation × kind × status matrix including `create_fail` and `update_fail`,
 * the microservices.md §1.3 order (quotas and billing before the backend; referenced images before repository rules),
 * billing on scale-up, spec change and update-stateful, and that refused requests change nothing.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { expectError, startTestServer, STORES, type TestServer, type TestUser } from '../helpers/server.ts';
import { expectEmptyOk as ok, IMAGE, Ms, startSuite, statefulBody, statelessBody, SwitchableRuntime } from './helpers.ts';

const BUSY = 'Microservice can’t update in current state.';
const CANT_OPERATE = 'Microservice can’t operate in current state.';

for (const store of STORES) {
  describe(`microservices updates audit (${store})`, () => {
    let server: TestServer;
    let ms: Ms;
    let runtime: SwitchableRuntime;
    let u: TestUser;
    let ns: number;

    before(async () => {
      runtime = new SwitchableRuntime();
      ({ server, ms, u, ns } = await startSuite(store, 'audra', { runtime }));
    });
    after(() => server.close());
    beforeEach(() => runtime.reset());

    const v2 = async (user: TestUser, id: number) => (await ms.detail(user, id, true)).json;
    const cidOf = async (user: TestUser, id: number) => (await v2(user, id)).service_container_infos[0].container_id as number;
    async function newIp(user: TestUser): Promise<string> {
      const r = await server.request('POST', '/api/v1/ips', { token: user.token, body: { nce: 1 } });
      assert.equal(r.status, 200, r.text);
      return r.json.ips[0].id;
    }
    /** Busy one second before the 2-second hand-over ends, settled at its end. */
    async function expectPhase(user: TestUser, id: number, busy: string, done: string, seconds = 2) {
      assert.equal(await ms.status(user, id), busy);
      await server.advance(seconds - 1);
      assert.equal(await ms.status(user, id), busy);
      await server.advance(1);
      assert.equal(await ms.status(user, id), done);
    }

    it('every changing endpoint: busy status for exactly the runtime time on the server clock, then *_succ', async () => {
      const sl = await ms.createOk(u, statelessBody(ns, 'clock-sl', { replicas: 2 }), false);
      await expectPhase(u, sl, 'creating', 'create_succ');
      const cid = await cidOf(u, sl);
      ok(await ms.put(u, `${sl}/actions/update-stateless`, { container_infos: [{ container_id: cid, envs: [] }] }));
      await expectPhase(u, sl, 'updating', 'update_succ');
      ok(await ms.put(u, `${sl}/actions/update-port`, { port_maps: [] }));
      await expectPhase(u, sl, 'updating', 'update_succ');
      ok(await ms.put(u, `${sl}/actions/elastic-scale?new_replicas=3`));
      await expectPhase(u, sl, 'scaling', 'scale_succ');
      // rolling update: 2 s + min_ready_seconds × (replicas − 1)
      ok(await ms.put(u, `${sl}/actions/update-image`, { container_images: [{ container_id: cid, image_path: 'hub.c.163.com/public/ubuntu:16.04' }], min_ready_seconds: 10 }));
      await expectPhase(u, sl, 'updating', 'update_succ', 22);
      const post = await server.request('POST', `/api/v1/microservices/${sl}/actions/update-image`, { token: u.token, body: { container_images: [{ container_id: String(cid), image_path: IMAGE }], min_ready_seconds: '1' } });
      ok(post);
      await expectPhase(u, sl, 'updating', 'update_succ', 4);
      assert.equal((await v2(u, sl)).service_container_infos[0].image_path, IMAGE);
      ok(await ms.put(u, `${sl}/specification?spec_alias=C1M1S20`));
      await expectPhase(u, sl, 'updating', 'update_succ');

      const sf = await ms.createOk(u, statefulBody(ns, 'clock-sf', { service: { state_public_net: { used: true, type: 'flow', bandwidth: 5 }, ip_id: await newIp(u) } }));
      ok(await ms.put(u, `${sf}/actions/update-stateful`, { state_public_net: { used: true, type: 'flow', bandwidth: 6 } }));
      await expectPhase(u, sf, 'updating', 'update_succ');
      ok(await ms.put(u, `${sf}/actions/update-port`, { port_maps: [{ port: 22, target_port: 22 }] }));
      await expectPhase(u, sf, 'updating', 'update_succ');
      ok(await ms.put(u, `${sf}/actions/restart?option=restart`));
      await expectPhase(u, sf, 'restarting', 'restart_succ');
      ok(await ms.put(u, `${sf}/actions/restart?option=hard_reboot`));
      await expectPhase(u, sf, 'restarting', 'restart_succ');
      const uuid = (await v2(u, sf)).service_container_infos[0].docker_container_ids[0];
      ok(await ms.put(u, `${sf}/containers/${uuid}/actions/restart`));
      await expectPhase(u, sf, 'restarting', 'restart_succ');
    });

    it('create_fail is dead: updates → 4030144, restarts → 4030153; GET and DELETE work', async () => {
      runtime.failKinds.add('create');
      const sl = await ms.createOk(u, statelessBody(ns, 'dead-sl'));
      const sf = await ms.createOk(u, statefulBody(ns, 'dead-sf'));
      runtime.failKinds.clear();
      assert.equal(await ms.status(u, sl), 'create_fail');
      assert.equal(await ms.status(u, sf), 'create_fail');
      const cid = await cidOf(u, sl);
      const before = await v2(u, sl);
      expectError(await ms.put(u, `${sl}/actions/update-stateless`, { container_infos: [{ container_id: cid, envs: [] }] }), 403, 4030144, BUSY);
      expectError(await ms.put(u, `${sl}/actions/update-port`, { port_maps: [] }), 403, 4030144, BUSY);
      expectError(await ms.put(u, `${sl}/actions/elastic-scale?new_replicas=3`), 403, 4030144, BUSY);
      expectError(await ms.put(u, `${sl}/actions/update-image`, { container_images: [{ container_id: cid, image_path: 'hub.c.163.com/public/ubuntu:16.04' }], min_ready_seconds: 5 }), 403, 4030144, BUSY);
      expectError(await ms.put(u, `${sl}/specification?spec_alias=C1M1S20`), 403, 4030144, BUSY);
      // status (step 5) comes before the container membership (step 6)
      expectError(await ms.put(u, `${sl}/actions/update-stateless`, { container_infos: [{ container_id: 999999, envs: [] }] }), 403, 4030144, BUSY);
      assert.deepEqual(await v2(u, sl), before);
      expectError(await ms.put(u, `${sf}/actions/update-stateful`, { state_public_net: { used: false, type: 'flow', bandwidth: 5 } }), 403, 4030144, BUSY);
      expectError(await ms.put(u, `${sf}/actions/update-port`, { port_maps: [] }), 403, 4030144, BUSY);
      expectError(await ms.put(u, `${sf}/actions/restart?option=restart`), 403, 4030153, CANT_OPERATE);
      expectError(await ms.put(u, `${sf}/actions/restart?option=hard_reboot`), 403, 4030153, CANT_OPERATE);
      expectError(await ms.put(u, `${sf}/containers/${'a'.repeat(64)}/actions/restart`), 403, 4030153, CANT_OPERATE);
      // kind (step 4) still beats status (step 5)
      expectError(await ms.put(u, `${sf}/actions/elastic-scale?new_replicas=1`), 403, 4030142, 'Stateful microservice can’t update.');
      expectError(await ms.put(u, `${sl}/actions/restart?option=restart`), 403, 4030152, 'Stateless microservice can’t be restarted.');
      expectError(await ms.put(u, `${sl}/actions/update-stateful`, { state_public_net: { used: false, type: 'flow', bandwidth: 5 } }), 403, 4030153, CANT_OPERATE);
      ok(await ms.del(u, sl));
      ok(await ms.del(u, sf));
    });

    it('update_fail and scale_fail are operable; the requested configuration stays stored', async () => {
      const sl = await ms.createOk(u, statelessBody(ns, 'retry', { replicas: 1 }));
      runtime.failKinds.add('update');
      ok(await ms.put(u, `${sl}/actions/update-port`, { port_maps: [{ port: 81, target_port: 81 }] }));
      await expectPhase(u, sl, 'updating', 'update_fail');
      assert.equal((await v2(u, sl)).service_info.port_maps, '[{"destPort":81,"protocol":"TCP","sourcePort":81}]');
      runtime.failKinds.add('scale');
      ok(await ms.put(u, `${sl}/actions/elastic-scale?new_replicas=2`));
      await expectPhase(u, sl, 'scaling', 'scale_fail');
      assert.equal((await v2(u, sl)).service_info.replicas, 2);
      runtime.failKinds.clear();
      ok(await ms.put(u, `${sl}/actions/update-port`, { port_maps: [] }));
      await expectPhase(u, sl, 'updating', 'update_succ');
    });

    it('kind before status before stored data; arrears before kind; syntax before everything', async () => {
      const sf = await ms.createOk(u, statefulBody(ns, 'order-sf'));
      const sl = await ms.createOk(u, statelessBody(ns, 'order-sl', { replicas: 1 }));
      // stateful, no-op count, unknown spec, other repository: still the kind
      expectError(await ms.put(u, `${sf}/actions/elastic-scale?new_replicas=1`), 403, 4030142, 'Stateful microservice can’t update.');
      expectError(await ms.put(u, `${sf}/specification?spec_alias=C9M9S20`), 403, 4030142, 'Stateful microservice can’t update.');
      expectError(await ms.put(u, `${sf}/actions/update-image`, { container_images: [{ container_id: 1, image_path: 'hub.c.163.com/public/centos:6.5' }], min_ready_seconds: 5 }), 403, 4030142, 'Stateful microservice can’t update.');
      expectError(await ms.put(u, `${sf}/actions/update-stateless`, { container_infos: [{ container_id: 1, envs: [] }] }), 403, 4030142, 'Stateful microservice can’t update.');
      // a stateless service addressed by update-stateful with a well-formed public network
      expectError(await ms.put(u, `${sl}/actions/update-stateful`, { state_public_net: { used: true, type: 'bandwidth', bandwidth: 5 } }), 403, 4030153, CANT_OPERATE);
      expectError(await ms.put(u, `${sl}/containers/${'b'.repeat(64)}/actions/restart`), 403, 4030152, 'Stateless microservice can’t be restarted.');
      // syntax first: a malformed query on a stateful service
      expectError(await ms.put(u, `${sf}/actions/elastic-scale?new_replicas=0`), 400, 4000117, 'Param replicas size invalid.');
      expectError(await ms.put(u, `${sf}/specification?spec_alias=big`), 400, 4000119, 'Param spec info invalid.');
      expectError(await ms.put(u, `${sf}/specification?spec_id=x`), 400, 4000119, 'Param spec info invalid.');
      expectError(await ms.put(u, `${sl}/actions/restart?option=`), 400, 4000112, 'Missing param.');
      expectError(await ms.put(u, `${sl}/actions/update-stateful`, { state_public_net: { used: true, type: 'wire', bandwidth: 5 } }), 400, 4000135, 'Param public network info invalid.');
      expectError(await ms.put(u, `${sl}/actions/update-stateful`, { state_public_net: 'flow' }), 400, 4000135, 'Param public network info invalid.');
      expectError(await ms.put(u, `${sl}/actions/update-stateful`, {}), 400, 4000112, 'Missing param.');
      // unknown service: lookup before kind and state
      expectError(await ms.put(u, '99999999/actions/restart?option=restart'), 404, 4040141, 'No such microservice.');
      expectError(await ms.put(u, 'abc/specification?spec_alias=C1M1S20'), 404, 4040141, 'No such microservice.');
    });

    it('arrears (4030102) come before the kind and the status', async () => {
      const a = await server.newUser('arno');
      const ans = await ms.defaultNs(a);
      const sl = await ms.createOk(a, statelessBody(ans, 'sl', { replicas: 1 }));
      const sf = await ms.createOk(a, statefulBody(ans, 'sf'));
      const busy = await ms.createOk(a, statelessBody(ans, 'busy', { replicas: 1 }), false);
      await server.operator('PATCH', '/users/arno', { balance: -30 });
      await server.advance(1);
      assert.equal(await ms.status(a, busy), 'creating');
      const arrears = 'Microservice abandoned due to arrearage.';
      expectError(await ms.put(a, `${sf}/actions/elastic-scale?new_replicas=1`), 403, 4030102, arrears);
      expectError(await ms.put(a, `${sf}/specification?spec_alias=C1M1S20`), 403, 4030102, arrears);
      expectError(await ms.put(a, `${sl}/actions/restart?option=restart`), 403, 4030102, arrears);
      expectError(await ms.put(a, `${sl}/actions/update-stateful`, { state_public_net: { used: false, type: 'flow', bandwidth: 5 } }), 403, 4030102, arrears);
      expectError(await ms.put(a, `${sl}/containers/${'c'.repeat(64)}/actions/restart`), 403, 4030102, arrears);
      expectError(await ms.put(a, `${busy}/actions/update-port`, { port_maps: [] }), 403, 4030102, arrears);
      await server.operator('PATCH', '/users/arno', { balance: 1000 });
      await server.advance(2);
      assert.deepEqual([await ms.status(a, busy), (await ms.detail(a, busy)).json.service_info.stop_service], ['create_succ', 0]);
    });

    it('another user’s service, or an id that is not a positive integer, is 4040141 on every changing endpoint', async () => {
      const sl = await ms.createOk(u, statelessBody(ns, 'mine', { replicas: 1 }));
      const sf = await ms.createOk(u, statefulBody(ns, 'mine-sf'));
      const cid = await cidOf(u, sl);
      const uuid = (await v2(u, sf)).service_container_infos[0].docker_container_ids[0];
      const before = [await v2(u, sl), await v2(u, sf)];
      const other = await server.newUser();
      const calls: Array<[string, string, unknown]> = [
        ['PUT', `${sl}/actions/update-stateless`, { container_infos: [{ container_id: cid, envs: [] }] }],
        ['PUT', `${sf}/actions/update-stateful`, { state_public_net: { used: false, type: 'flow', bandwidth: 5 } }],
        ['PUT', `${sl}/actions/update-port`, { port_maps: [] }],
        ['PUT', `${sl}/actions/elastic-scale?new_replicas=3`, undefined],
        ['PUT', `${sl}/actions/update-image`, { container_images: [{ container_id: cid, image_path: 'hub.c.163.com/public/ubuntu:16.04' }], min_ready_seconds: 5 }],
        ['POST', `${sl}/actions/update-image`, { container_images: [{ container_id: cid, image_path: 'hub.c.163.com/public/ubuntu:16.04' }], min_ready_seconds: 5 }],
        ['PUT', `${sl}/specification?spec_alias=C2M2S20`, undefined],
        ['PUT', `${sf}/actions/restart?option=restart`, undefined],
        ['PUT', `${sf}/containers/${uuid}/actions/restart`, undefined],
      ];
      for (const [method, path, body] of calls) {
        expectError(await server.request(method, `/api/v1/microservices/${path}`, { token: other.token, body }), 404, 4040141, 'No such microservice.');
        for (const bad of ['0', '-5', '1.5', '1e3', 'x']) {
          const own = path.replace(/^\d+/, bad);
          expectError(await server.request(method, `/api/v1/microservices/${own}`, { token: u.token, body }), 404, 4040141, 'No such microservice.');
        }
      }
      assert.deepEqual([await v2(u, sl), await v2(u, sf)], before);
    });

    it('the documented example requests work as written (with this service’s ids) and show in detail', async () => {
      const sl = await ms.createOk(u, statelessBody(ns, 'examples', { replicas: 1, containers: [{ image_path: 'hub.c.163.com/public/ubuntu:16.04', container_name: 'web' }] }));
      const cid = await cidOf(u, sl);
      ok(await ms.put(u, `${sl}/actions/update-stateless`, { container_infos: [{ container_id: cid, envs: [{ key: 'password', value: 'password' }, { key: 'user', value: 'user' }], log_dirs: ['/var/log/', '/var/logs/'], cpu_weight: 100, memory_weight: 100 }] }));
      await server.advance(2);
      ok(await ms.put(u, `${sl}/actions/update-port`, { port_maps: [{ port: 80, target_port: 8080, protocol: 'TCP' }] }));
      await server.advance(2);
      ok(await ms.put(u, `${sl}/actions/elastic-scale?new_replicas=2`));
      await server.advance(2);
      ok(await ms.put(u, `${sl}/actions/update-image`, { container_images: [{ container_id: cid, image_path: 'hub.c.163.com/public/ubuntu:14.04' }], min_ready_seconds: 10 }));
      await server.advance(12);
      ok(await ms.put(u, `${sl}/specification?spec_alias=C2M2S20`));
      await server.advance(2);
      const d = await v2(u, sl);
      assert.equal(d.service_info.status, 'update_succ');
      assert.equal(d.service_info.replicas, 2);
      assert.equal(d.service_info.port_maps, '[{"destPort":8080,"protocol":"TCP","sourcePort":80}]');
      assert.equal(d.service_info.spec_info, '{"cpu":2000,"disk_type":"SSD","memory":2147483648,"spec_alias":"C2M2S20","storage":20}');
      const c = d.service_container_infos[0];
      assert.deepEqual([c.image_path, c.envs, c.log_dirs], ['hub.c.163.com/public/ubuntu:14.04', [{ key: 'password', value: 'password' }, { key: 'user', value: 'user' }], ['/var/log/', '/var/logs/']]);

      const sf = await ms.createOk(u, statefulBody(ns, 'examples-sf', { service: { state_public_net: { used: true, type: 'flow', bandwidth: 20 }, ip_id: await newIp(u) } }));
      ok(await ms.put(u, `${sf}/actions/update-stateful`, { state_public_net: { bandwidth: 50, type: 'flow', used: true } }));
      await server.advance(2);
      assert.equal((await v2(u, sf)).service_info.state_public_net, '{"bandwidth":50,"type":"flow","used":true}');
      ok(await ms.put(u, `${sf}/actions/restart?option=restart`));
      await server.advance(2);
      assert.equal(await ms.status(u, sf), 'restart_succ');
    });

    it('query-only PUTs ignore any body, whatever its media type or syntax', async () => {
      const sl = await ms.createOk(u, statelessBody(ns, 'nobody', { replicas: 1 }));
      const sf = await ms.createOk(u, statefulBody(ns, 'nobody-sf'));
      const raw = (path: string, type: string, body: string) => server.request('PUT', `/api/v1/microservices/${path}`, { token: u.token, raw: body, headers: { 'content-type': type } });
      ok(await raw(`${sl}/actions/elastic-scale?new_replicas=2`, 'text/plain', 'hello'));
      await server.advance(2);
      ok(await raw(`${sl}/specification?spec_alias=C2M2S20`, 'application/json', '{not json'));
      await server.advance(2);
      ok(await raw(`${sf}/actions/restart?option=restart`, 'application/json', '[1,2]'));
      await server.advance(2);
      const uuid = (await v2(u, sf)).service_container_infos[0].docker_container_ids[0];
      ok(await raw(`${sf}/containers/${uuid}/actions/restart`, 'application/xml', '<x/>'));
      await server.advance(2);
    });

    it('microservices.md §1.3: quotas and billing (step 7) are judged before the backend hand-over (step 8)', async () => {
      const q = await server.newUser('quinn');
      const qns = await ms.defaultNs(q);
      const id = await ms.createOk(q, statelessBody(qns, 'q', { replicas: 1 }));
      const before = await v2(q, id);
      runtime.failSubmit = true;
      await ms.quotas(q, { replicas: 1 });
      expectError(await ms.put(q, `${id}/actions/elastic-scale?new_replicas=2`), 403, 4030005, 'Replication quota insufficient.');
      await ms.quotas(q, { replicas: 50, containers: 1 });
      expectError(await ms.put(q, `${id}/actions/elastic-scale?new_replicas=2`), 403, 4030002, 'Container quota insufficient.');
      await ms.quotas(q, { containers: 100 });
      await server.operator('PATCH', '/users/quinn', { balance: 10 });
      expectError(await ms.put(q, `${id}/actions/elastic-scale?new_replicas=2`), 403, 4030148, 'Account balance is insufficient.');
      expectError(await ms.put(q, `${id}/specification?spec_alias=C4M8S20`), 403, 4030148, 'Account balance is insufficient.');
      // with the checks passed, the refused hand-over answers its own code
      await server.operator('PATCH', '/users/quinn', { balance: 1000 });
      expectError(await ms.put(q, `${id}/actions/elastic-scale?new_replicas=2`), 400, 4000145, 'Update microservice fail.');
      runtime.failSubmit = false;
      assert.deepEqual(await v2(q, id), before);
    });

    it('4030147 when one hour of the added price can’t be frozen: scale-up, spec change, update-stateful', async () => {
      const f = await server.newUser('fritz');
      const fns = await ms.defaultNs(f);
      await ms.quotas(f, { replicas: 50, containers: 100 });
      // 5 × 6.63 + 2 × 6.63 = 46.41 CNY/h frozen by two big services
      await ms.createOk(f, statelessBody(fns, 'big', { replicas: 5, service: { spec_alias: 'C32M128S20' } }));
      await ms.createOk(f, statelessBody(fns, 'big2', { replicas: 2, service: { spec_alias: 'C32M128S20' } }));
      const small = await ms.createOk(f, statelessBody(fns, 'small', { replicas: 1, service: { spec_alias: 'C8M16S20' } }));
      const sf = await ms.createOk(f, statefulBody(fns, 'net', { service: { spec_alias: 'C1M1S20', state_public_net: { used: true, type: 'flow', bandwidth: 100 }, ip_id: await newIp(f) } }));
      // frozen = 46.41 + 1.02 + 0.06 = 47.49; balance 50 leaves 2.51 available
      await server.operator('PATCH', '/users/fritz', { balance: 50 });
      const beforeSmall = await v2(f, small);
      const beforeSf = await v2(f, sf);
      expectError(await ms.put(f, `${small}/specification?spec_alias=C32M128S20`), 403, 4030147, 'Frozen fee fail.');
      expectError(await ms.put(f, `${small}/actions/elastic-scale?new_replicas=5`), 403, 4030147, 'Frozen fee fail.');
      // flow → bandwidth at 100 Mbps adds 5 × 0.03 + 95 × 0.10 = 9.65 CNY/h
      expectError(await ms.put(f, `${sf}/actions/update-stateful`, { state_public_net: { used: true, type: 'bandwidth', bandwidth: 100 } }), 403, 4030147, 'Frozen fee fail.');
      assert.deepEqual(await v2(f, small), beforeSmall);
      assert.deepEqual(await v2(f, sf), beforeSf);
      // +5.61 and +4.08 CNY/h above; what fits is accepted: +1.02 and +0.15 CNY/h
      ok(await ms.put(f, `${small}/actions/elastic-scale?new_replicas=2`));
      ok(await ms.put(f, `${sf}/actions/update-stateful`, { state_public_net: { used: true, type: 'bandwidth', bandwidth: 5 } }));
      await server.advance(2);
      assert.equal((await v2(f, sf)).service_info.state_public_net, '{"bandwidth":5,"type":"bandwidth","used":true}');
      // lowering the price needs no balance
      await server.operator('PATCH', '/users/fritz', { balance: 1 });
      ok(await ms.put(f, `${sf}/actions/update-stateful`, { state_public_net: { used: true, type: 'flow', bandwidth: 100 } }));
      ok(await ms.put(f, `${small}/actions/elastic-scale?new_replicas=1`));
      await server.advance(2);
    });

    it('update-stateful refused by the backend (4000145) or the account (4030009) stores nothing', async () => {
      const g = await server.newUser('gale');
      const gns = await ms.defaultNs(g);
      const sf = await ms.createOk(g, statefulBody(gns, 'net', { service: { state_public_net: { used: true, type: 'flow', bandwidth: 20 }, ip_id: await newIp(g) } }));
      const before = await v2(g, sf);
      runtime.failSubmit = true;
      expectError(await ms.put(g, `${sf}/actions/update-stateful`, { state_public_net: { used: true, type: 'flow', bandwidth: 30 } }), 400, 4000145, 'Update microservice fail.');
      expectError(await ms.put(g, `${sf}/actions/update-port`, { port_maps: [] }), 400, 4000145, 'Update microservice fail.');
      expectError(await ms.put(g, `${sf}/actions/restart?option=hard_reboot`), 400, 4000111, 'fail.');
      const uuid = before.service_container_infos[0].docker_container_ids[0];
      expectError(await ms.put(g, `${sf}/containers/${uuid}/actions/restart`), 400, 4000111, 'fail.');
      runtime.failSubmit = false;
      assert.deepEqual(await v2(g, sf), before);
      await server.operator('PATCH', '/users/gale', { status: 'abnormal' });
      // the no-op (step 6) is judged before the account (step 7)
      expectError(await ms.put(g, `${sf}/actions/update-stateful`, { state_public_net: { used: true, type: 'flow', bandwidth: 20 } }), 403, 4030143, 'Nothing to update.');
      expectError(await ms.put(g, `${sf}/actions/update-stateful`, { state_public_net: { used: true, type: 'flow', bandwidth: 30 } }), 403, 4030009, 'User status abnormal.');
      expectError(await ms.put(g, `${sf}/actions/restart?option=restart`), 403, 4030009, 'User status abnormal.');
      expectError(await ms.put(g, `${sf}/containers/${uuid}/actions/restart`), 403, 4030009, 'User status abnormal.');
      assert.deepEqual(await v2(g, sf), before);
    });

    it('update-image: an unknown image (404) is judged before the repository rule (4030151); 4000149 before both', async () => {
      const sl = await ms.createOk(u, statelessBody(ns, 'img', { replicas: 1 }));
      const cid = await cidOf(u, sl);
      const before = await v2(u, sl);
      const img = (image_path: string, container_id: number = cid) => ms.put(u, `${sl}/actions/update-image`, { container_images: [{ container_id, image_path }], min_ready_seconds: 5 });
      expectError(await img('hub.c.163.com/public/centos:no-such-tag'), 404, 4040129, 'No such image.');
      expectError(await img('not-a-path'), 404, 4040129, 'No such image.');
      // the caller's own repository that doesn't exist: the image can't be resolved (4040004 is create's only)
      expectError(await img('hub.c.163.com/audra/nothing:1'), 404, 4040129, 'No such image.');
      expectError(await img('hub.c.163.com/public/centos:6.5'), 403, 4030151, 'Microservice can’t be changed between repository.');
      expectError(await img('hub.c.163.com/public/centos:no-such-tag', 999999), 400, 4000149, 'Exist container doesn’t belong to microservice in given param.');
      assert.deepEqual(await v2(u, sl), before);
    });
  });
}

for (const store of STORES) {
  describe(`microservices busy time is configurable (${store})`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(store, { microserviceBusySeconds: 5 });
    });
    after(() => server.close());

    it('microserviceBusySeconds 5: creating for 5 seconds, then scaling for 5 seconds', async () => {
      const ms = new Ms(server);
      const u = await server.newUser();
      const id = await ms.createOk(u, statelessBody(await ms.defaultNs(u), 'slow', { replicas: 1 }), false);
      await server.advance(4);
      assert.equal(await ms.status(u, id), 'creating');
      await server.advance(1);
      assert.equal(await ms.status(u, id), 'create_succ');
      assert.equal((await ms.put(u, `${id}/actions/elastic-scale?new_replicas=2`)).status, 200);
      await server.advance(4);
      assert.equal(await ms.status(u, id), 'scaling');
      await server.advance(1);
      assert.equal(await ms.status(u, id), 'scale_succ');
    });
  });
}
