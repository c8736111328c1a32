import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectError, startTestServer, STORES, type TestServer, type TestUser } from '../helpers/server.ts';

const PATH = '/api/v1/cm/metricdata';
const IMAGE = 'hub.c.163.com/public/ubuntu:14.04';

/** The 13 metrics with their display names and units as the reference's JSON-escape column spells them. */
const TABLE: Record<string, [string, string]> = {
  cpuUsage: ['CPU\u4f7f\u7528\u7387', '%'],
  memUsageRate: ['\u5185\u5b58\u4f7f\u7528\u7387', '%'],
  systemDiskUsageRate: ['\u7cfb\u7edf\u76d8\u4f7f\u7528\u7387', '%'],
  diskReadRequest: ['\u78c1\u76d8\u8bfbIOPS', '\u6b21/s'],
  diskWriteRequest: ['\u78c1\u76d8\u5199IOPS', '\u6b21/s'],
  diskReadRate: ['\u78c1\u76d8\u8bfb\u541e\u5410\u91cf', 'KB/s'],
  diskWriteRate: ['\u78c1\u76d8\u5199\u541e\u5410\u91cf', 'KB/s'],
  diskUsage: ['\u78c1\u76d8\u7a7a\u95f4\u5360\u7528\u91cf', 'Byte'],
  diskUsageRate: ['\u78c1\u76d8\u7a7a\u95f4\u5229\u7528\u7387', '%'],
  network1Transfer: ['\u5185\u7f51\u7f51\u7edc\u6d41\u51fa\u91cf', 'Kbps'],
  network1Receive: ['\u5185\u7f51\u7f51\u7edc\u6d41\u5165\u91cf', 'Kbps'],
  network2Transfer: ['\u516c\u7f51\u7f51\u7edc\u6d41\u51fa\u91cf', 'Kbps'],
  network2Receive: ['\u516c\u7f51\u7f51\u7edc\u6d41\u5165\u91cf', 'Kbps'],
};
const PERCENT = Object.keys(TABLE).filter((m) => TABLE[m]![1] === '%');

interface Point { createTime: number; average?: number; minimum?: number; maximum?: number }

for (const store of STORES) {
  describe(`monitoring metricdata (${store})`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    let ns: string;
    let pods: string[];

    const q = (user: TestUser, params: Record<string, string>) => server.request('GET', `${PATH}?${new URLSearchParams(params)}`, { token: user.token });
    const metrics = (user: TestUser, list: unknown, extra: Record<string, string> = {}) => q(user, { service: 'NMS', metrics: JSON.stringify(list), ...extra });
    const dim = (pod: string, container = 'nginx', namespace = ns, service = 'web-app') => `microservice=${namespace}$${service}$${pod}$${container}`;

    async function createService(user: TestUser, name: string, replicas: number): Promise<number> {
      const nsList = await server.request('GET', '/api/v1/namespaces', { token: user.token });
      const nsId = nsList.json.namespaces.find((n: { display_name: string }) => n.display_name === 'default').id;
      const r = await server.request('POST', '/api/v1/microservices', { token: user.token, body: {
        bill_info: 'default',
        service_info: { namespace_id: String(nsId), stateful: 0, replicas, service_name: name, port_maps: [{ target_port: '80', port: '8080', protocol: 'TCP' }], spec_alias: 'C1M2S20', disk_type: 2 },
        service_container_infos: [
          { image_path: IMAGE, container_name: 'nginx', command: '', envs: [], log_dirs: [], cpu_weight: 50, memory_weight: 50 },
          { image_path: IMAGE, container_name: 'sidecar', command: '', envs: [], log_dirs: [], cpu_weight: 50, memory_weight: 50 },
        ],
      } });
      assert.equal(r.status, 200, r.text);
      return Number(r.json.service_id);
    }

    async function podNames(user: TestUser, id: number): Promise<string[]> {
      const d = await server.request('GET', `/api/v1/microservices/${id}/detail`, { token: user.token });
      assert.equal(d.status, 200, d.text);
      return d.json.service_container_infos[0].replicas;
    }

    before(async () => {
      server = await startTestServer(store);
      alice = await server.newUser('alice');
      bob = await server.newUser('bob');
      const nsList = await server.request('GET', '/api/v1/namespaces', { token: alice.token });
      ns = nsList.json.namespaces.find((n: { display_name: string }) => n.display_name === 'default').namespace;
      const id = await createService(alice, 'web-app', 2);
      await server.advance(2);
      pods = await podNames(alice, id);
      assert.equal(pods.length, 2);
      // A full 30-minute window of history behind the pods.
      await server.advance(1900);
    });
    after(() => server.close());

    it('answers the documented request: one element, documented member order, 30 minute-aligned points', async () => {
      const r = await metrics(alice, [{ dimension: dim(pods[0]!), metricName: 'cpuUsage', statistics: 'minimum' }], { period: '60' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.length, 1);
      const [e] = r.json;
      assert.deepEqual(Object.keys(e), ['data', 'dimension', 'metricName', 'metricNameDesc', 'unit']);
      assert.equal(e.dimension, dim(pods[0]!));
      assert.equal(e.metricName, 'cpuUsage');
      assert.equal(e.metricNameDesc, 'CPU\u4f7f\u7528\u7387');
      assert.equal(e.unit, '%');
      assert.equal(e.data.length, 30);
      const now = Date.parse(await server.advance(0));
      for (const [i, p] of (e.data as Point[]).entries()) {
        assert.deepEqual(Object.keys(p), ['createTime', 'minimum']);
        assert.equal(p.createTime % 60_000, 0);
        if (i > 0) assert.equal(p.createTime - e.data[i - 1].createTime, 60_000);
        assert.ok(p.minimum! >= 0 && p.minimum! <= 100, String(p.minimum));
      }
      // The last point is the last complete minute; the first is 30 minutes before the current one.
      assert.ok(e.data[29].createTime < now && now - e.data[29].createTime < 180_000);
    });

    it('the same query at the same clock time answers the same numbers; containers differ', async () => {
      const list = [{ dimension: dim(pods[0]!), metricName: 'memUsageRate', statistics: 'average,minimum,maximum' }, { dimension: dim(pods[1]!), metricName: 'memUsageRate', statistics: 'average' }];
      const a = await metrics(alice, list);
      const b = await metrics(alice, list);
      assert.equal(a.status, 200, a.text);
      // Real time moves the clock a little between two requests: compare the buckets both answers hold.
      const second = new Map((b.json[0].data as Point[]).map((p) => [p.createTime, p]));
      let compared = 0;
      for (const p of a.json[0].data as Point[]) {
        const same = second.get(p.createTime);
        if (!same) continue;
        assert.deepEqual(same, p);
        compared++;
      }
      assert.ok(compared >= 28, `only ${compared} buckets in common`);
      const other = new Map((a.json[1].data as Point[]).map((p) => [p.createTime, p.average]));
      assert.ok((a.json[0].data as Point[]).some((p) => other.has(p.createTime) && other.get(p.createTime) !== p.average), 'two containers report the same series');
      for (const p of a.json[0].data as Point[]) assert.ok(p.minimum! <= p.average! && p.average! <= p.maximum!);
    });

    it('every metric carries its exact display name and unit; percentages stay in 0–100, nothing is negative', async () => {
      const names = Object.keys(TABLE);
      const r = await metrics(alice, names.map((metricName) => ({ dimension: dim(pods[1]!, 'sidecar'), metricName, statistics: ['minimum', 'maximum'] })));
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.map((e: { metricName: string }) => e.metricName), names);
      for (const e of r.json) {
        assert.deepEqual([e.metricNameDesc, e.unit], TABLE[e.metricName]);
        assert.ok(e.data.length >= 29);
        for (const p of e.data as Point[]) {
          assert.deepEqual(Object.keys(p), ['createTime', 'minimum', 'maximum']);
          assert.ok(p.minimum! >= 0);
          if (PERCENT.includes(e.metricName)) assert.ok(p.maximum! <= 100, `${e.metricName} ${p.maximum}`);
        }
      }
      // Bytes are whole numbers.
      const usage = r.json.find((e: { metricName: string }) => e.metricName === 'diskUsage');
      assert.ok((usage.data as Point[]).every((p) => Number.isInteger(p.minimum)));
    });

    it('statistics: default average, minmum alias, duplicates collapsed, fixed key order; period 300 gives 6 points', async () => {
      const d = dim(pods[0]!);
      const def = await metrics(alice, [{ dimension: d, metricName: 'cpuUsage' }, { dimension: d, metricName: 'cpuUsage', statistics: null }, { dimension: d, metricName: 'cpuUsage', statistics: '' }]);
      assert.equal(def.status, 200, def.text);
      for (const e of def.json) assert.deepEqual(Object.keys(e.data[0]), ['createTime', 'average']);
      const alias = await metrics(alice, [{ dimension: d, metricName: 'cpuUsage', statistics: ' maximum , minmum,average,maximum ' }]);
      assert.equal(alias.status, 200, alias.text);
      assert.deepEqual(Object.keys(alias.json[0].data[0]), ['createTime', 'average', 'minimum', 'maximum']);
      const five = await metrics(alice, [{ dimension: d, metricName: 'diskReadRate', statistics: 'average' }], { period: '300' });
      assert.equal(five.status, 200, five.text);
      assert.equal(five.json[0].data.length, 6);
      for (const p of five.json[0].data as Point[]) assert.equal(p.createTime % 300_000, 0);
      const empty = await metrics(alice, [{ dimension: d, metricName: 'cpuUsage' }], { period: '' });
      assert.equal(empty.json[0].data.length, 30);
    });

    it('unknown service, pod or container in an own namespace: 200 with data []; a pod series starts when the pod started', async () => {
      const r = await metrics(alice, [
        { dimension: dim(pods[0]!, 'nginx', ns, 'no-such-service'), metricName: 'cpuUsage' },
        { dimension: dim('web-app-1-2-zzzzz'), metricName: 'cpuUsage' },
        { dimension: dim(pods[0]!, 'no-such-container'), metricName: 'cpuUsage' },
      ]);
      assert.equal(r.status, 200, r.text);
      for (const e of r.json) assert.deepEqual(e.data, []);

      // Not created yet: no pods, no points. Then ten minutes of life give about ten points, not thirty.
      const id = await createService(alice, 'young', 1);
      const before = await metrics(alice, [{ dimension: `microservice=${ns}$young$young-pod$nginx`, metricName: 'cpuUsage' }]);
      assert.deepEqual(before.json[0].data, []);
      await server.advance(2);
      const [pod] = await podNames(alice, id);
      await server.advance(600);
      const young = await metrics(alice, [{ dimension: `microservice=${ns}$young$${pod}$nginx`, metricName: 'cpuUsage' }]);
      assert.ok(young.json[0].data.length >= 9 && young.json[0].data.length <= 11, String(young.json[0].data.length));
    });

    it('echoes the dimension as received, also when the JSON arrives unencoded as in the documented example', async () => {
      const raw = `[{"dimension":"${dim(pods[0]!)}","metricName":"cpuUsage", "statistics":"minimum"}]`;
      const r = await server.request('GET', `${PATH}?service=NMS&period=60&metrics=${raw}`, { token: alice.token, headers: { 'content-type': 'application/json' } });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json[0].dimension, dim(pods[0]!));
      assert.equal(r.json[0].data.length, 30);
    });

    it('isolation: another user’s or an unknown namespace is 4000601, also for a caller without namespaces', async () => {
      const foreign = [{ dimension: dim(pods[0]!), metricName: 'cpuUsage' }];
      expectError(await metrics(bob, foreign), 400, 4000601, 'Invalid projectId');
      await server.request('GET', '/api/v1/namespaces', { token: bob.token });
      expectError(await metrics(bob, foreign), 400, 4000601, 'Invalid projectId');
      expectError(await metrics(alice, [{ dimension: dim(pods[0]!, 'nginx', 'default-nobody'), metricName: 'cpuUsage' }]), 400, 4000601, 'Invalid projectId');
      // Checks 5–9 run for every element before any namespace is looked up.
      expectError(await metrics(bob, [...foreign, { dimension: 'microservice=a$b', metricName: 'cpuUsage' }]), 400, 4000609, 'Invalid dimension');
    });

    it('a stopped service (arrears) reports no points', async () => {
      const carol = await server.newUser('carol');
      const nsList = await server.request('GET', '/api/v1/namespaces', { token: carol.token });
      const carolNs = nsList.json.namespaces[0].namespace;
      const id = await createService(carol, 'web-app', 1);
      await server.advance(2);
      const [pod] = await podNames(carol, id);
      await server.advance(120);
      const list = [{ dimension: dim(pod!, 'nginx', carolNs), metricName: 'cpuUsage' }];
      assert.ok((await metrics(carol, list)).json[0].data.length > 0);
      assert.equal((await server.operator('PATCH', '/users/carol', { balance: -10 })).status, 200);
      await server.advance(1);
      const stopped = await metrics(carol, list);
      assert.equal(stopped.status, 200, stopped.text);
      assert.deepEqual(stopped.json[0].data, []);
    });

    describe('errors, in the reference’s order', () => {
      const ok = () => [{ dimension: dim(pods[0]!), metricName: 'cpuUsage' }];

      it('4000602 service missing, empty or not NMS (checked first)', async () => {
        expectError(await q(alice, { metrics: 'x', period: '1' }), 400, 4000602, 'Invalid service name');
        expectError(await q(alice, { service: '', metrics: JSON.stringify(ok()) }), 400, 4000602, 'Invalid service name');
        expectError(await q(alice, { service: 'nms', metrics: JSON.stringify(ok()) }), 400, 4000602, 'Invalid service name');
      });

      it('4000608 period not 60 or 300 (before metrics)', async () => {
        for (const period of ['30', '60.0', 'abc', '120', ' 60']) expectError(await q(alice, { service: 'NMS', period }), 400, 4000608, 'Unsupported period');
      });

      it('4000603 metrics missing, empty, not an array, [], an element not an object, metricName missing', async () => {
        expectError(await q(alice, { service: 'NMS' }), 400, 4000603, 'Invalid metric');
        expectError(await q(alice, { service: 'NMS', metrics: '' }), 400, 4000603, 'Invalid metric');
        for (const list of [{}, [], [1], [null], [{ dimension: dim(pods[0]!) }], [{ dimension: dim(pods[0]!), metricName: null }], [{ dimension: dim(pods[0]!), metricName: '' }], [{ dimension: 'bad', metricName: 7 }]]) {
          expectError(await metrics(alice, list), 400, 4000603, 'Invalid metric');
        }
      });

      it('4000604 metrics is not JSON', async () => {
        for (const text of ['[{', 'cpuUsage', "[{'dimension':1}]"]) expectError(await q(alice, { service: 'NMS', metrics: text }), 400, 4000604, 'Malformatted JSON string');
      });

      it('4000605 more than 20 elements (20 are fine)', async () => {
        const twenty = Array.from({ length: 20 }, () => ok()[0]);
        assert.equal((await metrics(alice, twenty)).status, 200);
        expectError(await metrics(alice, [...twenty, ok()[0]]), 400, 4000605, 'Metric list too long');
      });

      it('4000609 dimension missing or malformed', async () => {
        const p = pods[0]!;
        const bad = [undefined, null, '', 7, 'microservice', 'microservice=', `microservice=${ns}$web-app$${p}`, `microservice=${ns}$web-app$${p}$nginx$x`,
          `microservice=${ns}$$${p}$nginx`, `microservice=${ns}$web-app$${p}$ngi=nx`, `microservice=${ns}$web-app$${p}$ngi nx`, `microservice=${ns}$web-app$${p}$容器`,
          `microservice=${ns}$${'s'.repeat(129)}$${p}$nginx`, `microservice=${ns}$web-app$${p}$${'c'.repeat(128)}${'x'.repeat(400)}`];
        for (const dimension of bad) expectError(await metrics(alice, [{ dimension, metricName: 'cpuUsage' }]), 400, 4000609, 'Invalid dimension');
        // 128 characters per segment are allowed.
        assert.equal((await metrics(alice, [{ dimension: `microservice=${ns}$web-app$${p}$${'c'.repeat(128)}`, metricName: 'cpuUsage' }])).status, 200);
      });

      it('4000610 dimension name other than microservice', async () => {
        for (const name of ['instance', 'Microservice', 'microservice ']) {
          expectError(await metrics(alice, [{ dimension: `${name}=${ns}$web-app$${pods[0]}$nginx`, metricName: 'cpuUsage' }]), 400, 4000610, 'Unsupported dimensionName');
        }
      });

      it('4000607 unsupported metricName (case-sensitive)', async () => {
        for (const metricName of ['cpuusage', 'CPUUsage', 'network3Receive']) expectError(await metrics(alice, [{ dimension: dim(pods[0]!), metricName }]), 400, 4000607, 'Unsupported metricName');
      });

      it('4000606 unsupported statistics', async () => {
        for (const statistics of ['median', ',', 'Average', 5, { a: 1 }, ['average', 1], [], ['sum']]) {
          expectError(await metrics(alice, [{ dimension: dim(pods[0]!), metricName: 'cpuUsage', statistics }]), 400, 4000606, 'Unsupported statistics');
        }
      });

      it('elements are judged in array order, each through checks 5–9', async () => {
        const d = dim(pods[0]!);
        expectError(await metrics(alice, [{ dimension: d, metricName: 'cpuUsage', statistics: 'x' }, { dimension: d, metricName: 'nope' }]), 400, 4000606, 'Unsupported statistics');
        expectError(await metrics(alice, [{ dimension: 'instance=a$b$c$d', metricName: 'nope' }]), 400, 4000610, 'Unsupported dimensionName');
        expectError(await metrics(alice, [{ dimension: d, metricName: 'nope', statistics: 'x' }]), 400, 4000607, 'Unsupported metricName');
      });

      it('the OpenAPI document declares every family-06 code on the endpoint', async () => {
        const op = (await server.request('GET', '/openapi.json')).json.paths[PATH].get;
        for (let code = 4000601; code <= 4000610; code++) assert.ok(op['x-error-codes'].includes(code), String(code));
      });

      it('4010001 without a token; 4050001 for another method', async () => {
        expectError(await server.request('GET', `${PATH}?service=NMS`), 401, 4010001, 'Unauthorized user.');
        expectError(await server.request('POST', PATH, { token: alice.token }), 405, 4050001, 'Http method not allowed.');
      });
    });
  });
}
