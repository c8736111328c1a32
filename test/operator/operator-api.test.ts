import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { entries } from '../../src/catalog/index.ts';
import { SNAPSHOT_LIMITS } from '../../src/operator/state.ts';
import { expectError, startTestServer, STORES, type TestServer } from '../helpers/server.ts';

for (const store of STORES) {
  describe(`operator API (${store})`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(store, { operatorToken: 'op-secret' });
    });
    after(() => server.close());

    test('is guarded by the operator bearer token when one is configured', async () => {
      expectError(await server.request('POST', '/_opencomb/users', { body: { user_name: 'x' } }), 401, 4010001, 'Unauthorized user.');
      expectError(await server.request('POST', '/_opencomb/users', { body: { user_name: 'x' }, headers: { authorization: 'Bearer wrong' } }), 401, 4010001, 'Unauthorized user.');
      const ok = await server.operator('POST', '/users', { user_name: 'x' });
      assert.equal(ok.status, 201);
      assert.deepEqual(Object.keys(ok.json), ['user_name', 'app_key', 'app_secret']);
      assert.match(ok.json.app_key, /^[0-9a-f]{32}$/);
      assert.match(ok.json.app_secret, /^[0-9a-f]{32}$/);
    });

    test('user creation validates the name and refuses a taken one', async () => {
      expectError(await server.operator('POST', '/users', {}), 400, 4000002, 'Missing parameters.');
      expectError(await server.operator('POST', '/users', { user_name: 'Upper' }), 400, 4000001, 'Invalid parameters.');
      assert.equal((await server.operator('POST', '/users', { user_name: 'taken' })).status, 201);
      expectError(await server.operator('POST', '/users', { user_name: 'taken' }), 400, 4000001, 'Invalid parameters.');
    });

    test('PATCH /users/{name} sets status, balance, certified and quotas', async () => {
      await server.operator('POST', '/users', { user_name: 'pat' });
      const r = await server.operator('PATCH', '/users/pat', { status: 'abnormal', balance: 12.5, certified: false, quotas: { secret_keys: 3 } });
      assert.equal(r.status, 200);
      assert.deepEqual(r.json, { user_name: 'pat', status: 'abnormal', balance: 12.5, certified: false, quotas: { secret_keys: 3 } });
      const merged = await server.operator('PATCH', '/users/pat', { quotas: { repositories: 2 } });
      assert.deepEqual(merged.json.quotas, { secret_keys: 3, repositories: 2 });
      expectError(await server.operator('PATCH', '/users/pat', { status: 'frozen' }), 400, 4000001, 'Invalid parameters.');
      expectError(await server.operator('PATCH', '/users/pat', { quotas: { secret_keys: -1 } }), 400, 4000001, 'Invalid parameters.');
      expectError(await server.operator('PATCH', '/users/pat', { balance: 'lots' }), 400, 4000001, 'Invalid parameters.');
      expectError(await server.operator('PATCH', '/users/nobody', { status: 'normal' }), 404, 4040001, 'No such user.');
    });

    test('GET /users lists every user with the Access Keys of their pairs, never a secret', async () => {
      const lister = await server.operator('POST', '/users', { user_name: 'lister' });
      await server.advance(1); // pairs are listed oldest first
      const second = await server.operator('POST', '/users/lister/keys');
      await server.operator('PATCH', `/keys/${second.json.app_key}`, { enabled: false });
      await server.operator('PATCH', '/users/lister', { balance: 7, quotas: { services: 3 } });
      const r = await server.operator('GET', '/users');
      assert.equal(r.status, 200);
      const listed = (r.json as Array<{ user_name: string }>).find((u) => u.user_name === 'lister');
      assert.deepEqual(listed, {
        user_name: 'lister', status: 'normal', balance: 7, certified: true, quotas: { services: 3 },
        key_pairs: [{ app_key: lister.json.app_key, enabled: true }, { app_key: second.json.app_key, enabled: false }],
      });
      assert.equal(r.text.includes(lister.json.app_secret), false);
      assert.equal(r.text.includes(second.json.app_secret), false);
      expectError(await server.request('GET', '/_opencomb/users'), 401, 4010001, 'Unauthorized user.');
    });

    test('key pairs: add, disable, delete; unknown keys answer 4040001', async () => {
      const u = await server.operator('POST', '/users', { user_name: 'keys' });
      const second = await server.operator('POST', '/users/keys/keys');
      assert.equal(second.status, 201);
      assert.deepEqual(Object.keys(second.json), ['app_key', 'app_secret']);
      expectError(await server.operator('POST', '/users/nobody/keys'), 404, 4040001, 'No such user.');
      assert.deepEqual((await server.operator('PATCH', `/keys/${u.json.app_key}`, { enabled: false })).json, { app_key: u.json.app_key, enabled: false });
      expectError(await server.operator('PATCH', `/keys/${u.json.app_key}`, {}), 400, 4000002, 'Missing parameters.');
      expectError(await server.operator('PATCH', '/keys/nope', { enabled: true }), 404, 4040001, 'No such user.');
      assert.equal((await server.operator('DELETE', `/keys/${u.json.app_key}`)).status, 200);
      expectError(await server.operator('DELETE', `/keys/${u.json.app_key}`), 404, 4040001, 'No such user.');
    });

    test('POST /clock moves the one clock and answers the new time', async () => {
      const before = Date.now();
      const r = await server.operator('POST', '/clock', { advance_seconds: 3600 });
      assert.equal(r.status, 200);
      assert.match(r.json.now, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const skew = Date.parse(r.json.now) - before;
      assert.ok(skew >= 3599_000 && skew < 3700_000, `skew ${skew}`);
      expectError(await server.operator('POST', '/clock', { advance_seconds: -5 }), 400, 4000001, 'Invalid parameters.');
      expectError(await server.operator('POST', '/clock', {}), 400, 4000002, 'Missing parameters.');
    });

    test('snapshots: restore puts back every table, the id sequences and the clock', async () => {
      const u = await server.newUser('snap');
      const key = (name: string) => server.request('POST', '/api/v1/secret-keys', { token: u.token, body: { key_name: name } });
      const names = async (token = u.token) => ((await server.request('GET', '/api/v1/secret-keys', { token })).json as Array<{ name: string }>).map((k) => k.name);
      const kept = await key('kept');
      const taken = await server.operator('POST', '/snapshots');
      assert.equal(taken.status, 201);
      assert.deepEqual(Object.keys(taken.json), ['id', 'now']);
      const after = await key('after');
      assert.equal((await server.request('DELETE', `/api/v1/secret-keys/${kept.json.id}`, { token: u.token })).status, 200);
      const later = await server.newUser('later');
      await server.advance(7200);

      const restored = await server.operator('POST', `/snapshots/${taken.json.id}/restore`);
      assert.equal(restored.status, 200);
      assert.ok(Date.parse(restored.json.now) < Date.parse(taken.json.now) + 3_600_000, 'the clock is back');
      assert.deepEqual(await names(), ['kept']);
      assert.equal((await server.request('GET', `/api/v1/secret-keys/${kept.json.id}`, { token: u.token })).status, 200, 'the private key is back');
      expectError(await server.request('GET', '/api/v1/secret-keys', { token: later.token }), 401, 4010001, 'Unauthorized user.');
      expectError(await server.request('POST', '/api/v1/token', { body: { app_key: later.app_key, app_secret: later.app_secret } }), 404, 4040001, 'No such user.');
      const again = await key('again');
      assert.equal(again.json.id, after.json.id, 'the id sequence is back where it was');

      // A snapshot can be restored more than once, and forgotten.
      assert.equal((await server.operator('POST', `/snapshots/${taken.json.id}/restore`)).status, 200);
      assert.deepEqual(await names(), ['kept']);
      assert.equal((await server.operator('DELETE', `/snapshots/${taken.json.id}`)).status, 200);
      expectError(await server.operator('POST', `/snapshots/${taken.json.id}/restore`), 400, 4000001, 'Invalid parameters.');
      expectError(await server.operator('DELETE', '/snapshots/abc'), 400, 4000001, 'Invalid parameters.');
    });

    test('snapshots are bounded: one beyond the limit is 4000001 until one is deleted', async () => {
      const taken: number[] = [];
      for (let i = 0; i < SNAPSHOT_LIMITS.count + 1; i++) {
        const r = await server.operator('POST', '/snapshots');
        if (r.status !== 201) {
          expectError(r, 400, 4000001, 'Invalid parameters.');
          break;
        }
        taken.push(r.json.id);
      }
      // Earlier tests may hold some; the server never holds more than the limit, and nothing was evicted.
      assert.ok(taken.length < SNAPSHOT_LIMITS.count + 1, `${taken.length} snapshots taken`);
      assert.equal((await server.operator('POST', `/snapshots/${taken[0]}/restore`)).status, 200, 'the oldest is still there');
      assert.equal((await server.operator('DELETE', `/snapshots/${taken[0]}`)).status, 200);
      const again = await server.operator('POST', '/snapshots');
      assert.equal(again.status, 201, again.text);
      for (const id of [...taken.slice(1), again.json.id]) assert.equal((await server.operator('DELETE', `/snapshots/${id}`)).status, 200);
    });

    test('POST /ids seeds where numeric ids start, only ever forward', async () => {
      const u = await server.newUser('seeded');
      const seeded = await server.operator('POST', '/ids', { next_id: 163 });
      assert.equal(seeded.status, 200);
      assert.equal(seeded.json.next_id, 163);
      assert.ok(seeded.json.tables.includes('secret_keys') && seeded.json.tables.includes('users'));
      const key = await server.request('POST', '/api/v1/secret-keys', { token: u.token, body: { key_name: 'name' } });
      assert.equal(key.json.id, 163, 'the documented example id');
      assert.deepEqual((await server.operator('POST', '/ids', { next_id: 500, table: 'secret_keys' })).json, { next_id: 500, tables: ['secret_keys'] });
      assert.equal((await server.request('POST', '/api/v1/secret-keys', { token: u.token, body: { key_name: 'n500' } })).json.id, 500);
      await server.operator('POST', '/ids', { next_id: 2, table: 'secret_keys' });
      assert.equal((await server.request('POST', '/api/v1/secret-keys', { token: u.token, body: { key_name: 'n501' } })).json.id, 501);
      // A seed never moves a sequence back, not even to an id no row holds any more.
      assert.equal((await server.request('DELETE', '/api/v1/secret-keys/501', { token: u.token })).status, 200);
      await server.operator('POST', '/ids', { next_id: 2, table: 'secret_keys' });
      assert.equal((await server.request('POST', '/api/v1/secret-keys', { token: u.token, body: { key_name: 'n502' } })).json.id, 502);
      expectError(await server.operator('POST', '/ids', {}), 400, 4000002, 'Missing parameters.');
      expectError(await server.operator('POST', '/ids', { next_id: 0 }), 400, 4000001, 'Invalid parameters.');
      expectError(await server.operator('POST', '/ids', { next_id: 5, table: 'no_such_table' }), 400, 4000001, 'Invalid parameters.');
    });

    test('POST /reset erases all state and resets the clock', async () => {
      const u = await server.newUser('resetme');
      assert.equal((await server.request('POST', '/api/v1/secret-keys', { token: u.token, body: { key_name: 'k' } })).status, 201);
      const r = await server.operator('POST', '/reset');
      assert.equal(r.status, 200);
      assert.equal(r.text, '');
      expectError(await server.request('GET', '/api/v1/secret-keys', { token: u.token }), 401, 4010001, 'Unauthorized user.');
      expectError(await server.request('POST', '/api/v1/token', { body: { app_key: u.app_key, app_secret: u.app_secret } }), 404, 4040001, 'No such user.');
      const again = await server.newUser('resetme');
      const key = await server.request('POST', '/api/v1/secret-keys', { token: again.token, body: { key_name: 'k' } });
      assert.equal(key.json.id, 1, 'ids start over');
      assert.ok(Date.parse(key.json.created_at) < Date.now() + 1_800_000, 'the clock is back to real time (it was an hour ahead)');
    });
  });
}

describe('server endpoints', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer('sqlite');
  });
  after(() => server.close());

  test('fault rules exist only with --fault-injection', async () => {
    expectError(await server.request('POST', '/_opencomb/faults', { body: { code: 5000007 } }), 404, 4040006, 'No such api.');
    expectError(await server.request('GET', '/_opencomb/faults'), 404, 4040006, 'No such api.');
    assert.equal((await server.request('GET', '/healthz', { headers: { 'x-opencomb-fault': '5000007' } })).status, 200, 'the header is ignored too');
  });

  test('GET /healthz', async () => {
    const r = await server.request('GET', '/healthz');
    assert.equal(r.status, 200);
    assert.equal(r.text, '{"status":"ok","store":"ok","redis":"off"}');
  });

  test('GET /_opencomb/errors lists the whole catalog without auth', async () => {
    const r = await server.request('GET', '/_opencomb/errors');
    assert.equal(r.status, 200);
    assert.equal(r.json.length, 203);
    assert.deepEqual(r.json.find((e: { code: number }) => e.code === 4030142), { code: 4030142, status: 403, message: 'Stateful microservice can’t update.' });
    assert.deepEqual(r.json, entries.map((e) => ({ code: e.code, status: e.status, message: e.message })));
  });

  test('GET /_opencomb/errors.html renders the catalog as a searchable page', async () => {
    const r = await server.request('GET', '/_opencomb/errors.html');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(r.text.match(/<tr id="\d{7}">/g)?.length, 203);
    assert.ok(r.text.includes('<tr id="4030142"><td>4030142</td><td>403</td><td>Stateful microservice can’t update.</td>'));
    assert.match(r.text, /<input id="q" type="search"/);
  });

  test('GET /openapi.json documents every route with its x-error-codes, all from the catalog', async () => {
    const r = await server.request('GET', '/openapi.json');
    assert.equal(r.status, 200);
    assert.equal(r.json.openapi, '3.1.0');
    const codes = new Set(entries.map((e) => e.code));
    const token = r.json.paths['/api/v1/token'].post;
    assert.deepEqual(token['x-error-codes'], [4000001, 4000002, 4000403, 4010001, 4030001, 4030009, 4040001, 4040006, 4050001, 4080001, 4150001, 4220001, 5000007]);
    // One form of x-error-codes everywhere: catalog numbers, on request fields too (bodies are shared components).
    assert.equal(token.requestBody.content['application/json'].schema.$ref, '#/components/schemas/CreateTokenBody');
    assert.deepEqual(r.json.components.schemas.CreateTokenBody.properties.app_key['x-error-codes'], [4000001, 4000002]);
    const create = r.json.paths['/api/v1/secret-keys'].post;
    assert.ok(create['x-error-codes'].includes(4030013) && create['x-error-codes'].includes(4090004) && create['x-error-codes'].includes(5000005));
    assert.ok(r.json.paths['/api/v1/secret-key/{id}'].delete, 'aliases are documented');
    for (const [path, ops] of Object.entries(r.json.paths as Record<string, Record<string, { 'x-error-codes': number[]; responses: Record<string, unknown> }>>)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const c of op['x-error-codes']) {
          assert.ok(codes.has(c), `${method} ${path}: ${c} is not in the catalog`);
          assert.ok(op.responses[String(Math.floor(c / 10000))], `${method} ${path}: no response for ${c}`);
        }
      }
    }
  });
});
