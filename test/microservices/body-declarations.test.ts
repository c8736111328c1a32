/**
 * The microservice bodies are declarations (microservices/schemas.ts): a refused field is named in the
 * problem document's `param` down to the element (`service_container_infos[0].envs[1].key`), a refused
 * body changes nothing, and the normalised values (canonical case, defaults that depend on other fields)
 * are what is stored.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectError, startTestServer, STORES, type TestServer, type TestUser } from '../helpers/server.ts';

const IMAGE = 'hub.c.163.com/public/ubuntu:14.04';
const PROBLEM = { accept: 'application/problem+json' };

function body(namespaceId: number, container: Record<string, unknown> = {}, service: Record<string, unknown> = {}) {
  return {
    service_info: { namespace_id: String(namespaceId), stateful: 'TRUE', service_name: 'db', port_maps: [{ dst_port: '80', src_port: 8080, protocol: 'udp' }], spec_alias: 'c2m2s20', ...service },
    service_container_infos: [{ image_path: IMAGE, container_name: 'db', log_dirs: ['/var/log'], envs: { B: 2, A: true }, volume_info: {}, ...container }],
  };
}

for (const store of STORES) {
  describe(`microservice bodies as declarations (${store})`, () => {
    let server: TestServer;
    let user: TestUser;
    let ns: number;
    before(async () => {
      server = await startTestServer(store);
      user = await server.newUser();
      const r = await server.request('GET', '/api/v1/namespaces', { token: user.token });
      ns = r.json.namespaces[0].id;
    });
    after(() => server.close());

    const create = (b: unknown, headers: Record<string, string> = {}) => server.request('POST', '/api/v1/microservices', { token: user.token, body: b, headers });

    test('problem+json names the failing member down to the element', async () => {
      const cases: Array<[Record<string, unknown>, Record<string, unknown>, number, string]> = [
        [{ envs: [{ key: 'A' }, { key: 'A', value: {} }] }, {}, 4000124, 'service_container_infos[0].envs[1].key'],
        [{ envs: [{ key: 'A', value: null }] }, {}, 4000125, 'service_container_infos[0].envs[0].value'],
        [{ log_dirs: ['/a/', '/a'] }, {}, 4090138, 'service_container_infos[0].log_dirs[1]'],
        [{}, { port_maps: [{ target_port: 80, port: 0 }] }, 4000134, 'service_info.port_maps[0].port'],
        [{}, { state_public_net: { used: true, type: 'flow', bandwidth: 5 } }, 4000135, 'service_info.ip_id'],
        [{ volume_info: { 0: '/mnt' } }, {}, 4000133, 'service_container_infos[0].volume_info.0'],
      ];
      for (const [container, service, code, param] of cases) {
        const r = await create(body(ns, container, service), PROBLEM);
        assert.equal(r.status, Math.floor(code / 10000), r.text);
        assert.deepEqual({ code: r.json.code, param: r.json.param }, { code, param });
      }
      const list = await server.request('GET', `/api/v1/namespaces/${ns}/microservices`, { token: user.token });
      assert.equal(list.json.total, 0, 'refused bodies store nothing');
    });

    test('what is stored is the normal form: canonical case, legacy names, env maps, defaults from other fields', async () => {
      const r = await create(body(ns));
      assert.equal(r.status, 200, r.text);
      const d = await server.request('GET', `/api/v1/microservices/${r.json.service_id}`, { token: user.token });
      assert.equal(d.json.service_info.stateful, 1);
      assert.equal(d.json.service_info.port_maps, '[{"destPort":80,"protocol":"UDP","sourcePort":8080}]');
      assert.equal(d.json.service_info.state_public_net, '{"bandwidth":0,"type":"flow","used":false}');
      assert.match(d.json.service_info.spec_info, /"spec_alias":"C2M2S20"/);
      const c = d.json.service_container_infos[0];
      assert.deepEqual([c.envs, c.log_dirs, c.cpu_weight, c.memory_weight, c.command], [[{ key: 'B', value: '2' }, { key: 'A', value: 'true' }], ['/var/log/'], 100, 100, null]);
    });

    test('the spec query of microservices.md §3.15 and the free_ip flag of microservices.md §3.9 are declared too', async () => {
      expectError(await server.request('PUT', '/api/v1/microservices/1/specification?spec_alias=big', { token: user.token }), 400, 4000119, 'Param spec info invalid.');
      expectError(await server.request('PUT', '/api/v1/microservices/1/specification', { token: user.token }), 400, 4000112, 'Missing param.');
      expectError(await server.request('DELETE', '/api/v1/microservices/1?free_ip=maybe', { token: user.token }), 400, 4000113, 'Param invalid.');
      expectError(await server.request('DELETE', '/api/v1/microservices/1?free_ip=TRUE', { token: user.token }), 404, 4040141, 'No such microservice.');
    });
  });
}
