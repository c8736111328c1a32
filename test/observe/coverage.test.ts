import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { entries } from '../../src/catalog/index.ts';
import { MemoryCounts } from '../../src/observe/coverage.ts';
import { startTestServer, STORES, type Res, type TestServer, type TestUser } from '../helpers/server.ts';

/** The report's view of one operation: calls, successes and the codes answered (code → count). */
function answered(report: any, operation: string) {
  const op = report.operations.find((o: any) => o.operation === operation);
  assert.ok(op, `no operation ${operation} in the report`);
  const codes = Object.fromEntries(op.codes.filter((c: any) => c.count > 0).map((c: any) => [c.code, c.count]));
  return { calls: op.calls, successes: op.successes, codes };
}

/** The operations of the public API in /openapi.json (aliases and the operator and server endpoints left out), with their codes. */
async function publicOperations(server: TestServer): Promise<Map<string, number[]>> {
  const doc = (await server.request('GET', '/openapi.json')).json;
  const out = new Map<string, number[]>();
  for (const methods of Object.values<any>(doc.paths)) {
    for (const op of Object.values<any>(methods)) {
      if (op.tags[0] === 'operator' || op.tags[0] === 'server' || /Alias\d+$/.test(op.operationId)) continue;
      out.set(op.operationId, op['x-error-codes']);
    }
  }
  return out;
}

/**
 * A client's test run: a token (and a wrong secret), secret keys created, listed, read, deleted (twice),
 * a call without a token, a path that does not exist. Returns one request per operation called, to replay.
 */
async function clientRun(server: TestServer, user: TestUser): Promise<Map<string, () => Promise<Res>>> {
  const token = () => server.request('POST', '/api/v1/token', { body: { app_key: user.app_key, app_secret: user.app_secret } });
  const t = (await token()).json.token as string;
  assert.equal((await server.request('POST', '/api/v1/token', { body: { app_key: user.app_key, app_secret: 'wrong' } })).status, 401);
  const create = () => server.request('POST', '/api/v1/secret-keys', { token: t, body: { key_name: 'ci' } });
  const key = await create();
  assert.equal(key.status, 201);
  assert.equal((await create()).json.code, 4090004);
  const list = () => server.request('GET', '/api/v1/secret-keys', { token: t });
  assert.equal((await list()).status, 200);
  assert.equal((await server.request('GET', '/api/v1/secret-keys')).status, 401);
  const read = () => server.request('GET', `/api/v1/secret-keys/${key.json.id}`, { token: t });
  assert.equal((await read()).status, 200);
  const remove = () => server.request('DELETE', `/api/v1/secret-keys/${key.json.id}`, { token: t });
  assert.equal((await remove()).status, 200);
  assert.equal((await remove()).json.code, 4040005);
  assert.equal((await server.request('GET', '/api/v1/no-such-thing', { token: t })).json.code, 4040006);
  return new Map([['createToken', token], ['createSecretKey', create], ['listSecretKeys', list], ['getPrivateKey', read], ['deleteSecretKey', remove]]);
}

for (const store of STORES) {
  describe(`error-path coverage (${store})`, () => {
    let server: TestServer;
    let user: TestUser;
    let replay: Map<string, () => Promise<Res>>;
    before(async () => {
      server = await startTestServer(store, { faultInjection: true });
      user = await server.newUser();
      await server.operator('DELETE', '/coverage'); // the user's own token request is not part of the run
      replay = await clientRun(server, user);
    });
    after(() => server.close());

    test('a client run yields the exact report: per operation, calls, successes and each declared code with its count', async () => {
      const r = await server.operator('GET', '/coverage');
      assert.equal(r.status, 200);
      const report = r.json;
      assert.deepEqual(answered(report, 'createToken'), { calls: 2, successes: 1, codes: { 4010001: 1 } });
      assert.deepEqual(answered(report, 'createSecretKey'), { calls: 2, successes: 1, codes: { 4090004: 1 } });
      assert.deepEqual(answered(report, 'listSecretKeys'), { calls: 2, successes: 1, codes: { 4010001: 1 } });
      assert.deepEqual(answered(report, 'getPrivateKey'), { calls: 1, successes: 1, codes: {} });
      assert.deepEqual(answered(report, 'deleteSecretKey'), { calls: 2, successes: 1, codes: { 4040005: 1 } });
      // Every other operation: never called, every declared code at 0, nothing suggested.
      const called = new Set(['createToken', 'createSecretKey', 'listSecretKeys', 'getPrivateKey', 'deleteSecretKey']);
      for (const op of report.operations.filter((o: any) => !called.has(o.operation))) {
        assert.deepEqual([op.calls, op.successes, op.codes.filter((c: any) => c.count > 0), op.suggestions], [0, 0, [], []], op.operation);
      }
      // Each operation lists exactly the codes /openapi.json declares for it, in the same order.
      const declared = await publicOperations(server);
      assert.deepEqual(report.operations.map((o: any) => o.operation).sort(), [...declared.keys()].sort());
      for (const op of report.operations) assert.deepEqual(op.codes.map((c: any) => c.code), declared.get(op.operation), op.operation);
      const messages = new Map(entries.map((e) => [e.code, e.message]));
      for (const op of report.operations) for (const c of op.codes) assert.equal(c.message, messages.get(c.code));
      // No operation answered a code it does not declare.
      assert.deepEqual(report.operations.flatMap((o: any) => o.undeclared), []);
      assert.deepEqual(report.unrouted, { calls: 1, codes: [{ code: 4040006, message: 'No such api.', count: 1, injected: 0 }] });
      const declaredOnCalled = [...called].reduce((sum, id) => sum + declared.get(id)!.length, 0);
      assert.deepEqual(report.totals, {
        operations: { exercised: 5, total: declared.size, percent: Math.floor((5 / declared.size) * 1000) / 10 },
        codes: { answered: 4, declared: declaredOnCalled, percent: Math.floor((4 / declaredOnCalled) * 1000) / 10 },
      });
      assert.equal(report.fault_injection, true);
      assert.equal('met' in report, false);
    });

    test('thresholds add "met" (always 200), ?format=md renders a table, bad thresholds are 4000001', async () => {
      const low = await server.operator('GET', '/coverage?min_operations=1&min_codes=5');
      assert.deepEqual([low.status, low.json.met, low.json.thresholds], [200, true, { min_operations: 1, min_codes: 5 }]);
      const high = await server.operator('GET', '/coverage?min_codes=50');
      assert.deepEqual([high.status, high.json.met], [200, false]);
      const md = await server.operator('GET', '/coverage?format=md&min_codes=50');
      assert.equal(md.status, 200);
      assert.equal(md.headers.get('content-type'), 'text/markdown; charset=utf-8');
      const lines = md.text.split('\n');
      assert.equal(lines[0], '# Error-path coverage');
      assert.match(md.text, /^Thresholds \(codes ≥ 50%\): NOT met$/m);
      assert.ok(lines.includes('| deleteSecretKey | DELETE | `/api/v1/secret-keys/:id` | 2 | 1 | 4040005×1 | '
        + `${low.json.operations.find((o: any) => o.operation === 'deleteSecretKey').codes.filter((c: any) => !c.count).map((c: any) => c.code).join(', ')} |`), md.text);
      assert.match(md.text, /^Requests that reached no operation: 1 \(4040006×1\)$/m);
      for (const bad of ['min_codes=101', 'min_operations=-1', 'min_codes=lots', 'format=html']) {
        const r = await server.operator('GET', `/coverage?${bad}`);
        assert.deepEqual([r.status, r.json], [400, { code: 4000001, message: 'Invalid parameters.' }], bad);
      }
    });

    test('each suggested fault rule is accepted as is by POST /_opencomb/faults and brings its code from 0 to 1', async () => {
      const before = (await server.operator('GET', '/coverage')).json;
      const called = before.operations.filter((o: any) => o.calls > 0);
      let applied = 0;
      for (const op of called) {
        for (const s of op.suggestions) {
          assert.equal(op.codes.find((c: any) => c.code === s.code).count, 0);
          assert.deepEqual(s.fault, { method: op.method, path: op.path.replace(/:[a-z_]+/g, '*'), code: s.code, count: 1 });
          const rule = await server.operator('POST', '/faults', s.fault);
          assert.equal(rule.status, 201, rule.text);
          const answer = await replay.get(op.operation)!();
          assert.deepEqual([answer.status, answer.json?.code], [Math.floor(s.code / 10_000), s.code], `${op.operation} ${s.code}`);
          const now = (await server.operator('GET', '/coverage')).json.operations.find((o: any) => o.operation === op.operation);
          assert.deepEqual(now.codes.find((c: any) => c.code === s.code), { code: s.code, message: s.message, count: 1, injected: 1 });
          applied++;
        }
      }
      assert.equal(applied, before.totals.codes.declared - before.totals.codes.answered);
      const after = (await server.operator('GET', '/coverage?min_codes=100')).json;
      assert.deepEqual([after.totals.codes.answered, after.totals.codes.percent, after.met], [after.totals.codes.declared, 100, true]);
      assert.deepEqual(after.operations.flatMap((o: any) => o.suggestions), []);
      assert.deepEqual((await server.operator('GET', '/faults')).json, []); // every rule was used up
    });

    test('a code the operation does not declare, injected by header, is listed under "undeclared"', async () => {
      const r = await server.request('GET', '/api/v1/secret-keys', { token: user.token, headers: { 'x-opencomb-fault': '4040114' } });
      assert.equal(r.json.code, 4040114);
      const op = (await server.operator('GET', '/coverage')).json.operations.find((o: any) => o.operation === 'listSecretKeys');
      assert.deepEqual(op.undeclared, [{ code: 4040114, message: 'No such namespace.', count: 1, injected: 1 }]);
    });

    test('DELETE /_opencomb/coverage and POST /_opencomb/reset both clear the counts', async () => {
      const empty = async () => {
        const report = (await server.operator('GET', '/coverage')).json;
        assert.deepEqual([report.totals.operations.exercised, report.unrouted.calls, report.operations.reduce((n: number, o: any) => n + o.calls, 0)], [0, 0, 0]);
      };
      assert.equal((await server.operator('DELETE', '/coverage')).status, 200);
      await empty();
      await server.request('GET', '/api/v1/secret-keys');
      await server.request('GET', '/nowhere');
      assert.equal((await server.operator('GET', '/coverage')).json.totals.operations.exercised, 1);
      assert.equal((await server.operator('POST', '/reset')).status, 200);
      await empty();
    });
  });
}

describe('error-path coverage: surfaces and bounds', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer('sqlite', { operatorToken: 'op-secret' });
  });
  after(() => server.close());

  test('the report is guarded by the operator token, and says when fault rules cannot be installed', async () => {
    for (const method of ['GET', 'DELETE']) {
      const r = await server.request(method, '/_opencomb/coverage');
      assert.deepEqual([r.status, r.json], [401, { code: 4010001, message: 'Unauthorized user.' }]);
    }
    const r = await server.operator('GET', '/coverage');
    assert.deepEqual([r.status, r.json.fault_injection], [200, false]);
  });

  test('answers Node gives before routing (a malformed request) count under no operation', async () => {
    await server.operator('DELETE', '/coverage');
    const { hostname, port } = new URL(server.url);
    const reply = await new Promise<string>((resolve, reject) => {
      let text = '';
      const socket = net.connect(Number(port), hostname, () => socket.write('GET /api/v1/secret-keys HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'));
      socket.on('data', (chunk) => { text += chunk; });
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    assert.match(reply, /^HTTP\/1\.1 400 /);
    const report = (await server.operator('GET', '/coverage')).json;
    assert.deepEqual(report.unrouted, { calls: 1, codes: [{ code: 4000001, message: 'Invalid parameters.', count: 1, injected: 0 }] });
  });

  test('memory stays bounded: 100 000 answers of every kind fill at most operations × catalog cells', async () => {
    const { coverage, observe } = server.running.observation;
    await coverage().clear();
    const counts = coverage().counts as MemoryCounts;
    const bound = coverage().maxCells(entries.length);
    // Real requests first: unknown paths and methods, and calls of real operations without a token.
    for (let i = 0; i < 500; i++) {
      await server.request(i % 2 ? 'GET' : 'PATCH', `/api/v1/random-${i}`);
      await server.request('GET', `/api/v1/secret-keys/${i}`);
    }
    const afterRequests = counts.size;
    // Unknown paths (any method) are one cell, unrouted 4040006; the secret key reads one more, getPrivateKey 4010001.
    assert.equal(afterRequests, 2);
    // Then 100 000 answers through the same observer the pipeline calls: every route, every catalog code, plain and injected.
    const routes = server.running.routes.routes;
    for (let i = 0; i < 100_000; i++) {
      const route = i % 7 === 0 ? undefined : routes[i % routes.length];
      const code = i % 5 === 0 ? undefined : entries[i % entries.length]!.code;
      observe({ route, method: `M${i}`, status: 200, code, injected: i % 3 === 0, durationMs: i });
    }
    const size = counts.size;
    assert.ok(size <= bound, `${size} cells, bound ${bound}`);
    for (let i = 0; i < 100_000; i++) observe({ route: routes[i % routes.length], method: 'GET', status: 400, code: entries[i % entries.length]!.code, injected: i % 2 === 0, durationMs: 1 });
    assert.ok(counts.size <= bound, `${counts.size} cells, bound ${bound}`);
    await coverage().clear();
    assert.equal(counts.size, 0);
  });
});
