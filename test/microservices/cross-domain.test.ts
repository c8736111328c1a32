/**
 * A microservice's references to other domains, over HTTP: public IPs (bind, release or keep on delete),
 * cloud volumes (mount, unmount), secret keys, and the caller's own images from the registry.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectError, STORES, type TestServer, type TestUser } from '../helpers/server.ts';
import { startSuite, statefulBody, statelessBody, type Ms } from './helpers.ts';

function multipart(field: string, content: string): { raw: Buffer; headers: Record<string, string> } {
  const boundary = '----opencomb-test';
  const raw = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="Dockerfile"\r\nContent-Type: text/plain\r\n\r\n${content}\r\n--${boundary}--\r\n`);
  return { raw, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

for (const store of STORES) {
  describe(`microservices and other domains (${store})`, () => {
    let server: TestServer;
    let ms: Ms;
    let u: TestUser;
    let ns: number;

    before(async () => ({ server, ms, u, ns } = await startSuite(store, 'rita', { namespace: 'myspace' })));
    after(() => server.close());

    async function newIp(user: TestUser, type: 'nce' | 'nlb' = 'nce'): Promise<{ id: string; ip: string }> {
      const r = await server.request('POST', '/api/v1/ips', { token: user.token, body: { [type]: 1 } });
      assert.equal(r.status, 200, r.text);
      return r.json.ips[0];
    }
    const ip = async (user: TestUser, id: string) => server.request('GET', `/api/v1/ips/${id}`, { token: user.token });
    async function newVolume(user: TestUser, name: string, format = 'Ext4'): Promise<number> {
      const r = await server.request('POST', '/api/v1/cloud-volumes', { token: user.token, body: { volume_name: name, format, size: 10 } });
      assert.equal(r.status, 200, r.text);
      await server.advance(1);
      return r.json.id;
    }
    const volume = async (user: TestUser, id: number) => (await server.request('GET', `/api/v1/cloud-volumes/${id}`, { token: user.token })).json;
    const withNet = (ipId: string, extra: Record<string, unknown> = {}) => ({ state_public_net: { used: true, type: 'flow', bandwidth: 20 }, ip_id: ipId, ...extra });

    it('public IP: bound on create, shown as pub_ip, kept (available) or released on delete', async () => {
      const a = await newIp(u);
      const id = await ms.createOk(u, statefulBody(ns, 'withip', { service: withNet(a.id) }));
      let r = await ip(u, a.id);
      assert.deepEqual([r.json.status, r.json.service_id, r.json.service_name], ['binded', String(id), 'withip']);
      const d = (await ms.detail(u, id)).json;
      assert.equal(d.service_info.pub_ip, a.ip);
      assert.equal(d.service_info.state_public_net, '{"bandwidth":20,"type":"flow","used":true}');
      expectError(await ms.create(u, statefulBody(ns, 'second', { service: withNet(a.id) })), 403, 4030411, 'IP is using');
      assert.equal((await ms.del(u, id, '?free_ip=false')).status, 200);
      r = await ip(u, a.id);
      assert.deepEqual([r.json.status, r.json.service_id], ['available', '']);

      const id2 = await ms.createOk(u, statefulBody(ns, 'withip2', { service: withNet(a.id) }));
      assert.equal((await ms.del(u, id2, '?free_ip=TRUE')).status, 200);
      expectError(await ip(u, a.id), 404, 4040302, 'No such IP');
    });

    it('public IP lookups: 4040302 unknown or foreign, 4000135 not nce', async () => {
      const other = await server.newUser();
      const foreign = await newIp(other);
      expectError(await ms.create(u, statefulBody(ns, 'x', { service: withNet(foreign.id) })), 404, 4040302, 'No such IP');
      expectError(await ms.create(u, statefulBody(ns, 'x', { service: withNet('cef9069c-d97d-42b1-a86c-f815f748820c') })), 404, 4040302, 'No such IP');
      const nlb = await newIp(u, 'nlb');
      expectError(await ms.create(u, statefulBody(ns, 'x', { service: withNet(nlb.id) })), 400, 4000135, 'Param public network info invalid.');
    });

    it('update-stateful: type and bandwidth change, used can’t; a price rise is checked against the balance', async () => {
      const a = await newIp(u);
      const id = await ms.createOk(u, statefulBody(ns, 'net', { service: withNet(a.id) }));
      const put = (net: unknown) => ms.put(u, `${id}/actions/update-stateful`, { state_public_net: net });
      expectError(await put({ used: false, type: 'flow', bandwidth: 20 }), 400, 4000135, 'Param public network info invalid.');
      expectError(await put({ used: true, type: 'flow', bandwidth: 20 }), 403, 4030143, 'Nothing to update.');
      expectError(await put({ used: true, type: 'flow', bandwidth: 101 }), 400, 4000135, 'Param public network info invalid.');
      await server.operator('PATCH', '/users/rita', { balance: 20 });
      expectError(await put({ used: true, type: 'bandwidth', bandwidth: 50 }), 403, 4030148, 'Account balance is insufficient.');
      await server.operator('PATCH', '/users/rita', { balance: 1000 });
      const r = await put({ used: 'true', type: 'BANDWIDTH', bandwidth: '50' });
      assert.equal(r.status, 200, r.text);
      assert.equal(await ms.status(u, id), 'updating');
      const pods = (await ms.detail(u, id, true)).json.service_container_infos[0].replicas;
      await server.advance(2);
      const d = (await ms.detail(u, id, true)).json;
      assert.deepEqual([d.service_info.status, d.service_info.state_public_net], ['update_succ', '{"bandwidth":50,"type":"bandwidth","used":true}']);
      assert.deepEqual(d.service_container_infos[0].replicas, pods);
      assert.equal((await ms.del(u, id, '?free_ip=true')).status, 200);
    });

    it('cloud volumes: mounted on create (mount_succ, <namespace>/<service>, container id), listed in detail, unmounted on delete', async () => {
      const v1 = await newVolume(u, 'vol-a');
      const v2 = await newVolume(u, 'vol-b');
      const id = await ms.createOk(u, statefulBody(ns, 'myservice', { service: { disk_type: 0 }, container: { volume_info: { [v1]: '/mnt/', [v2]: '/data' } } }));
      const d = (await ms.detail(u, id)).json;
      const cid = d.service_container_infos[0].container_id;
      assert.deepEqual(d.service_container_infos[0].volumes, [{ name: 'vol-a', mount_path: '/mnt/' }, { name: 'vol-b', mount_path: '/data' }]);
      const va = await volume(u, v1);
      assert.deepEqual([va.status, va.service_name, va.volume_mappings], ['mount_succ', 'myspace/myservice', [{ mount_path: '/mnt/', service_container_id: cid }]]);
      expectError(await ms.create(u, statefulBody(ns, 'again', { container: { volume_info: { [v1]: '/x' } }, service: { disk_type: undefined } })), 403, 4030258, 'Volume can’t operate in current state.');
      assert.equal((await ms.del(u, id)).status, 200);
      const after = await volume(u, v1);
      assert.deepEqual([after.status, after.service_name, after.volume_mappings], ['create_succ', '', []]);
    });

    it('cloud volume lookups: 4040201 unknown, 4000133 Raw, 4030202 failed', async () => {
      const body = (vid: number | string) => statefulBody(ns, 'vols', { service: { disk_type: 0 }, container: { volume_info: { [vid]: '/data' } } });
      expectError(await ms.create(u, body(987654)), 404, 4040201, 'No such cloud volume.');
      const raw = await newVolume(u, 'raw', 'Raw');
      expectError(await ms.create(u, body(raw)), 400, 4000133, 'Param volue info invalid.');
      const failed = await newVolume(u, 'failed');
      await server.operator('PATCH', `/cloud-volumes/${failed}`, { status: 'create_fail' });
      expectError(await ms.create(u, body(failed)), 403, 4030202, 'Cloud volume status abnormal.');
    });

    it('4000146 when binding volumes fails, 5000302 when releasing the IP fails; nothing changes', async () => {
      const vid = await newVolume(u, 'vol-fail');
      const { volumes, ips } = server.services.resources;
      const attach = volumes.attach;
      volumes.attach = async () => { throw new Error('volume subsystem down'); };
      try {
        expectError(await ms.create(u, statefulBody(ns, 'vf', { container: { volume_info: { [vid]: '/data' } }, service: { disk_type: 0 } })), 400, 4000146, 'Update volume info fail.');
      } finally {
        volumes.attach = attach;
      }
      assert.equal((await volume(u, vid)).status, 'create_succ');
      assert.ok(!(await ms.list(u, ns)).json.microservice_infos.some((s: { service_name: string }) => s.service_name === 'vf'));

      const a = await newIp(u);
      const id = await ms.createOk(u, statefulBody(ns, 'ipf', { service: withNet(a.id) }));
      const unbind = ips.unbind;
      ips.unbind = async () => { throw new Error('ip subsystem down'); };
      try {
        expectError(await ms.del(u, id, '?free_ip=true'), 500, 5000302, 'Delete IP fail');
      } finally {
        ips.unbind = unbind;
      }
      assert.equal((await ms.detail(u, id)).status, 200);
      assert.equal((await ip(u, a.id)).json.status, 'binded');
      assert.equal((await ms.del(u, id, '?free_ip=true')).status, 200);
    });

    it('secret keys by name: injected and echoed; 4040005 unknown', async () => {
      for (const name of ['sshkey1', 'sshkey2']) {
        const r = await server.request('POST', '/api/v1/secret-keys', { token: u.token, body: { key_name: name } });
        assert.equal(r.status, 201, r.text);
      }
      const id = await ms.createOk(u, statefulBody(ns, 'keys', { container: { ssh_keys: ['sshkey1', 'sshkey2'] } }));
      assert.deepEqual((await ms.detail(u, id)).json.service_container_infos[0].ssh_keys, ['sshkey1', 'sshkey2']);
      expectError(await ms.create(u, statefulBody(ns, 'keys2', { container: { ssh_keys: ['sshkey1', 'nope'] } })), 404, 4040005, 'No such secret key.');
      const other = await server.newUser();
      const ons = await ms.defaultNs(other);
      expectError(await ms.create(other, statefulBody(ons, 'keys', { container: { ssh_keys: ['sshkey1'] } })), 404, 4040005, 'No such secret key.');
    });

    it('own images: 4030012 while the build runs, usable and listed once built; update-image across tags of one repository', async () => {
      const repo = await server.request('POST', '/api/v1/repositories', { token: u.token, body: { repo_name: 'app', open_level: 0 } });
      assert.equal(repo.status, 200, repo.text);
      const build = async (tag: string, dockerfile = 'FROM hub.c.163.com/public/ubuntu:14.04\n') => {
        const { raw, headers } = multipart('docker_file', dockerfile);
        const r = await server.request('POST', `/api/v1/repositories/app/tags/${tag}/actions/build`, { token: u.token, raw, headers });
        assert.equal(r.status, 200, r.text);
      };
      await build('v1');
      const own = (tag: string) => `hub.c.163.com/rita/app:${tag}`;
      const body = (tag: string, name: string) => statelessBody(ns, name, { replicas: 1, containers: [{ image_path: own(tag), container_name: 'app' }] });
      expectError(await ms.create(u, body('v1', 'own')), 403, 4030012, 'Image status abnormal.');
      await server.advance(1);
      expectError(await ms.create(u, body('v9', 'own')), 404, 4040129, 'No such image.');
      const id = await ms.createOk(u, body('v1', 'own'));
      const images = (await server.request('GET', '/api/v1/microservices/images', { token: u.token })).json;
      assert.deepEqual(images.custom_images.map((i: any) => [i.tag, i.repo_name, i.image_path]), [['v1', 'app', own('v1')]]);
      assert.equal(images.custom_images[0].repo_id, repo.json.repo_id);
      const cid = (await ms.detail(u, id)).json.service_container_infos[0].container_id;
      await build('v2');
      const upd = () => ms.put(u, `${id}/actions/update-image`, { container_images: [{ container_id: cid, image_path: own('v2') }], min_ready_seconds: 1 });
      expectError(await upd(), 403, 4030012, 'Image status abnormal.');
      await server.advance(1);
      assert.equal((await upd()).status, 200);
      await server.advance(2);
      const c = (await ms.detail(u, id)).json.service_container_infos[0];
      assert.deepEqual([c.image_path, c.repo_name, c.image_tag], [own('v2'), 'app', 'v2']);
      // Another user can't run this private repository's image.
      const other = await server.newUser();
      expectError(await ms.create(other, statelessBody(await ms.defaultNs(other), 'steal', { containers: [{ image_path: own('v1'), container_name: 'x' }] })), 404, 4040129, 'No such image.');
    });
  });
}
