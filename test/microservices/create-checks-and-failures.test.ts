/**
 * Reference checks of namespaces, create, list, detail and delete found in an audit against
 * microservices.md §1–§3.9: integers of any size, lazy completion in the list, exact wire forms.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectError, STORES, type TestServer, type TestUser } from '../helpers/server.ts';
import { startSuite, statefulBody, statelessBody, type Ms } from './helpers.ts';

const HUGE = '99999999999999999999';

for (const store of STORES) {
  describe(`microservices audit: create, list, detail (${store})`, () => {
    let server: TestServer;
    let ms: Ms;
    let u: TestUser;
    let ns: number;

    before(async () => ({ server, ms, u, ns } = await startSuite(store, 'auditor', { namespace: 'audit' })));
    after(() => server.close());

    it('list: offset and limit are integers without an upper bound (microservices.md §3.6), also beyond 2^53', async () => {
      const a = await ms.createOk(u, statelessBody(ns, 'a', { replicas: 1 }), false);
      const b = await ms.createOk(u, statelessBody(ns, 'b', { replicas: 1 }), false);
      const all = await ms.list(u, ns, `?offset=0&limit=${HUGE}`);
      assert.equal(all.status, 200, all.text);
      assert.deepEqual([all.json.total, all.json.microservice_infos.map((s: { id: number }) => s.id)], [2, [b, a]]);
      const past = await ms.list(u, ns, `?offset=${HUGE}&limit=${HUGE}`);
      assert.equal(past.status, 200, past.text);
      assert.deepEqual(past.json, { total: 2, microservice_infos: [] });
      const one = await ms.list(u, ns, '?offset=1&limit=9007199254740993');
      assert.deepEqual(one.json.microservice_infos.map((s: { id: number }) => s.id), [a]);
      for (const q of [`?offset=-${HUGE}`, `?limit=-${HUGE}`, '?limit=0', '?limit=1.0', '?offset=1e3', '?limit=%2B1']) {
        expectError(await ms.list(u, ns, q), 400, 4000113, 'Param invalid.');
      }
      for (const id of [a, b]) assert.equal((await ms.del(u, id)).status, 200);
    });

    it('create: a numeric namespace_id, spec_id or volume id too large to be an id is unknown, not malformed', async () => {
      for (const nsId of [HUGE, 1e20]) {
        expectError(await ms.create(u, statelessBody(nsId as string, 'big')), 404, 4040114, 'No such namespace.');
      }
      const big: any = statelessBody(ns, 'big');
      big.service_info.namespace_Id = HUGE;
      delete big.service_info.namespace_id;
      expectError(await ms.create(u, big), 404, 4040114, 'No such namespace.');
      expectError(await ms.create(u, statelessBody(1.5 as unknown as string, 'big')), 400, 4000113, 'Param invalid.');

      const spec: any = statelessBody(ns, 'big');
      delete spec.service_info.spec_alias;
      spec.service_info.spec_id = HUGE;
      expectError(await ms.create(u, spec), 404, 4040118, 'No such spec.');
      spec.service_info.spec_id = '1.5';
      expectError(await ms.create(u, spec), 400, 4000119, 'Param spec info invalid.');

      const vol = statefulBody(ns, 'big', { service: { disk_type: 0 }, container: { volume_info: { [HUGE]: '/data' } } });
      expectError(await ms.create(u, vol), 404, 4040201, 'No such cloud volume.');
      assert.deepEqual((await ms.list(u, ns)).json, { total: 0, microservice_infos: [] });
    });

    it('create: a volume that changes state between validation and binding answers 4000146 (microservices.md §1.4); nothing is stored', async () => {
      const r = await server.request('POST', '/api/v1/cloud-volumes', { token: u.token, body: { volume_name: 'racy', format: 'Ext4', size: 10 } });
      assert.equal(r.status, 200, r.text);
      await server.advance(1);
      const vid = r.json.id as number;
      const { volumes } = server.services.resources;
      const check = volumes.checkAttachable;
      // Validation passes, then (before binding) the volume becomes busy: the operator marks it `mount_succ`.
      volumes.checkAttachable = async (owner, ids) => {
        await check.call(volumes, owner, ids);
        const p = await server.operator('PATCH', `/cloud-volumes/${vid}`, { status: 'mount_succ' });
        assert.equal(p.status, 200, p.text);
      };
      try {
        const body = statefulBody(ns, 'racy', { service: { disk_type: 0 }, container: { volume_info: { [vid]: '/data' } } });
        expectError(await ms.create(u, body), 400, 4000146, 'Update volume info fail.');
      } finally {
        volumes.checkAttachable = check;
      }
      assert.deepEqual((await ms.list(u, ns)).json, { total: 0, microservice_infos: [] });
      const v = (await server.request('GET', `/api/v1/cloud-volumes/${vid}`, { token: u.token })).json;
      assert.deepEqual([v.status, v.service_name], ['mount_succ', '']);
    });

    it('create: a namespace deleted between its lookup and the insert answers 4040114, not an internal error', async () => {
      const gone = await ms.ns(u, 'gone');
      const { images } = server.services.resources;
      const resolve = images.resolve;
      // The image is resolved after the namespace lookup and before the transaction: delete the namespace there.
      images.resolve = async (owner, path) => {
        const d = await server.request('DELETE', `/api/v1/namespaces/${gone}`, { token: u.token });
        assert.equal(d.status, 200, d.text);
        return resolve.call(images, owner, path);
      };
      try {
        expectError(await ms.create(u, statelessBody(gone, 'orphan', { replicas: 1 })), 404, 4040114, 'No such namespace.');
      } finally {
        images.resolve = resolve;
      }
      expectError(await ms.list(u, gone), 404, 4040114, 'No such namespace.');
      const names = (await server.request('GET', '/api/v1/namespaces', { token: u.token })).json.namespaces.map((n: { display_name: string }) => n.display_name);
      assert.ok(!names.includes('gone'));
    });

    it('a disabled account: reads work; deletes answer 4030009 after the lookup (microservices.md §1.3) and change nothing', async () => {
      const dan = await server.newUser('dan');
      const dns = await ms.ns(dan, 'dspace');
      const id = await ms.createOk(dan, statelessBody(dns, 'keep', { replicas: 1 }));
      const empty = await ms.ns(dan, 'empty');
      await server.operator('PATCH', '/users/dan', { status: 'abnormal' });
      expectError(await ms.del(dan, 999999), 404, 4040141, 'No such microservice.');
      expectError(await ms.del(dan, id, '?free_ip=maybe'), 400, 4000113, 'Param invalid.');
      expectError(await ms.del(dan, id), 403, 4030009, 'User status abnormal.');
      expectError(await server.request('DELETE', '/api/v1/namespaces/999999', { token: dan.token }), 404, 4040114, 'No such namespace.');
      expectError(await server.request('DELETE', `/api/v1/namespaces/${dns}`, { token: dan.token }), 403, 4030401, 'Action forbidden');
      expectError(await server.request('DELETE', `/api/v1/namespaces/${empty}`, { token: dan.token }), 403, 4030009, 'User status abnormal.');
      assert.equal((await ms.detail(dan, id)).status, 200);
      assert.equal((await ms.list(dan, dns)).json.total, 1);
      const names = (await server.request('GET', '/api/v1/namespaces', { token: dan.token })).json.namespaces.map((n: { display_name: string }) => n.display_name);
      assert.deepEqual(names, ['empty', 'dspace', 'default']);
      assert.equal((await server.request('GET', '/api/v1/microservices/images', { token: dan.token })).status, 200);
      await server.operator('PATCH', '/users/dan', { status: 'normal' });
      assert.equal((await ms.del(dan, id)).status, 200);
    });

    it('subsystem failures: binding the IP on create → 4000111; releasing volumes on delete → 4000146; unbinding a kept IP → 5000007', async () => {
      const newIp = async () => {
        const r = await server.request('POST', '/api/v1/ips', { token: u.token, body: { nce: 1 } });
        assert.equal(r.status, 200, r.text);
        return r.json.ips[0].id as string;
      };
      const ipStatus = async (ipId: string) => (await server.request('GET', `/api/v1/ips/${ipId}`, { token: u.token })).json.status;
      const net = (ipId: string) => ({ state_public_net: { used: true, type: 'flow', bandwidth: 5 }, ip_id: ipId });
      const { ips, volumes } = server.services.resources;

      const a = await newIp();
      const bind = ips.bind;
      ips.bind = async () => { throw new Error('ip subsystem down'); };
      try {
        expectError(await ms.create(u, statefulBody(ns, 'ipdown', { service: net(a) })), 400, 4000111, 'fail.');
      } finally {
        ips.bind = bind;
      }
      assert.equal(await ipStatus(a), 'available');
      assert.deepEqual((await ms.list(u, ns)).json, { total: 0, microservice_infos: [] });

      const v = await server.request('POST', '/api/v1/cloud-volumes', { token: u.token, body: { volume_name: 'kept', format: 'Ext4', size: 10 } });
      await server.advance(1);
      const id = await ms.createOk(u, statefulBody(ns, 'holder', { service: { disk_type: 0, ...net(a) }, container: { volume_info: { [v.json.id]: '/data' } } }));
      const detach = volumes.detach;
      volumes.detach = async () => { throw new Error('volume subsystem down'); };
      try {
        expectError(await ms.del(u, id, '?free_ip=true'), 400, 4000146, 'Update volume info fail.');
      } finally {
        volumes.detach = detach;
      }
      const unbind = ips.unbind;
      ips.unbind = async () => { throw new Error('ip subsystem down'); };
      try {
        expectError(await ms.del(u, id, '?free_ip=false'), 500, 5000007, 'Nce internal server error.');
      } finally {
        ips.unbind = unbind;
      }
      // Both refused deletes kept the service, its volume mount and its IP.
      assert.equal((await ms.detail(u, id)).json.service_info.pub_ip !== null, true);
      assert.equal((await server.request('GET', `/api/v1/cloud-volumes/${v.json.id}`, { token: u.token })).json.status, 'mount_succ');
      assert.equal(await ipStatus(a), 'binded');
      assert.equal((await ms.del(u, id, '?free_ip=false')).status, 200);
      assert.equal(await ipStatus(a), 'available');
    });

    it('create: the order of the lookups and late checks follows microservices.md §3.5’s table (each pair: the first failing check wins)', async () => {
      const ola = await server.newUser('ola');
      const ons = await ms.defaultNs(ola);
      await ms.createOk(ola, statelessBody(ons, 'taken', { replicas: 1 }), false);
      const ipr = await server.request('POST', '/api/v1/ips', { token: ola.token, body: { nce: 1 } });
      const ip = ipr.json.ips[0].id as string;
      const net = { state_public_net: { used: true, type: 'flow', bandwidth: 1 }, ip_id: ip };
      await ms.createOk(ola, statefulBody(ons, 'ipholder', { service: net }), false);
      const create = (b: unknown) => ms.create(ola, b);
      const badImage = 'hub.c.163.com/public/nope:1';
      expectError(await create(statelessBody(99999, 'x', { service: { spec_alias: 'C9M9S20' } })), 404, 4040114, 'No such namespace.');
      expectError(await create(statelessBody(ons, 'x', { service: { spec_alias: 'C9M9S20' }, containers: [{ image_path: badImage, container_name: 'c' }] })), 404, 4040118, 'No such spec.');
      expectError(await create(statefulBody(ons, 'x', { container: { image_path: badImage, ssh_keys: ['nokey'] } })), 404, 4040129, 'No such image.');
      expectError(await create(statefulBody(ons, 'x', { service: { disk_type: 0 }, container: { ssh_keys: ['nokey'], volume_info: { 777: '/d' } } })), 404, 4040005, 'No such secret key.');
      expectError(await create(statefulBody(ons, 'x', { service: { disk_type: 0, ...net, ip_id: 'nope' }, container: { volume_info: { 777: '/d' } } })), 404, 4040201, 'No such cloud volume.');
      expectError(await create(statefulBody(ons, 'ipholder', { service: net })), 403, 4030411, 'IP is using');
      await server.operator('PATCH', '/users/ola', { quotas: { services: 2 } });
      expectError(await create(statelessBody(ons, 'taken', { replicas: 1 })), 409, 4090116, 'Duplicate microservice name.');
      await server.operator('PATCH', '/users/ola', { status: 'abnormal' });
      expectError(await create(statelessBody(ons, 'taken', { replicas: 1 })), 409, 4090116, 'Duplicate microservice name.');
      expectError(await create(statelessBody(ons, 'new', { replicas: 1 })), 403, 4030009, 'User status abnormal.');
      await server.operator('PATCH', '/users/ola', { status: 'normal', balance: 10 });
      expectError(await create(statelessBody(ons, 'new', { replicas: 1 })), 403, 4030004, 'App quota insufficient.');
      assert.equal((await ms.list(ola, ons)).json.total, 2);
    });

    it('the documented create examples work as written (microservices.md §3.5), and detail V1/V2 answer in the documented shapes (microservices.md §3.7, §3.8)', async () => {
      const doc = await server.newUser('docs');
      const space = await ms.ns(doc, 'my-ev');
      const stateless = JSON.parse(`{
        "bill_info": "default",
        "service_info": {
          "namespace_id": "${space}", "stateful": 0, "replicas": 3, "service_name": "ubuntu",
          "port_maps": [{ "target_port": "80", "port": "8080", "protocol": "TCP" }],
          "spec_alias": "C1M2S20", "disk_type": 2
        },
        "service_container_infos": [{
          "image_path": "hub.c.163.com/public/ubuntu:14.04", "container_name": "container002", "command": "",
          "envs": [{ "key": "password", "value": "password" }, { "key": "user", "value": "user" }],
          "log_dirs": ["/var/log/"], "cpu_weight": 100, "memory_weight": 100
        }]
      }`);
      const r1 = await ms.create(doc, stateless);
      assert.equal(r1.status, 200, r1.text);
      assert.deepEqual(Object.keys(r1.json), ['service_id']);
      assert.equal(typeof r1.json.service_id, 'string');
      assert.match(r1.json.service_id, /^[1-9][0-9]*$/);

      const ipr = await server.request('POST', '/api/v1/ips', { token: doc.token, body: { nce: 1 } });
      const { id: ipId, ip: address } = ipr.json.ips[0];
      const vol = await server.request('POST', '/api/v1/cloud-volumes', { token: doc.token, body: { volume_name: 'volume', format: 'Ext4', size: 10 } });
      await server.advance(1);
      for (const key_name of ['sshkey1', 'sshkey2']) assert.equal((await server.request('POST', '/api/v1/secret-keys', { token: doc.token, body: { key_name } })).status, 201);
      const stateful = JSON.parse(`{
        "bill_info": "default",
        "service_info": {
          "namespace_id": "${space}", "stateful": 1, "replicas": 1, "service_name": "ubuntu-sf",
          "port_maps": [{ "target_port": "80", "port": "8080", "protocol": "TCP" }],
          "spec_alias": "C1M2S20",
          "state_public_net": { "used": true, "type": "flow", "bandwidth": 20 },
          "disk_type": 0, "ip_id": "${ipId}"
        },
        "service_container_infos": [{
          "image_path": "hub.c.163.com/public/ubuntu:14.04", "container_name": "container002", "command": "",
          "envs": [{ "key": "password", "value": "password" }, { "key": "user", "value": "user" }],
          "log_dirs": ["/var/log/"], "cpu_weight": 100, "memory_weight": 100,
          "ssh_keys": ["sshkey1", "sshkey2"],
          "volume_info": { "${vol.json.id}": "/mnt/" }
        }]
      }`);
      const r2 = await ms.create(doc, stateful);
      assert.equal(r2.status, 200, r2.text);
      const id = Number(r2.json.service_id);
      await server.advance(2);

      for (const v2 of [false, true]) {
        const d = await ms.detail(doc, id, v2);
        assert.equal(d.status, 200, d.text);
        assert.deepEqual(Object.keys(d.json), ['service_info', 'service_container_infos']);
        assert.deepEqual(Object.entries(d.json.service_info), Object.entries({
          id, namespace: 'my-ev-docs', replicas: 1, status: 'create_succ', service_name: 'ubuntu-sf',
          spec_info: '{"cpu":1000,"disk_type":"SSD","memory":2147483648,"spec_alias":"C1M2S20","storage":20}',
          port_maps: '[{"destPort":80,"protocol":"TCP","sourcePort":8080}]', stateful: 1,
          state_public_net: '{"bandwidth":20,"type":"flow","used":true}', extends_disk_size: 0, pub_ip: address, stop_service: 0,
        }));
        const [c] = d.json.service_container_infos;
        const pods = v2 ? { replicas: c.replicas } : {};
        assert.deepEqual(Object.entries(c), Object.entries({
          envs: [{ key: 'password', value: 'password' }, { key: 'user', value: 'user' }], command: null,
          volumes: [{ name: 'volume', mount_path: '/mnt/' }], ...pods, container_id: c.container_id, container_name: 'container002',
          ssh_keys: ['sshkey1', 'sshkey2'], log_dirs: ['/var/log/'], image_path: 'hub.c.163.com/public/ubuntu:14.04', repo_name: 'ubuntu',
          image_tag: '14.04', local_disk_info: [], cpu_weight: 100, memory_weight: 100, docker_container_ids: c.docker_container_ids, lan_ips: c.lan_ips,
        }));
        assert.equal(typeof c.container_id, 'number');
        assert.equal(c.docker_container_ids.length, 1);
        assert.match(c.docker_container_ids[0], /^[0-9a-f]{64}$/);
        assert.match(c.lan_ips[0], /^10\.\d{1,3}\.\d{1,3}\.\d{1,3}$/);
        if (v2) assert.match(c.replicas[0], new RegExp(`^ubuntu-sf-${id}-[1-9][0-9]{0,9}-[a-z0-9]{5}$`));
      }
      const list = await ms.list(doc, space, '?offset=0&limit=10');
      assert.deepEqual(list.json.microservice_infos.map((s: { service_name: string; replicas: number }) => [s.service_name, s.replicas]), [['ubuntu-sf', 1], ['ubuntu', 3]]);
      assert.equal((await ms.del(doc, id, '?free_ip=true')).text, '');
    });

    it('list: a service past its due time shows the completed status, as detail does, before the due task runs', async () => {
      const id = await ms.createOk(u, statelessBody(ns, 'due', { replicas: 1 }), false);
      assert.equal((await ms.list(u, ns)).json.microservice_infos[0].status, 'creating');
      // Move the server clock past the 2 s of `creating` without running the due task.
      (server.services.clock as unknown as { offsetMs: number }).offsetMs += 3000;
      const listed = (await ms.list(u, ns)).json.microservice_infos[0];
      assert.deepEqual([listed.id, listed.status], [id, 'create_succ']);
      const pods = (await ms.detail(u, id, true)).json.service_container_infos[0].replicas;
      assert.equal(pods.length, 1);
      assert.equal((await ms.del(u, id)).status, 200);
    });
  });
}
