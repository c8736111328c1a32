import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { DEADLINE_GRACE_MS } from '../../src/http/deadline.ts';
import { expectError, startTestServer, type TestServer, type TestUser } from '../helpers/server.ts';

const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Sends raw bytes and returns everything the server answered before closing. */
function rawExchange(url: string, payload: string, waitMs = 0): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(payload);
    });
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => (data += d));
    socket.on('end', () => resolve(data));
    socket.on('error', (e) => (data ? resolve(data) : reject(e)));
    if (waitMs) setTimeout(() => socket.end(), waitMs);
  });
}

describe('HTTP core', () => {
  let server: TestServer;
  let user: TestUser;
  before(async () => {
    server = await startTestServer('sqlite', { faultInjection: true, clientTimeoutMs: 400 });
    user = await server.newUser();
  });
  after(() => server.close());

  test('unknown paths answer 4040006, other API versions included', async () => {
    for (const path of ['/api/v1/no-such-path', '/api/v2/secret-keys', '/', '/api/v1', '/api/V1/secret-keys']) {
      expectError(await server.request('GET', path), 404, 4040006, 'No such api.');
    }
    expectError(await server.request('POST', '/nothing', { body: {} }), 404, 4040006, 'No such api.');
  });

  test('known path with a wrong method answers 4050001 with Allow', async () => {
    const r = await server.request('DELETE', '/api/v1/token');
    expectError(r, 405, 4050001, 'Http method not allowed.');
    assert.equal(r.headers.get('allow'), 'POST');
    const opt = await server.request('OPTIONS', '/api/v1/secret-keys', { token: user.token });
    expectError(opt, 405, 4050001, 'Http method not allowed.');
    assert.equal(opt.headers.get('allow'), 'GET, HEAD, POST');
    const put = await server.request('PUT', '/api/v1/secret-keys/1');
    assert.equal(put.headers.get('allow'), 'GET, HEAD, DELETE');
  });

  test('CONNECT is a method like any other: 4050001 with Allow on a known path, 4040006 elsewhere', async () => {
    const known = await rawExchange(server.url, 'CONNECT /api/v1/secret-keys HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.match(known, /^HTTP\/1\.1 405 Method Not Allowed\r\n/);
    assert.match(known, /\r\nRequest-Id: [0-9a-f-]{36}\r\n/);
    assert.match(known, /\r\nAllow: GET, HEAD, POST\r\n/);
    assert.match(known, /\{"code":4050001,"message":"Http method not allowed."\}$/);
    const unknown = await rawExchange(server.url, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    assert.match(unknown, /^HTTP\/1\.1 404 Not Found\r\n/);
    assert.match(unknown, /\{"code":4040006,"message":"No such api."\}$/);
  });

  test('routing comes before authentication', async () => {
    expectError(await server.request('PATCH', '/api/v1/secret-keys'), 405, 4050001, 'Http method not allowed.');
    expectError(await server.request('GET', '/api/v1/secret-keys'), 401, 4010001, 'Unauthorized user.');
  });

  test('trailing slash, doubled leading slash and the /API/v1 alias route like the canonical path', async () => {
    for (const path of ['/api/v1/secret-keys/', '//api/v1/secret-keys', '/API/v1/secret-keys', '/API/v1/secret-keys/']) {
      const r = await server.request('GET', path, { token: user.token });
      assert.equal(r.status, 200, `${path}: ${r.text}`);
      assert.deepEqual(r.json, []);
    }
  });

  test('HEAD answers like GET without a body', async () => {
    const get = await server.request('GET', '/api/v1/secret-keys', { token: user.token });
    const head = await server.request('HEAD', '/api/v1/secret-keys', { token: user.token });
    assert.equal(head.status, 200);
    assert.equal(head.text, '');
    assert.equal(head.headers.get('content-length'), get.headers.get('content-length'));
    assert.equal(head.headers.get('content-type'), 'application/json; charset=utf-8');
    const unauth = await server.request('HEAD', '/api/v1/secret-keys');
    assert.equal(unauth.status, 401);
    assert.equal(unauth.text, '');
    assert.match(unauth.headers.get('request-id') ?? '', UUID4);
  });

  test('a present body with another media type answers 4150001', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']) {
      const r = await server.request('POST', '/api/v1/token', { raw: 'a=b', headers: { 'content-type': type } });
      expectError(r, 415, 4150001, 'Unsupported media type.');
    }
  });

  test('JSON media types are accepted with parameters, +json suffixes and without Content-Type', async () => {
    const body = JSON.stringify({ app_key: user.app_key, app_secret: user.app_secret });
    for (const headers of [{ 'content-type': 'application/json; charset=utf-8' }, { 'content-type': 'APPLICATION/JSON' }, { 'content-type': 'application/vnd.api+json' }]) {
      const r = await server.request('POST', '/api/v1/token', { raw: body, headers });
      assert.equal(r.status, 201, JSON.stringify(headers) + r.text);
    }
    const raw = await rawExchange(server.url, `POST /api/v1/token HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    assert.match(raw, /^HTTP\/1\.1 201 Created\r\n/, 'a body without Content-Type is parsed as JSON');
  });

  test('unparsable, non-UTF-8 or oversized bodies answer 4000403', async () => {
    for (const raw of ['{"app_key": ', '{app_key: 1}', "{'a':1}", '{"a":1}}', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])]) {
      const r = await server.request('POST', '/api/v1/token', { raw, headers: { 'content-type': 'application/json' } });
      expectError(r, 400, 4000403, 'Invalid request body');
    }
    const big = JSON.stringify({ app_key: 'x'.repeat(1_048_576), app_secret: 'y' });
    expectError(await server.request('POST', '/api/v1/token', { raw: big, headers: { 'content-type': 'application/json' } }), 400, 4000403, 'Invalid request body');
  });

  test('a body of exactly 1 MiB is still accepted', async () => {
    const base = JSON.stringify({ app_key: user.app_key, app_secret: user.app_secret, pad: '' });
    const raw = base.replace('"pad":""', `"pad":"${'p'.repeat(1_048_576 - base.length)}"`);
    assert.equal(Buffer.byteLength(raw), 1_048_576);
    const r = await server.request('POST', '/api/v1/token', { raw, headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 201, r.text);
  });

  test('valid JSON whose top level is not an object answers 4220001', async () => {
    for (const raw of ['[1]', '"text"', '42', 'true', 'false', 'null', '[]']) {
      expectError(await server.request('POST', '/api/v1/token', { raw, headers: { 'content-type': 'application/json' } }), 422, 4220001, 'Unprocessable entity.');
    }
  });

  test('an empty body is {}: the missing-parameter rule applies', async () => {
    expectError(await server.request('POST', '/api/v1/token', { raw: '', headers: { 'content-type': 'application/json' } }), 400, 4000002, 'Missing parameters.');
    expectError(await server.request('POST', '/api/v1/token'), 400, 4000002, 'Missing parameters.');
  });

  test('GET and DELETE bodies are never read', async () => {
    const raw = await rawExchange(server.url, `GET /api/v1/secret-keys HTTP/1.1\r\nHost: x\r\nAuthorization: Token ${user.token}\r\nContent-Type: text/plain\r\nContent-Length: 8\r\nConnection: close\r\n\r\nnot json`);
    assert.match(raw, /^HTTP\/1\.1 200 OK\r\n/);
    expectError(await server.request('DELETE', '/api/v1/secret-keys/999', { token: user.token, raw: '[', headers: { 'content-type': 'application/json' } }), 404, 4040005, 'No such secret key.');
  });

  test('precedence: authentication before media type, media type before syntax, syntax before shape', async () => {
    expectError(await server.request('POST', '/api/v1/secret-keys', { raw: '[', headers: { 'content-type': 'text/plain' } }), 401, 4010001, 'Unauthorized user.');
    expectError(await server.request('POST', '/api/v1/secret-keys', { token: user.token, raw: '[', headers: { 'content-type': 'text/plain' } }), 415, 4150001, 'Unsupported media type.');
    expectError(await server.request('POST', '/api/v1/secret-keys', { token: user.token, raw: '[', headers: { 'content-type': 'application/json' } }), 400, 4000403, 'Invalid request body');
    expectError(await server.request('POST', '/api/v1/secret-keys', { token: user.token, raw: '[]', headers: { 'content-type': 'application/json' } }), 422, 4220001, 'Unprocessable entity.');
  });

  test('every kind of response carries a fresh Request-Id UUID', async () => {
    const key = await server.request('POST', '/api/v1/secret-keys', { token: user.token, body: { key_name: 'rid' } });
    const responses = [
      key,
      await server.request('GET', `/api/v1/secret-keys/${key.json.id}`, { token: user.token }), // raw PEM
      await server.request('DELETE', `/api/v1/secret-keys/${key.json.id}`, { token: user.token }), // empty 200
      await server.request('GET', '/nope'),
      await server.request('PUT', '/api/v1/token'),
      await server.request('GET', '/healthz'),
      await server.request('HEAD', '/healthz'),
      await server.request('GET', '/healthz', { headers: { 'request-id': '00000000-0000-4000-8000-000000000000' } }),
    ];
    const ids = responses.map((r) => r.headers.get('request-id') ?? '');
    for (const id of ids) assert.match(id, UUID4);
    assert.equal(new Set(ids).size, ids.length, 'ids are fresh, a client value is not reused');
    assert.equal(responses[2]!.text, '');
    assert.equal(responses[2]!.headers.get('content-length'), '0');
  });

  test('fault injection answers the named catalog error after auth, and ignores unknown codes', async () => {
    const r = await server.request('GET', '/api/v1/secret-keys', { token: user.token, headers: { 'x-opencomb-fault': '5000007' } });
    expectError(r, 500, 5000007, 'Nce internal server error.');
    expectError(await server.request('GET', '/api/v1/secret-keys', { headers: { 'x-opencomb-fault': '5000007' } }), 401, 4010001, 'Unauthorized user.');
    assert.equal((await server.request('GET', '/api/v1/secret-keys', { token: user.token, headers: { 'x-opencomb-fault': '1234567' } })).status, 200);
    const before = (await server.request('GET', '/api/v1/secret-keys', { token: user.token })).json.length;
    expectError(await server.request('POST', '/api/v1/secret-keys', { token: user.token, body: { key_name: 'faulty' }, headers: { 'x-opencomb-fault': '4090004' } }), 409, 4090004, 'Duplicate secret key name.');
    assert.equal((await server.request('GET', '/api/v1/secret-keys', { token: user.token })).json.length, before, 'no state change');
  });

  test('an injected fault carries the headers of the real error: Retry-After for 4030001, Allow for 4050001', async () => {
    const throttled = await server.request('GET', '/api/v1/secret-keys', { token: user.token, headers: { 'x-opencomb-fault': '4030001' } });
    expectError(throttled, 403, 4030001, 'Api freq out of limit.');
    assert.equal(throttled.headers.get('retry-after'), '1');
    const notAllowed = await server.request('GET', '/api/v1/secret-keys', { token: user.token, headers: { 'x-opencomb-fault': '4050001' } });
    expectError(notAllowed, 405, 4050001, 'Http method not allowed.');
    assert.equal(notAllowed.headers.get('allow'), 'GET, HEAD, POST');
  });

  test('operator fault rules: method, path pattern, code, count; the header wins; the operator API is never hit', async () => {
    const add = (body: unknown) => server.request('POST', '/_opencomb/faults', { body });
    const rule = await add({ method: 'get', path: '/api/v1/secret-keys', code: 5000007, count: 2 });
    assert.equal(rule.status, 201);
    assert.deepEqual(rule.json, { id: rule.json.id, method: 'GET', path: '/api/v1/secret-keys', code: 5000007, count: 2, probability: 1 });
    assert.deepEqual((await server.request('GET', '/_opencomb/faults')).json, [rule.json]);
    expectError(await server.request('GET', '/api/v1/secret-keys', { token: user.token }), 500, 5000007, 'Nce internal server error.');
    expectError(await server.request('GET', '/api/v1/secret-keys', { token: user.token, headers: { 'x-opencomb-fault': '4040006' } }), 404, 4040006, 'No such api.');
    assert.equal((await server.request('POST', '/api/v1/secret-keys', { token: user.token, body: { key_name: 'other-method' } })).status, 201, 'another method is not matched');
    // routing and authentication still come first
    expectError(await server.request('GET', '/api/v1/secret-keys'), 401, 4010001, 'Unauthorized user.');
    expectError(await server.request('GET', '/api/v1/secret-keys', { token: user.token }), 500, 5000007, 'Nce internal server error.');
    assert.equal((await server.request('GET', '/api/v1/secret-keys', { token: user.token })).status, 200, 'the count is used up');
    assert.deepEqual((await server.request('GET', '/_opencomb/faults')).json, []);

    const before = (await server.request('GET', '/api/v1/secret-keys', { token: user.token })).json.length;
    const any = await add({ path: '/api/v1/secret-keys*', code: 4090004 });
    assert.deepEqual([any.json.method, any.json.count], ['*', null]);
    expectError(await server.request('POST', '/api/v1/secret-keys', { token: user.token, body: { key_name: 'never' } }), 409, 4090004, 'Duplicate secret key name.');
    expectError(await server.request('DELETE', '/api/v1/secret-keys/1', { token: user.token }), 409, 4090004, 'Duplicate secret key name.');
    const everything = await add({ code: 4000001 });
    assert.equal(everything.json.path, '*');
    assert.equal((await server.request('GET', '/_opencomb/faults')).json.length, 2, 'the operator API is not subject to rules');
    assert.equal((await server.request('DELETE', `/_opencomb/faults/${any.json.id}`)).status, 200);
    expectError(await server.request('GET', '/api/v1/secret-keys', { token: user.token }), 400, 4000001, 'Invalid parameters.');
    expectError(await server.request('DELETE', `/_opencomb/faults/${any.json.id}`), 400, 4000001, 'Invalid parameters.');
    const cleared = await server.request('DELETE', '/_opencomb/faults');
    assert.equal(cleared.status, 200);
    assert.equal(cleared.text, '');
    assert.equal((await server.request('GET', '/api/v1/secret-keys', { token: user.token })).json.length, before, 'refused requests changed nothing');

    expectError(await add({}), 400, 4000002, 'Missing parameters.');
    for (const body of [{ code: 1234567 }, { code: 'x' }, { code: 4000001, count: 0 }, { code: 4000001, probability: 0 }, { code: 4000001, probability: 1.5 }, { code: 4000001, path: 'no-slash' }, { code: 4000001, method: 'G T' }]) {
      expectError(await add(body), 400, 4000001, 'Invalid parameters.');
    }
    assert.deepEqual((await server.request('GET', '/_opencomb/faults')).json, []);
  });

  test('433 is sent with its reason phrase "Not Certification"', async () => {
    const raw = await rawExchange(server.url, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Opencomb-Fault: 4330801\r\nConnection: close\r\n\r\n`);
    // /healthz is an open endpoint: faults apply there too (after routing).
    assert.match(raw, /^HTTP\/1\.1 433 Not Certification\r\n/);
    assert.match(raw, /\r\n\r\n\{"code":4330801,"message":"not certification"\}$/);
  });

  test('problem+json on request keeps code and message and adds status, title, param, request_id, a docs link', async () => {
    const r = await server.request('POST', '/api/v1/secret-keys', { token: user.token, body: { key_name: 'bad name!' }, headers: { accept: 'application/problem+json' } });
    assert.equal(r.status, 400);
    assert.equal(r.headers.get('content-type'), 'application/problem+json');
    assert.equal(r.json.code, 4000001);
    assert.equal(r.json.message, 'Invalid parameters.');
    assert.equal(r.json.status, 400);
    assert.equal(r.json.title, 'Bad Request');
    assert.equal(r.json.param, 'key_name');
    assert.equal(r.json.request_id, r.headers.get('request-id'));
    assert.match(r.json.type, /\/_opencomb\/docs\/errors\.md#4000001$/);
    const docs = await fetch(r.json.type.split('#')[0]);
    assert.match(await docs.text(), /<a id="4000001"><\/a>/);
    // The default body stays byte-exact.
    const plain = await server.request('POST', '/api/v1/secret-keys', { token: user.token, body: { key_name: 'bad name!' } });
    assert.equal(plain.text, '{"code":4000001,"message":"Invalid parameters."}');
  });

  test('messages keep the curly apostrophe as raw UTF-8', async () => {
    const r = await server.request('GET', '/healthz', { headers: { 'x-opencomb-fault': '4030258' } });
    expectError(r, 403, 4030258, 'Volume can’t operate in current state.');
    assert.ok(r.text.includes('can\u2019t'));
  });

  test('a client that does not finish its body in time gets 4080001', async () => {
    const raw = await rawExchange(server.url, 'POST /api/v1/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"app_key"', 3000);
    assert.match(raw, /^HTTP\/1\.1 408 Request Timeout\r\n/);
    assert.match(raw, /Request-Id: [0-9a-f-]{36}\r\n/i);
    assert.match(raw, /\{"code":4080001,"message":"Request timeout."\}$/);
  });

  test('a client that does not finish its headers in time gets 4080001', async () => {
    const raw = await rawExchange(server.url, 'GET /healthz HTTP/1.1\r\nHost: x\r\n', 4000);
    assert.match(raw, /^HTTP\/1\.1 408 Request Timeout\r\n/);
    assert.match(raw, /\{"code":4080001,"message":"Request timeout."\}$/);
  });

  test('malformed HTTP and oversized headers get 4000001 in the catalog format', async () => {
    for (const payload of ['GARBAGE\r\n\r\n', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 'GET /healthz HTTP/1.1\r\nBad Header\r\n\r\n']) {
      const raw = await rawExchange(server.url, payload);
      assert.match(raw, /^HTTP\/1\.1 400 Bad Request\r\n/, raw);
      assert.match(raw, /Request-Id: [0-9a-f-]{36}\r\n/i);
      assert.match(raw, /\{"code":4000001,"message":"Invalid parameters."\}$/);
    }
  });

  test('a handler that exceeds its deadline answers 4080001 and leaves nothing behind', async () => {
    const s = await startTestServer('sqlite');
    try {
      const u = await s.newUser();
      // Generating the RSA pair takes far longer than 1 ms: the deadline passes before the key is stored.
      s.services.config.handlerDeadlineMs = 1;
      expectError(await s.request('POST', '/api/v1/secret-keys', { token: u.token, body: { key_name: 'late' } }), 408, 4080001, 'Request timeout.');
      // Whatever the handler still does after the answer must not store the key.
      await new Promise((r) => setTimeout(r, DEADLINE_GRACE_MS + 500));
      assert.deepEqual(await s.services.store.db.selectFrom('secret_keys').select('name').execute(), []);
      s.services.config.handlerDeadlineMs = 60_000;
      assert.deepEqual((await s.request('GET', '/api/v1/secret-keys', { token: u.token })).json, []);
    } finally {
      await s.close();
    }
  });

  test('an internal failure answers the family 500 without leaking details', async () => {
    const s = await startTestServer('sqlite');
    try {
      const u = await s.newUser();
      await sql`drop table secret_keys`.execute(s.services.store.db);
      const r = await s.request('POST', '/api/v1/secret-keys', { token: u.token, body: { key_name: 'x' } });
      expectError(r, 500, 5000005, 'Create secret key error.');
      const g = await s.request('GET', '/api/v1/secret-keys', { token: u.token });
      expectError(g, 500, 5000007, 'Nce internal server error.');
      assert.doesNotMatch(g.text, /secret_keys|sqlite|at /i);
      expectError(await s.request('DELETE', '/api/v1/secret-keys/1', { token: u.token }), 500, 5000006, 'Delete secret key error.');
    } finally {
      await s.close();
    }
  });
});
