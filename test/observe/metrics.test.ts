import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, STORES, type TestServer } from '../helpers/server.ts';

/** Prometheus text format: `name{label="v",…} value` lines → a lookup by name and labels. */
function parse(text: string): { value(name: string, labels?: Record<string, string>): number; names: Set<string> } {
  const samples: Array<{ name: string; labels: Record<string, string>; value: number }> = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `not a sample line: ${line}`);
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]));
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return {
    names: new Set(samples.map((s) => s.name)),
    value(name, labels = {}) {
      return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);
    },
  };
}

for (const store of STORES) {
  describe(`GET /metrics (${store})`, () => {
    let server: TestServer;
    const scrape = async () => {
      const r = await server.request('GET', '/metrics', { headers: { authorization: 'Bearer op-secret' } });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
      return parse(r.text);
    };
    before(async () => {
      server = await startTestServer(store, { operatorToken: 'op-secret', faultInjection: true, limits: { perUser: 5, privateKey: 0, perIp: 0 } });
    });
    after(() => server.close());

    test('is guarded by the operator token', async () => {
      for (const authorization of [undefined, 'Bearer wrong', 'Token op-secret']) {
        const r = await server.request('GET', '/metrics', { headers: authorization ? { authorization } : {} });
        assert.deepEqual([r.status, r.json], [401, { code: 4010001, message: 'Unauthorized user.' }], authorization);
      }
    });

    test('counts answers by route template, method, status and code, with their latencies and store queries', async () => {
      const user = await server.newUser();
      const before = await scrape();
      const requests = { route: '/api/v1/secret-keys/:id', method: 'GET' };
      await server.request('GET', '/api/v1/secret-keys/7', { token: user.token });
      await server.request('GET', '/api/v1/secret-keys/8', { token: user.token });
      await server.request('GET', '/api/v1/secret-keys/9', { token: user.token, headers: { 'x-opencomb-fault': '5000007' } });
      await server.request('GET', '/api/v1/where');
      await server.request('FOO', '/api/v1/secret-keys').catch(() => undefined); // fetch refuses some methods; Node answers the rest
      const now = await scrape();
      const delta = (name: string, labels?: Record<string, string>) => now.value(name, labels) - before.value(name, labels);
      assert.equal(delta('opencomb_http_requests_total', { ...requests, status: '404', code: '4040005', injected: 'false' }), 2);
      assert.equal(delta('opencomb_http_requests_total', { ...requests, status: '500', code: '5000007', injected: 'true' }), 1);
      assert.equal(delta('opencomb_http_requests_total', { route: '', method: 'GET', status: '404', code: '4040006' }), 1);
      assert.equal(delta('opencomb_http_requests_total', { route: '', method: 'other', status: '405', code: '4050001' }), 1);
      assert.equal(delta('opencomb_http_request_duration_seconds_count', requests), 3);
      assert.equal(delta('opencomb_http_request_duration_seconds_bucket', { ...requests, le: '+Inf' }), 3);
      assert.ok(delta('opencomb_http_request_duration_seconds_bucket', { ...requests, le: '0.001' }) <= 3);
      assert.ok(delta('opencomb_http_request_duration_seconds_sum', requests) > 0);
      // The two real reads queried the store (the injected one did not get that far).
      assert.ok(delta('opencomb_store_query_duration_seconds_count', { kind: 'select' }) >= 2);
      // A method outside the known set is one label value, whatever was sent.
      for (const line of (await server.request('GET', '/metrics', { headers: { authorization: 'Bearer op-secret' } })).text.split('\n')) {
        const method = /method="([^"]*)"/.exec(line)?.[1];
        if (method !== undefined) assert.ok(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'other'].includes(method), line);
      }
    });

    test('counts rate-limit refusals, not injected 4030001s', async () => {
      const user = await server.newUser();
      const before = await scrape();
      await server.request('GET', '/api/v1/secret-keys', { token: user.token, headers: { 'x-opencomb-fault': '4030001' } });
      // Requests until the 5/s budget refuses some (however slowly they go, a second holds at most 5).
      const answers: number[] = [];
      while (!answers.includes(403) && answers.length < 1000) answers.push((await server.request('GET', '/api/v1/secret-keys', { token: user.token })).status);
      const refused = answers.filter((s) => s === 403).length;
      assert.equal(refused, 1, `${answers}`);
      const now = await scrape();
      assert.equal(now.value('opencomb_rate_limit_refusals_total', { route: '/api/v1/secret-keys' }) - before.value('opencomb_rate_limit_refusals_total', { route: '/api/v1/secret-keys' }), refused);
    });

    test('times the due tasks when the clock moves, and carries the process metrics', async () => {
      const before = await scrape();
      const r = await server.request('POST', '/_opencomb/clock', { body: { advance_seconds: 60 }, headers: { authorization: 'Bearer op-secret' } });
      assert.equal(r.status, 200);
      const now = await scrape();
      assert.ok(now.value('opencomb_due_task_duration_seconds_count') > before.value('opencomb_due_task_duration_seconds_count'));
      for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'opencomb_due_passes_waiting']) {
        assert.ok(now.names.has(name), name);
      }
    });
  });
}
