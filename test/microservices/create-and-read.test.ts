/** Namespaces, the images list, create (every syntax code over HTTP), list, detail and isolation. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectError, startTestServer, STORES, type TestServer, type TestUser } from '../helpers/server.ts';
import { IMAGE, Ms, statefulBody, statelessBody } from './helpers.ts';

for (const store of STORES) {
  describe(`microservices: namespaces, create, list, detail (${store})`, () => {
    let server: TestServer;
    let ms: Ms;
    let alice: TestUser;
    let bob: TestUser;
    let aliceNs: number;

    before(async () => {
      server = await startTestServer(store);
      ms = new Ms(server);
      alice = await server.newUser('alice');
      bob = await server.newUser('bob');
      aliceNs = await ms.defaultNs(alice);
    });
    after(() => server.close());

    describe('namespaces', () => {
      it('every user has a default namespace that is not deletable; names are <display>-<user>', async () => {
        const r = await server.request('GET', '/api/v1/namespaces', { token: bob.token });
        assert.equal(r.status, 200);
        assert.deepEqual(Object.keys(r.json), ['namespaces']);
        assert.equal(r.json.namespaces.length, 1);
        const [d] = r.json.namespaces;
        assert.deepEqual(Object.keys(d), ['deletable', 'id', 'display_name', 'namespace']);
        assert.deepEqual({ ...d, id: 0 }, { deletable: false, id: 0, display_name: 'default', namespace: 'default-bob' });
        expectError(await server.request('DELETE', `/api/v1/namespaces/${d.id}`, { token: bob.token }), 403, 4030401, 'Action forbidden');
      });

      it('create → 200 {namespace_id, namespace_Id}; listed newest first; deletable until it holds a service', async () => {
        const r = await server.request('POST', '/api/v1/namespaces', { token: alice.token, body: { name: 'my-ev' } });
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(Object.keys(r.json), ['namespace_id', 'namespace_Id']);
        assert.equal(r.json.namespace_id, r.json.namespace_Id);
        const id = r.json.namespace_id as number;
        let list = (await server.request('GET', '/api/v1/namespaces', { token: alice.token })).json.namespaces;
        assert.deepEqual(list[0], { deletable: true, id, display_name: 'my-ev', namespace: 'my-ev-alice' });
        assert.ok(list[0].id > list[1].id);
        const sid = await ms.createOk(alice, statelessBody(id, 'web', { replicas: 1 }), false);
        list = (await server.request('GET', '/api/v1/namespaces', { token: alice.token })).json.namespaces;
        assert.equal(list[0].deletable, false);
        expectError(await server.request('DELETE', `/api/v1/namespaces/${id}`, { token: alice.token }), 403, 4030401, 'Action forbidden');
        // The same service name may exist in another namespace.
        await ms.createOk(alice, statelessBody(aliceNs, 'web', { replicas: 1 }), false);
        assert.equal((await ms.del(alice, sid)).status, 200);
        const d = await server.request('DELETE', `/api/v1/namespaces/${id}`, { token: alice.token });
        assert.deepEqual({ status: d.status, text: d.text }, { status: 200, text: '' });
        list = (await server.request('GET', '/api/v1/namespaces', { token: alice.token })).json.namespaces;
        assert.ok(!list.some((n: { id: number }) => n.id === id));
        expectError(await server.request('DELETE', `/api/v1/namespaces/${id}`, { token: alice.token }), 404, 4040114, 'No such namespace.');
      });

      it('create: 4000112 missing, 4000113 invalid, 4090401 duplicate (default included), 4030009 disabled account', async () => {
        const post = (body: unknown, u = alice) => server.request('POST', '/api/v1/namespaces', { token: u.token, body });
        expectError(await post({}), 400, 4000112, 'Missing param.');
        expectError(await post({ name: '' }), 400, 4000112, 'Missing param.');
        expectError(await post({ name: 5 }), 400, 4000113, 'Param invalid.');
        expectError(await post({ name: 'Bad_Name' }), 400, 4000113, 'Param invalid.');
        expectError(await post({ name: 'default' }), 409, 4090401, 'Duplicate resource');
        await ms.ns(alice, 'dup');
        expectError(await post({ name: 'dup' }), 409, 4090401, 'Duplicate resource');
        const carol = await server.newUser('carol');
        await server.operator('PATCH', '/users/carol', { status: 'abnormal' });
        expectError(await post({ name: 'x' }, carol), 403, 4030009, 'User status abnormal.');
        // Syntax comes before account state (microservices.md §1.3).
        expectError(await post({ name: 'X' }, carol), 400, 4000113, 'Param invalid.');
      });

      it('delete: 4040114 for malformed, unknown and foreign ids', async () => {
        const bobNs = await ms.ns(bob, 'bobs');
        for (const id of ['abc', '0', '-1', '99999999', String(bobNs)]) {
          expectError(await server.request('DELETE', `/api/v1/namespaces/${id}`, { token: alice.token }), 404, 4040114, 'No such namespace.');
        }
      });

      it('quota: 20 namespaces per user including default → 4030302', async () => {
        const dave = await server.newUser('dave');
        await ms.quotas(dave, { namespaces: 3 });
        await ms.ns(dave, 'a1');
        await ms.ns(dave, 'a2');
        const before = (await server.request('GET', '/api/v1/namespaces', { token: dave.token })).json;
        expectError(await server.request('POST', '/api/v1/namespaces', { token: dave.token, body: { name: 'a3' } }), 403, 4030302, 'Quota insufficient');
        assert.deepEqual((await server.request('GET', '/api/v1/namespaces', { token: dave.token })).json, before);
      });

      it('concurrent creates of one namespace name: exactly one wins', async () => {
        const rs = await Promise.all(Array.from({ length: 5 }, () => server.request('POST', '/api/v1/namespaces', { token: bob.token, body: { name: 'race' } })));
        assert.equal(rs.filter((r) => r.status === 200).length, 1);
        for (const r of rs.filter((x) => x.status !== 200)) expectError(r, 409, 4090401, 'Duplicate resource');
      });
    });

    it('GET /api/v1/microservices/images: {custom_images, public_images} with the documented item members', async () => {
      const r = await server.request('GET', '/api/v1/microservices/images', { token: alice.token });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(Object.keys(r.json), ['custom_images', 'public_images']);
      assert.ok(Array.isArray(r.json.custom_images));
      // The documented examples' official images are listed (core.md §10).
      const paths = r.json.public_images.map((i: { image_path: string }) => i.image_path);
      for (const p of [IMAGE, 'hub.c.163.com/public/centos:6.5', 'hub.c.163.com/public/centos:7.2.1511']) assert.ok(paths.includes(p), p);
      assert.deepEqual(r.json.public_images.find((i: { image_path: string }) => i.image_path === 'hub.c.163.com/public/centos:6.5'),
        { tag: '6.5', repo_id: 1055, repo_name: 'centos', image_path: 'hub.c.163.com/public/centos:6.5' });
      for (const img of r.json.public_images) {
        assert.deepEqual(Object.keys(img), ['tag', 'repo_id', 'repo_name', 'image_path']);
        assert.equal(img.image_path, `hub.c.163.com/public/${img.repo_name}:${img.tag}`);
      }
    });

    describe('create: syntax codes over HTTP (status, code, message)', () => {
      const cases: Array<[string, (b: any) => void, number, number, string]> = [
        ['service_info absent', (b) => { delete b.service_info; }, 400, 4000112, 'Missing param.'],
        ['namespace_id not numeric', (b) => { b.service_info.namespace_id = 'x1'; }, 400, 4000113, 'Param invalid.'],
        ['service_name format', (b) => { b.service_info.service_name = 'Web'; }, 400, 4000115, 'Param microservice name format invalid.'],
        ['replicas 6', (b) => { b.service_info.replicas = 6; }, 400, 4000117, 'Param replicas size invalid.'],
        ['spec malformed', (b) => { b.service_info.spec_alias = 'XL'; }, 400, 4000119, 'Param spec info invalid.'],
        ['container_desc too long', (b) => { b.service_container_infos[0].container_desc = 'd'.repeat(256); }, 400, 4000120, 'Param container desc length out of range.'],
        ['container_name format', (b) => { b.service_container_infos[0].container_name = '-x'; }, 400, 4000121, 'Param container name format invalid.'],
        ['51 envs', (b) => { b.service_container_infos[0].envs = Array.from({ length: 51 }, (_, i) => ({ key: `K${i}` })); }, 400, 4000123, 'Param env size out of limit.'],
        ['env key', (b) => { b.service_container_infos[0].envs = [{ key: 'a b' }]; }, 400, 4000124, 'Param env key format invalid.'],
        ['env value', (b) => { b.service_container_infos[0].envs = [{ key: 'a', value: [1] }]; }, 400, 4000125, 'Param env value format invalid.'],
        ['command too long', (b) => { b.service_container_infos[0].command = 'x'.repeat(1025); }, 400, 4000126, 'Param cmd lengh out of range.'],
        ['11 log dirs', (b) => { b.service_container_infos[0].log_dirs = Array.from({ length: 11 }, (_, i) => `/d${i}`); }, 400, 4000127, 'Param log dir size out of limit.'],
        ['log dir too long', (b) => { b.service_container_infos[0].log_dirs = ['/' + 'x'.repeat(300)]; }, 400, 4000128, 'Param log dir too long.'],
        ['cpu weight', (b) => { b.service_container_infos[0].cpu_weight = 50; }, 400, 4000130, 'Param CPU weight invalid.'],
        ['memory weight', (b) => { b.service_container_infos[0].memory_weight = 50; }, 400, 4000131, 'Param memory weight invalid.'],
        ['volume_info on stateless', (b) => { delete b.service_info.disk_type; b.service_container_infos[0].volume_info = { 5: '/data' }; }, 400, 4000133, 'Param volue info invalid.'],
        ['port map protocol', (b) => { b.service_info.port_maps = [{ port: 1, target_port: 1, protocol: 'ICMP' }]; }, 400, 4000134, 'Param port map invalid.'],
        ['public net on stateless', (b) => { b.service_info.state_public_net = { used: true, type: 'flow', bandwidth: 1 }; }, 400, 4000135, 'Param public network info invalid.'],
        ['ssh keys on stateless', (b) => { b.service_container_infos[0].ssh_keys = ['k']; }, 400, 4000136, 'Param ssh key invalid.'],
        ['disk type 1', (b) => { b.service_info.disk_type = 1; }, 400, 4000137, 'Param disk type invalid.'],
        ['21 port maps', (b) => { b.service_info.port_maps = Array.from({ length: 21 }, (_, i) => ({ port: i + 1, target_port: i + 1 })); }, 400, 4000139, 'Port map size already up to limit.'],
        ['duplicate container name', (b) => { b.service_container_infos = [{ image_path: IMAGE, container_name: 'a', cpu_weight: 50, memory_weight: 50 }, { image_path: IMAGE, container_name: 'a', cpu_weight: 50, memory_weight: 50 }]; }, 409, 4090122, 'Duplicate container name.'],
        ['duplicate log dir', (b) => { b.service_container_infos[0].log_dirs = ['/a/', '/a']; }, 409, 4090138, 'Duplicate log directory.'],
      ];
      for (const [name, mutate, status, code, message] of cases) {
        it(`${name} → ${code}`, async () => {
          const body = statelessBody(aliceNs, 'syntax');
          mutate(body);
          expectError(await ms.create(alice, body), status, code, message);
        });
      }
      it('duplicate volume info → 4090132 (stateful)', async () => {
        const body = statefulBody(aliceNs, 'vol', { service: { disk_type: 0 }, container: { volume_info: { 1: '/data', 2: '/data/' } } });
        expectError(await ms.create(alice, body), 409, 4090132, 'Duplicate volume info.');
      });
      it('nothing was stored by the refused creates', async () => {
        const r = await ms.list(alice, aliceNs);
        assert.ok(!r.json.microservice_infos.some((s: { service_name: string }) => ['syntax', 'vol'].includes(s.service_name)));
      });
    });

    describe('create: lookups and conflicts', () => {
      it('4040114 unknown or foreign namespace; 4040118 unknown spec; 4040129 unknown image; 4040005 unknown ssh key', async () => {
        const bobNs = await ms.defaultNs(bob);
        for (const ns of [999999, bobNs, 0, -4]) {
          expectError(await ms.create(alice, statelessBody(ns, 'x')), 404, 4040114, 'No such namespace.');
        }
        expectError(await ms.create(alice, statelessBody(aliceNs, 'x', { service: { spec_alias: 'C3M3S20' } })), 404, 4040118, 'No such spec.');
        expectError(await ms.create(alice, statelessBody(aliceNs, 'x', { service: { spec_alias: undefined, spec_id: 8 } })), 404, 4040118, 'No such spec.');
        const img = (image_path: string) => statelessBody(aliceNs, 'x', { containers: [{ image_path, container_name: 'c' }] });
        expectError(await ms.create(alice, img('hub.c.163.com/public/ubuntu:99')), 404, 4040129, 'No such image.');
        expectError(await ms.create(alice, img('docker.io/ubuntu')), 404, 4040129, 'No such image.');
        expectError(await ms.create(alice, img('hub.c.163.com/alice/nothing:v1')), 404, 4040004, 'No such repository.');
        expectError(await ms.create(alice, statefulBody(aliceNs, 'x', { container: { ssh_keys: ['nokey'] } })), 404, 4040005, 'No such secret key.');
      });

      it('4090116 duplicate name in the namespace; concurrent creates → exactly one winner', async () => {
        await ms.createOk(alice, statelessBody(aliceNs, 'dupname', { replicas: 1 }), false);
        expectError(await ms.create(alice, statelessBody(aliceNs, 'dupname', { replicas: 1 })), 409, 4090116, 'Duplicate microservice name.');
        const rs = await Promise.all(Array.from({ length: 6 }, () => ms.create(alice, statelessBody(aliceNs, 'racer', { replicas: 1 }))));
        assert.equal(rs.filter((r) => r.status === 200).length, 1, rs.map((r) => r.text).join('\n'));
        for (const r of rs.filter((x) => x.status !== 200)) {
          if (r.json.code === 4000199) expectError(r, 400, 4000199, 'System busy, please try again later.');
          else expectError(r, 409, 4090116, 'Duplicate microservice name.');
        }
        const names = (await ms.list(alice, aliceNs)).json.microservice_infos.map((s: { service_name: string }) => s.service_name);
        assert.equal(names.filter((n: string) => n === 'racer').length, 1);
      });

      it('4030009 after the lookups; quotas 4030004 / 4030005 / 4030002; refused creates store nothing', async () => {
        const erin = await server.newUser('erin');
        const ns = await ms.defaultNs(erin);
        await server.operator('PATCH', '/users/erin', { status: 'abnormal' });
        expectError(await ms.create(erin, statelessBody(999999, 'a')), 404, 4040114, 'No such namespace.');
        expectError(await ms.create(erin, statelessBody(ns, 'a')), 403, 4030009, 'User status abnormal.');
        await server.operator('PATCH', '/users/erin', { status: 'normal' });
        await ms.quotas(erin, { services: 2, replicas: 4, containers: 6 });
        await ms.createOk(erin, statelessBody(ns, 'a', { replicas: 2 }), false);
        expectError(await ms.create(erin, statelessBody(ns, 'b', { replicas: 3 })), 403, 4030005, 'Replication quota insufficient.');
        const three = [0, 1, 2].map((i) => ({ image_path: IMAGE, container_name: `c${i}`, cpu_weight: i === 0 ? 34 : 33, memory_weight: i === 0 ? 34 : 33 }));
        expectError(await ms.create(erin, statelessBody(ns, 'b', { replicas: 2, containers: three })), 403, 4030002, 'Container quota insufficient.');
        await ms.createOk(erin, statelessBody(ns, 'b', { replicas: 1 }), false);
        const before = (await ms.list(erin, ns)).json;
        expectError(await ms.create(erin, statelessBody(ns, 'c', { replicas: 1 })), 403, 4030004, 'App quota insufficient.');
        assert.deepEqual((await ms.list(erin, ns)).json, before);
      });

      it('billing: 4030148 below 50 CNY, 4030147 when an hour can’t be frozen', async () => {
        const fay = await server.newUser('fay');
        const ns = await ms.defaultNs(fay);
        await server.operator('PATCH', '/users/fay', { balance: 49 });
        expectError(await ms.create(fay, statelessBody(ns, 'a')), 403, 4030148, 'Account balance is insufficient.');
        await server.operator('PATCH', '/users/fay', { balance: 90 });
        // 5 replicas of the largest spec cost 33.15 CNY an hour, charged at once: 56.85 CNY remain, of which
        // 33.15 are frozen for the running service, so another such hour can't be frozen.
        const big = statelessBody(ns, 'big', { replicas: 5, service: { spec_alias: 'C32M128S20' } });
        await ms.createOk(fay, big, false);
        expectError(await ms.create(fay, { ...big, service_info: { ...big.service_info, service_name: 'big2' } }), 403, 4030147, 'Frozen fee fail.');
        assert.equal((await ms.list(fay, ns)).json.total, 1);
      });
    });

    describe('list and detail', () => {
      it('list: documented members, newest first, offset/limit paging, total, 4000113 and 4040114', async () => {
        const gus = await server.newUser('gus');
        const ns = await ms.ns(gus, 'paged');
        const ids: number[] = [];
        for (let i = 0; i < 5; i++) ids.push(await ms.createOk(gus, statelessBody(ns, `s${i}`, { replicas: 1 }), false));
        const all = await ms.list(gus, ns);
        assert.equal(all.status, 200);
        assert.deepEqual(Object.keys(all.json), ['total', 'microservice_infos']);
        assert.equal(all.json.total, 5);
        assert.deepEqual(all.json.microservice_infos.map((s: { id: number }) => s.id), [...ids].reverse());
        const item = all.json.microservice_infos[0];
        assert.deepEqual(Object.keys(item), ['id', 'status', 'replicas', 'service_name', 'stateful', 'port_maps', 'spec_info', 'stop_service']);
        assert.deepEqual(item, {
          id: ids[4], status: 'creating', replicas: 1, service_name: 's4', stateful: 0,
          port_maps: [{ protocol: 'TCP', port: 8080, target_port: 80 }],
          spec_info: '{"cpu":1000,"disk_type":"SSD","memory":2147483648,"spec_alias":"C1M2S20","storage":20}', stop_service: 0,
        });
        const page = await ms.list(gus, ns, '?offset=1&limit=2');
        assert.deepEqual({ total: page.json.total, ids: page.json.microservice_infos.map((s: { id: number }) => s.id) }, { total: 5, ids: [ids[3], ids[2]] });
        assert.deepEqual((await ms.list(gus, ns, '?offset=9&limit=65535')).json, { total: 5, microservice_infos: [] });
        expectError(await ms.list(gus, ns, '?offset=-1'), 400, 4000113, 'Param invalid.');
        expectError(await ms.list(gus, ns, '?limit=0'), 400, 4000113, 'Param invalid.');
        expectError(await ms.list(gus, ns, '?limit=x'), 400, 4000113, 'Param invalid.');
        expectError(await ms.list(alice, ns), 404, 4040114, 'No such namespace.');
        expectError(await ms.list(gus, 'abc'), 404, 4040114, 'No such namespace.');
        assert.deepEqual((await ms.list(gus, await ms.defaultNs(gus))).json, { total: 0, microservice_infos: [] });
      });

      it('detail V1 / V2: documented members and encodings; V2 adds pod names; 4040141 for others', async () => {
        const ns = await ms.ns(alice, 'detail');
        const id = await ms.createOk(alice, statelessBody(ns, 'ubuntu', { replicas: 2 }), false);
        const creating = await ms.detail(alice, id, true);
        assert.equal(creating.json.service_info.status, 'creating');
        assert.deepEqual(creating.json.service_container_infos[0].replicas, []);
        assert.deepEqual(creating.json.service_container_infos[0].docker_container_ids, []);
        await server.advance(2);
        const v1 = await ms.detail(alice, id);
        assert.equal(v1.status, 200);
        assert.deepEqual(Object.keys(v1.json), ['service_info', 'service_container_infos']);
        assert.deepEqual(v1.json.service_info, {
          id, namespace: 'detail-alice', replicas: 2, status: 'create_succ', service_name: 'ubuntu',
          spec_info: '{"cpu":1000,"disk_type":"SSD","memory":2147483648,"spec_alias":"C1M2S20","storage":20}',
          port_maps: '[{"destPort":80,"protocol":"TCP","sourcePort":8080}]', stateful: 0,
          state_public_net: '{"bandwidth":0,"type":"flow","used":false}', extends_disk_size: 0, pub_ip: null, stop_service: 0,
        });
        const c = v1.json.service_container_infos[0];
        assert.deepEqual(Object.keys(c), ['envs', 'command', 'volumes', 'container_id', 'container_name', 'ssh_keys', 'log_dirs', 'image_path', 'repo_name', 'image_tag', 'local_disk_info', 'cpu_weight', 'memory_weight', 'docker_container_ids', 'lan_ips']);
        assert.deepEqual({ ...c, container_id: 0, docker_container_ids: [], lan_ips: [] }, {
          envs: [{ key: 'password', value: 'password' }, { key: 'user', value: 'user' }], command: null, volumes: [], container_id: 0,
          container_name: 'web', ssh_keys: [], log_dirs: ['/var/log/'], image_path: IMAGE, repo_name: 'ubuntu', image_tag: '14.04',
          local_disk_info: [], cpu_weight: 100, memory_weight: 100, docker_container_ids: [], lan_ips: [],
        });
        assert.ok(c.container_id > id);
        assert.equal(c.docker_container_ids.length, 2);
        for (const d of c.docker_container_ids) assert.match(d, /^[0-9a-f]{64}$/);
        for (const ip of c.lan_ips) assert.match(ip, /^10\.\d+\.\d+\.\d+$/);
        const v2 = await ms.detail(alice, id, true);
        const c2 = v2.json.service_container_infos[0];
        assert.deepEqual(Object.keys(c2).slice(0, 5), ['envs', 'command', 'volumes', 'replicas', 'container_id']);
        assert.equal(c2.replicas.length, 2);
        for (const pod of c2.replicas) assert.match(pod, new RegExp(`^ubuntu-${id}-[1-9][0-9]{0,9}-[a-z0-9]{5}$`));
        assert.deepEqual(c2.docker_container_ids, c.docker_container_ids);
        for (const path of [`${id}`, `${id}/detail`]) {
          expectError(await server.request('GET', `/api/v1/microservices/${path}`, { token: bob.token }), 404, 4040141, 'No such microservice.');
        }
        for (const bad of ['abc', '0', '99999999']) expectError(await ms.detail(alice, bad), 404, 4040141, 'No such microservice.');
      });

      it('create accepts the documented forms: string numbers, legacy spec_id and port keys, namespace_Id, envs map, POST without bill_info', async () => {
        const body: any = statelessBody(aliceNs, 'legacy', { replicas: 1 });
        delete body.bill_info;
        body.service_info.namespace_Id = body.service_info.namespace_id;
        delete body.service_info.namespace_id;
        delete body.service_info.spec_alias;
        body.service_info.spec_id = '6';
        body.service_info.port_maps = [{ dest_port: '81', source_port: '8081', protocol: 'udp' }];
        body.service_container_infos[0].envs = { B: 1, A: 'x' };
        body.service_container_infos[0].log_dirs = ['/var/log'];
        const id = await ms.createOk(alice, body);
        const d = (await ms.detail(alice, id)).json;
        assert.equal(d.service_info.spec_info, '{"cpu":8000,"disk_type":"SSD","memory":17179869184,"spec_alias":"C8M16S20","storage":20}');
        assert.equal(d.service_info.port_maps, '[{"destPort":81,"protocol":"UDP","sourcePort":8081}]');
        assert.deepEqual(d.service_container_infos[0].envs, [{ key: 'B', value: '1' }, { key: 'A', value: 'x' }]);
        assert.deepEqual(d.service_container_infos[0].log_dirs, ['/var/log/']);
      });
    });
  });
}
