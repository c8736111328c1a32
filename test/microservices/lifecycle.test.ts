/**
 * The lifecycle of stateless and stateful services through the server clock, every changing endpoint,
 * the operation × kind × status matrix, arrears, and backend failures (a runtime that refuses on demand).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { expectError, STORES, type TestServer, type TestUser } from '../helpers/server.ts';
import { expectEmptyOk as ok, IMAGE, startSuite, statefulBody, statelessBody, SwitchableRuntime, type Ms } from './helpers.ts';

const podNames = (d: any) => d.service_container_infos[0].replicas as string[];
const dockerIds = (d: any) => d.service_container_infos[0].docker_container_ids as string[];
const hashOf = (pod: string) => pod.split('-').at(-2);

for (const store of STORES) {
  describe(`microservices lifecycle (${store})`, () => {
    let server: TestServer;
    let ms: Ms;
    let runtime: SwitchableRuntime;
    let u: TestUser;
    let ns: number;

    before(async () => {
      runtime = new SwitchableRuntime();
      ({ server, ms, u, ns } = await startSuite(store, 'lara', { runtime }));
    });
    after(() => server.close());
    beforeEach(() => runtime.reset());

    const v2 = async (id: number) => (await ms.detail(u, id, true)).json;

    it('stateless: create → update-stateless → scale up/down → update-image → specification → update-port → delete', async () => {
      const id = await ms.createOk(u, statelessBody(ns, 'web', { replicas: 2 }), false);
      assert.equal(await ms.status(u, id), 'creating');
      await server.advance(2);
      let d = await v2(id);
      assert.equal(d.service_info.status, 'create_succ');
      const created = podNames(d);
      assert.equal(created.length, 2);
      const cid = d.service_container_infos[0].container_id;

      // update-stateless: every pod replaced (new hash, new names, new runtime ids)
      ok(await ms.put(u, `${id}/actions/update-stateless`, { container_infos: [{ container_id: cid, envs: [{ key: 'A', value: '1' }], log_dirs: ['/logs'] }] }));
      assert.equal(await ms.status(u, id), 'updating');
      await server.advance(2);
      d = await v2(id);
      assert.equal(d.service_info.status, 'update_succ');
      assert.deepEqual(d.service_container_infos[0].envs, [{ key: 'A', value: '1' }]);
      assert.deepEqual(d.service_container_infos[0].log_dirs, ['/logs/']);
      const updated = podNames(d);
      assert.equal(updated.length, 2);
      assert.notEqual(hashOf(updated[0]!), hashOf(created[0]!));
      assert.ok(!updated.some((p) => created.includes(p)));

      // scale up keeps the pods and appends new ones with the current hash; scale down removes the newest
      ok(await ms.put(u, `${id}/actions/elastic-scale?new_replicas=4`));
      assert.equal(await ms.status(u, id), 'scaling');
      await server.advance(2);
      d = await v2(id);
      assert.equal(d.service_info.status, 'scale_succ');
      assert.equal(d.service_info.replicas, 4);
      const scaled = podNames(d);
      assert.deepEqual(scaled.slice(0, 2), updated);
      assert.equal(hashOf(scaled[3]!), hashOf(updated[0]!));
      assert.equal(d.service_container_infos[0].lan_ips.length, 4);
      ok(await ms.put(u, `${id}/actions/elastic-scale?new_replicas=1`));
      await server.advance(2);
      d = await v2(id);
      assert.deepEqual(podNames(d), [updated[0]]);
      const list = (await ms.list(u, ns)).json.microservice_infos.find((s: { id: number }) => s.id === id);
      assert.deepEqual([list.status, list.replicas], ['scale_succ', 1]);

      // update-image: a rolling update stays `updating` until every pod is replaced
      ok(await ms.put(u, `${id}/actions/elastic-scale?new_replicas=3`));
      await server.advance(2);
      const beforeImage = podNames(await v2(id));
      ok(await ms.put(u, `${id}/actions/update-image`, { container_images: [{ container_id: cid, image_path: 'hub.c.163.com/public/ubuntu:16.04' }], min_ready_seconds: '10' }));
      await server.advance(2);
      assert.equal(await ms.status(u, id), 'updating');
      await server.advance(20);
      d = await v2(id);
      assert.equal(d.service_info.status, 'update_succ');
      assert.equal(d.service_container_infos[0].image_path, 'hub.c.163.com/public/ubuntu:16.04');
      assert.equal(d.service_container_infos[0].image_tag, '16.04');
      assert.ok(!podNames(d).some((p) => beforeImage.includes(p)));

      // POST is accepted on the same path; a path without tag means latest
      const r = await server.request('POST', `/api/v1/microservices/${id}/actions/update-image`, { token: u.token, body: { container_images: [{ container_id: cid, image_path: 'hub.c.163.com/public/ubuntu' }], min_ready_seconds: 1 } });
      ok(r);
      await server.advance(4);
      assert.equal((await v2(id)).service_container_infos[0].image_path, 'hub.c.163.com/public/ubuntu:latest');

      // specification: spec_info changes, pods are re-created
      const beforeSpec = podNames(await v2(id));
      ok(await ms.put(u, `${id}/specification?spec_alias=c2m4s20`));
      assert.equal(await ms.status(u, id), 'updating');
      await server.advance(2);
      d = await v2(id);
      assert.equal(d.service_info.spec_info, '{"cpu":2000,"disk_type":"SSD","memory":4294967296,"spec_alias":"C2M4S20","storage":20}');
      assert.ok(!podNames(d).some((p) => beforeSpec.includes(p)));
      ok(await ms.put(u, `${id}/specification?spec_id=3`));
      await server.advance(2);
      assert.match((await v2(id)).service_info.spec_info, /"spec_alias":"C2M2S20"/);

      // update-port: pods unchanged
      const beforePort = podNames(await v2(id));
      ok(await ms.put(u, `${id}/actions/update-port`, { port_maps: [{ port: 80, target_port: 8080, protocol: 'TCP' }, { src_port: 53, dst_port: 53, protocol: 'udp' }] }));
      assert.equal(await ms.status(u, id), 'updating');
      await server.advance(2);
      d = await v2(id);
      assert.equal(d.service_info.port_maps, '[{"destPort":8080,"protocol":"TCP","sourcePort":80},{"destPort":53,"protocol":"UDP","sourcePort":53}]');
      assert.deepEqual(podNames(d), beforePort);

      // delete: gone, repeated delete and detail → 4040141
      ok(await ms.del(u, id, '?free_ip=false'));
      expectError(await ms.detail(u, id), 404, 4040141, 'No such microservice.');
      expectError(await ms.del(u, id), 404, 4040141, 'No such microservice.');
    });

    it('stateful: create → restart (in place) → hard_reboot (new suffix and ids, same LAN IP) → single-container restart', async () => {
      const id = await ms.createOk(u, statefulBody(ns, 'db'));
      let d = await v2(id);
      assert.equal(d.service_info.status, 'create_succ');
      assert.equal(d.service_info.stateful, 1);
      const [pod] = podNames(d);
      const ids = dockerIds(d);
      const lan = d.service_container_infos[0].lan_ips;

      ok(await ms.put(u, `${id}/actions/restart?option=restart`));
      assert.equal(await ms.status(u, id), 'restarting');
      await server.advance(2);
      d = await v2(id);
      assert.equal(d.service_info.status, 'restart_succ');
      assert.deepEqual([podNames(d), dockerIds(d)], [[pod], ids]);

      ok(await ms.put(u, `${id}/actions/restart?option=HARD_REBOOT`));
      await server.advance(2);
      d = await v2(id);
      const [pod2] = podNames(d);
      assert.notEqual(pod2, pod);
      assert.equal(hashOf(pod2!), hashOf(pod!));
      assert.notDeepEqual(dockerIds(d), ids);
      assert.deepEqual(d.service_container_infos[0].lan_ips, lan);

      const [uuid] = dockerIds(d);
      ok(await ms.put(u, `${id}/containers/${uuid}/actions/restart`));
      assert.equal(await ms.status(u, id), 'restarting');
      await server.advance(2);
      d = await v2(id);
      assert.deepEqual([d.service_info.status, podNames(d), dockerIds(d)], ['restart_succ', [pod2], [uuid]]);
    });

    it('the operation × kind matrix: 4030142, 4030153, 4030152', async () => {
      const sf = await ms.createOk(u, statefulBody(ns, 'matrix-sf'));
      const sl = await ms.createOk(u, statelessBody(ns, 'matrix-sl'));
      const sfCid = (await v2(sf)).service_container_infos[0].container_id;
      for (const [path, body] of [
        [`${sf}/actions/update-stateless`, { container_infos: [{ container_id: sfCid, envs: [] }] }],
        [`${sf}/actions/elastic-scale?new_replicas=2`, undefined],
        [`${sf}/actions/update-image`, { container_images: [{ container_id: sfCid, image_path: IMAGE }], min_ready_seconds: 5 }],
        [`${sf}/specification?spec_alias=C1M1S20`, undefined],
      ] as const) expectError(await ms.put(u, path, body), 403, 4030142, 'Stateful microservice can’t update.');
      expectError(await ms.put(u, `${sl}/actions/update-stateful`, { state_public_net: { used: false, type: 'flow', bandwidth: 5 } }), 403, 4030153, 'Microservice can’t operate in current state.');
      expectError(await ms.put(u, `${sl}/actions/restart?option=restart`), 403, 4030152, 'Stateless microservice can’t be restarted.');
      const slDocker = dockerIds(await v2(sl))[0];
      expectError(await ms.put(u, `${sl}/containers/${slDocker}/actions/restart`), 403, 4030152, 'Stateless microservice can’t be restarted.');
    });

    it('busy statuses: updates → 4030144, restarts → 4030153; GET and DELETE always work', async () => {
      const sl = await ms.createOk(u, statelessBody(ns, 'busy-sl'), false);
      const sf = await ms.createOk(u, statefulBody(ns, 'busy-sf'), false);
      const cid = (await v2(sl)).service_container_infos[0].container_id;
      const busy = 'Microservice can’t update in current state.';
      expectError(await ms.put(u, `${sl}/actions/update-stateless`, { container_infos: [{ container_id: cid, envs: [] }] }), 403, 4030144, busy);
      expectError(await ms.put(u, `${sl}/actions/update-port`, { port_maps: [] }), 403, 4030144, busy);
      expectError(await ms.put(u, `${sl}/actions/elastic-scale?new_replicas=3`), 403, 4030144, busy);
      expectError(await ms.put(u, `${sl}/actions/update-image`, { container_images: [{ container_id: cid, image_path: IMAGE }], min_ready_seconds: 5 }), 403, 4030144, busy);
      expectError(await ms.put(u, `${sl}/specification?spec_alias=C1M1S20`), 403, 4030144, busy);
      expectError(await ms.put(u, `${sf}/actions/update-stateful`, { state_public_net: { used: false, type: 'flow', bandwidth: 5 } }), 403, 4030144, busy);
      expectError(await ms.put(u, `${sf}/actions/restart?option=restart`), 403, 4030153, 'Microservice can’t operate in current state.');
      assert.equal((await ms.detail(u, sf)).status, 200);
      ok(await ms.del(u, sl));
      await server.advance(2);
      // scaling is busy too
      const sl2 = await ms.createOk(u, statelessBody(ns, 'busy-sl2'));
      ok(await ms.put(u, `${sl2}/actions/elastic-scale?new_replicas=1`));
      expectError(await ms.put(u, `${sl2}/actions/elastic-scale?new_replicas=3`), 403, 4030144, busy);
      await server.advance(2);
      // restarting is busy for restarts
      ok(await ms.put(u, `${sf}/actions/restart?option=restart`));
      expectError(await ms.put(u, `${sf}/actions/restart?option=hard_reboot`), 403, 4030153, 'Microservice can’t operate in current state.');
      expectError(await ms.put(u, `${sf}/actions/update-port`, { port_maps: [] }), 403, 4030144, busy);
      await server.advance(2);
    });

    it('update codes: 4000149, 4030143, 4090002, 4030151, 4000130, 4040002, 4000112, 4000117, 4000113, 4000150, 4040118', async () => {
      const id = await ms.createOk(u, statelessBody(ns, 'codes', { containers: [
        { image_path: IMAGE, container_name: 'a', cpu_weight: 60, memory_weight: 50 },
        { image_path: 'hub.c.163.com/public/nginx:1.10', container_name: 'b', cpu_weight: 40, memory_weight: 50 },
      ] }));
      const sf = await ms.createOk(u, statefulBody(ns, 'codes-sf'));
      const d = await v2(id);
      const [a, b] = d.service_container_infos.map((c: { container_id: number }) => c.container_id);
      const put = (path: string, body?: unknown) => ms.put(u, `${id}/${path}`, body);
      const notMine = 'Exist container doesn’t belong to microservice in given param.';
      expectError(await put('actions/update-stateless', { container_infos: [{ container_id: 999999, envs: [] }] }), 400, 4000149, notMine);
      expectError(await put('actions/update-stateless', { container_infos: [{ container_id: a, cpu_weight: 70 }] }), 400, 4000130, 'Param CPU weight invalid.');
      expectError(await put('actions/update-stateless', { container_infos: [{ container_id: a, memory_weight: 100 }, { container_id: b, memory_weight: 0 }] }), 400, 4000131, 'Param memory weight invalid.');
      expectError(await put('actions/update-stateless', { container_infos: [{ container_id: a, envs: [], log_dirs: [], cpu_weight: 60 }] }), 403, 4030143, 'Nothing to update.');
      expectError(await put('actions/update-stateless', { container_infos: [] }), 400, 4000112, 'Missing param.');
      expectError(await put('actions/update-stateless', { container_infos: [{ container_id: a }, { container_id: a }] }), 400, 4000113, 'Param invalid.');
      expectError(await put('actions/update-stateless', { container_infos: [{ container_id: a, envs: 'x' }] }), 400, 4000123, 'Param env size out of limit.');
      expectError(await put('actions/update-stateless', { container_infos: [{ container_id: a, log_dirs: ['/x', '/x/'] }] }), 409, 4090138, 'Duplicate log directory.');
      expectError(await put('actions/update-port', { port_maps: [{ protocol: 'tcp', port: '8080', target_port: 80 }] }), 403, 4030143, 'Nothing to update.');
      expectError(await put('actions/update-port', {}), 400, 4000112, 'Missing param.');
      expectError(await put('actions/update-port', { port_maps: Array.from({ length: 21 }, (_, i) => ({ port: i + 1, target_port: i + 1 })) }), 400, 4000139, 'Port map size already up to limit.');
      expectError(await put('actions/update-port', { port_maps: [{ port: 1, target_port: 1 }, { port: 1, target_port: 2 }] }), 400, 4000134, 'Param port map invalid.');
      expectError(await put('actions/elastic-scale?new_replicas=2'), 409, 4090002, 'Duplicate replication size.');
      expectError(await put('actions/elastic-scale'), 400, 4000112, 'Missing param.');
      expectError(await put('actions/elastic-scale?new_replicas=6'), 400, 4000117, 'Param replicas size invalid.');
      expectError(await put('actions/elastic-scale?new_replicas=two'), 400, 4000117, 'Param replicas size invalid.');
      const img = (container_id: number, image_path: string, min: unknown = 5) => put('actions/update-image', { container_images: [{ container_id, image_path }], min_ready_seconds: min });
      expectError(await img(a, 'hub.c.163.com/public/centos:6.5'), 403, 4030151, 'Microservice can’t be changed between repository.');
      expectError(await img(a, IMAGE), 403, 4030143, 'Nothing to update.');
      expectError(await img(a, 'hub.c.163.com/public/ubuntu:0.1'), 404, 4040129, 'No such image.');
      expectError(await img(999999, IMAGE), 400, 4000149, notMine);
      expectError(await img(a, IMAGE, 0), 400, 4000150, 'Param minReadySeconds out of range, 1-600s.');
      expectError(await img(a, IMAGE, 'soon'), 400, 4000150, 'Param minReadySeconds out of range, 1-600s.');
      expectError(await put('actions/update-image', { container_images: [{ container_id: a }], min_ready_seconds: 5 }), 400, 4000112, 'Missing param.');
      expectError(await put('actions/update-image', { container_images: 'x', min_ready_seconds: 5 }), 400, 4000113, 'Param invalid.');
      expectError(await put('specification?spec_alias=C1M2S20'), 403, 4030143, 'Nothing to update.');
      expectError(await put('specification?spec_alias=C9M9S20'), 404, 4040118, 'No such spec.');
      expectError(await put('specification?spec_alias=huge'), 400, 4000119, 'Param spec info invalid.');
      expectError(await put('specification'), 400, 4000112, 'Missing param.');
      const sfPut = (path: string, body?: unknown) => ms.put(u, `${sf}/${path}`, body);
      expectError(await sfPut('actions/restart'), 400, 4000112, 'Missing param.');
      expectError(await sfPut('actions/restart?option=reboot'), 400, 4000113, 'Param invalid.');
      expectError(await sfPut('actions/update-stateful', { state_public_net: { used: false, type: 'flow', bandwidth: 5 } }), 403, 4030143, 'Nothing to update.');
      expectError(await sfPut('actions/update-stateful', { state_public_net: { used: true, type: 'flow', bandwidth: 5 } }), 400, 4000135, 'Param public network info invalid.');
      expectError(await sfPut('actions/update-stateful', { state_public_net: { type: 'flow', bandwidth: 5 } }), 400, 4000112, 'Missing param.');
      expectError(await sfPut(`containers/${'0'.repeat(64)}/actions/restart`), 404, 4040002, 'No such container.');
      expectError(await sfPut('containers/not-a-uuid/actions/restart'), 404, 4040002, 'No such container.');
      const otherSf = await ms.createOk(u, statefulBody(ns, 'codes-sf2'));
      expectError(await sfPut(`containers/${dockerIds(await v2(otherSf))[0]}/actions/restart`), 400, 4000149, notMine);
      runtime.notRunning = true;
      expectError(await sfPut(`containers/${dockerIds(await v2(sf))[0]}/actions/restart`), 403, 4030010, 'Container status abnormal.');
      expectError(await ms.del(u, sf, '?free_ip=maybe'), 400, 4000113, 'Param invalid.');
      // The service's own checks come after its lookup: another user's service is "not found".
      const other = await server.newUser();
      expectError(await ms.put(other, `${id}/actions/elastic-scale?new_replicas=3`), 404, 4040141, 'No such microservice.');
      expectError(await ms.del(other, id), 404, 4040141, 'No such microservice.');
      expectError(await ms.put(other, `${sf}/containers/${dockerIds(await v2(sf))[0]}/actions/restart`), 404, 4040141, 'No such microservice.');
    });

    it('quotas and billing on scale-up: 4030005, 4030002, 4030148; 4030009 for a disabled account', async () => {
      const v = await server.newUser('vera');
      const vns = await ms.defaultNs(v);
      const id = await ms.createOk(v, statelessBody(vns, 'q', { replicas: 1, containers: [
        { image_path: IMAGE, container_name: 'a', cpu_weight: 50, memory_weight: 50 },
        { image_path: IMAGE, container_name: 'b', cpu_weight: 50, memory_weight: 50 },
      ] }));
      await ms.quotas(v, { replicas: 3, containers: 4 });
      expectError(await ms.put(v, `${id}/actions/elastic-scale?new_replicas=4`), 403, 4030005, 'Replication quota insufficient.');
      expectError(await ms.put(v, `${id}/actions/elastic-scale?new_replicas=3`), 403, 4030002, 'Container quota insufficient.');
      await server.operator('PATCH', '/users/vera', { balance: 10 });
      expectError(await ms.put(v, `${id}/actions/elastic-scale?new_replicas=2`), 403, 4030148, 'Account balance is insufficient.');
      expectError(await ms.put(v, `${id}/specification?spec_alias=C32M128S20`), 403, 4030148, 'Account balance is insufficient.');
      // Scaling down or to a cheaper spec needs no balance.
      await server.operator('PATCH', '/users/vera', { status: 'abnormal' });
      expectError(await ms.put(v, `${id}/actions/elastic-scale?new_replicas=2`), 403, 4030009, 'User status abnormal.');
      await server.operator('PATCH', '/users/vera', { status: 'normal' });
      ok(await ms.put(v, `${id}/specification?spec_alias=C1M1S20`));
      await server.advance(2);
      const d = (await ms.detail(v, id)).json;
      assert.deepEqual([d.service_info.status, d.service_info.replicas], ['update_succ', 1]);
    });

    it('arrears: stop_service 1, changes → 4030102, delete still allowed; paying starts it again', async () => {
      const w = await server.newUser('walt');
      const wns = await ms.defaultNs(w);
      const id = await ms.createOk(w, statelessBody(wns, 'debt'));
      const sf = await ms.createOk(w, statefulBody(wns, 'debt-sf'));
      await server.operator('PATCH', '/users/walt', { balance: -30 });
      await server.advance(1);
      let d = (await ms.detail(w, id)).json;
      assert.equal(d.service_info.stop_service, 1);
      assert.equal((await ms.list(w, wns)).json.microservice_infos[0].stop_service, 1);
      const arrears = 'Microservice abandoned due to arrearage.';
      expectError(await ms.put(w, `${id}/actions/elastic-scale?new_replicas=3`), 403, 4030102, arrears);
      expectError(await ms.put(w, `${id}/actions/update-port`, { port_maps: [] }), 403, 4030102, arrears);
      expectError(await ms.put(w, `${sf}/actions/restart?option=restart`), 403, 4030102, arrears);
      // Syntax and lookup come first (microservices.md §1.3).
      expectError(await ms.put(w, `${id}/actions/elastic-scale?new_replicas=9`), 400, 4000117, 'Param replicas size invalid.');
      await server.operator('PATCH', '/users/walt', { balance: 500 });
      await server.advance(1);
      d = (await ms.detail(w, id)).json;
      assert.equal(d.service_info.stop_service, 0);
      await server.operator('PATCH', '/users/walt', { balance: -1 });
      await server.advance(1);
      assert.equal((await ms.detail(w, sf)).json.service_info.stop_service, 1);
      ok(await ms.del(w, sf));
      expectError(await ms.detail(w, sf), 404, 4040141, 'No such microservice.');
    });

    it('backend failures: 4000145 leaves the stored configuration unchanged; 5000001, 4000111, 5000002', async () => {
      const id = await ms.createOk(u, statelessBody(ns, 'fragile'));
      const sf = await ms.createOk(u, statefulBody(ns, 'fragile-sf'));
      const before = await v2(id);
      const cid = before.service_container_infos[0].container_id;
      runtime.failSubmit = true;
      const fail = 'Update microservice fail.';
      expectError(await ms.put(u, `${id}/actions/update-stateless`, { container_infos: [{ container_id: cid, envs: [{ key: 'NEW', value: 'x' }] }] }), 400, 4000145, fail);
      expectError(await ms.put(u, `${id}/actions/update-port`, { port_maps: [] }), 400, 4000145, fail);
      expectError(await ms.put(u, `${id}/actions/elastic-scale?new_replicas=5`), 400, 4000145, fail);
      expectError(await ms.put(u, `${id}/actions/update-image`, { container_images: [{ container_id: cid, image_path: 'hub.c.163.com/public/ubuntu:16.04' }], min_ready_seconds: 1 }), 400, 4000145, fail);
      expectError(await ms.put(u, `${id}/specification?spec_alias=C4M8S20`), 400, 4000145, fail);
      assert.deepEqual(await v2(id), before);
      expectError(await ms.put(u, `${sf}/actions/restart?option=restart`), 400, 4000111, 'fail.');
      const listBefore = (await ms.list(u, ns)).json;
      expectError(await ms.create(u, statelessBody(ns, 'never')), 500, 5000001, 'Create container error.');
      assert.deepEqual((await ms.list(u, ns)).json, listBefore);
      runtime.failSubmit = false;
      runtime.failRemove = true;
      expectError(await ms.del(u, id), 500, 5000002, 'Delete container error.');
      assert.deepEqual(await v2(id), before);
    });

    it('4000199: a second mutating request while the first is being handed over', async () => {
      const id = await ms.createOk(u, statelessBody(ns, 'contended'));
      let release!: () => void;
      runtime.hold = new Promise((r) => { release = r; });
      const held = new Promise<void>((r) => { runtime.onHold = r; });
      const first = ms.put(u, `${id}/actions/update-port`, { port_maps: [] });
      await held; // the first request is inside the hand-over now
      runtime.hold = undefined;
      runtime.onHold = undefined;
      expectError(await ms.put(u, `${id}/actions/elastic-scale?new_replicas=3`), 400, 4000199, 'System busy, please try again later.');
      expectError(await ms.del(u, id), 400, 4000199, 'System busy, please try again later.');
      release();
      ok(await first);
      await server.advance(2);
      assert.equal(await ms.status(u, id), 'update_succ');
    });

    it('the due task completes more operations than one commit holds: 250 creates due at once all end create_succ with their pods', async () => {
      const bulk = await server.newUser('bulk');
      assert.equal((await server.operator('PATCH', '/users/bulk', { balance: 1e9, quotas: { services: 1000, replicas: 1000, containers: 1000 } })).status, 200);
      const bulkNs = await ms.ns(bulk, 'bulk');
      const ids: number[] = [];
      for (let i = 0; i < 250; i++) ids.push(await ms.createOk(bulk, statelessBody(bulkNs, `s${i}`, { replicas: 1 }), false));
      await server.advance(2);
      // Read from the store, not through GET (which settles what it reads): the due task did all of it.
      const db = server.services.store.db;
      const rows = await db.selectFrom('microservices').select(['id', 'status', 'due_at']).where('namespace_id', '=', bulkNs).execute();
      assert.equal(rows.length, 250);
      assert.deepEqual(rows.filter((r) => r.status !== 'create_succ' || r.due_at !== null), []);
      const pods = await db.selectFrom('ms_pods').select('service_id').where('service_id', 'in', ids).execute();
      assert.deepEqual(new Set(pods.map((p) => Number(p.service_id))), new Set(ids));
      assert.equal(pods.length, 250);
    });
  });
}
