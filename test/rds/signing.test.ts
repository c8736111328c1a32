import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectError, startTestServer, STORES, type Res, type TestServer } from '../helpers/server.ts';
import { signature, stringToSign } from '../../src/domains/rds/signing.ts';
import { BASE, CREATE_SECONDS, instanceBody, sign } from './helpers.ts';

/** The reference's worked examples (rds.md "Signed requests"). */
const SECRET = '0123456789abcdef0123456789abcdef';
const ACCESS_KEY = 'fedcba9876543210fedcba9876543210';
const EXAMPLE_BODY = '{"privileges":[{"account_name":"doc_read","database_name":"my-database","privilege":"read"}]}';

describe('signed requests: the reference’s worked examples, string to sign and signature', () => {
  it('example 1: GET /api/v1/rds/instances?instance_name=my-rds', () => {
    const request = { method: 'GET', rawPath: '/api/v1/rds/instances', rawQuery: 'instance_name=my-rds', timestamp: '1494472733', nonce: 'a1b2c3d4e5f60718', body: Buffer.alloc(0) };
    assert.equal(stringToSign(request), 'CC-HMAC-SHA256\nGET\n/api/v1/rds/instances\ninstance_name=my-rds\n1494472733\na1b2c3d4e5f60718\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(signature(SECRET, request), 'c03c166109914728e338734a53193de51bdcfb3926875125fdb9a675265b2b67');
  });

  it('example 2: POST /api/v1/rds/accounts/my-rds with a body; the query canonicalized (sorted, %25 kept)', () => {
    const request = { method: 'POST', rawPath: '/api/v1/rds/accounts/my-rds', rawQuery: 'ip_list=10.173.%&account_password=docpasswd&account_name=doc_read', timestamp: '1494472733', nonce: 'a1b2c3d4e5f60719', body: Buffer.from(EXAMPLE_BODY) };
    const lines = stringToSign(request).split('\n');
    assert.equal(lines[3], 'account_name=doc_read&account_password=docpasswd&ip_list=10.173.%25');
    assert.equal(lines[6], '41c391e4f8ca791b9c4508122bbb3e0b80bcedb3ddb908761b588cdd50c4e380');
    assert.equal(signature(SECRET, request), '76b42bc8fc95c46c4c28aa2cc732f0e684026d4b864f31cd62f3f817dcf14a52');
  });

  it('canonical forms: path segments re-encoded by RFC 3986, + is a space in the query, pairs without = have an empty value', () => {
    const lines = stringToSign({ method: 'get', rawPath: '/api/v1/rds/a%7eb/c%2fd/%C3%A9', rawQuery: 'b=x+y&a&a=%2a&c=%', timestamp: '1', nonce: 'nnnnnnnn', body: Buffer.alloc(0) }).split('\n');
    assert.deepEqual(lines.slice(1, 4), ['GET', '/api/v1/rds/a~b/c%2Fd/%C3%A9', 'a=&a=%2A&b=x%20y&c=%25']);
  });
});

for (const store of STORES) {
  describe(`signed requests over HTTP (${store})`, () => {
    let server: TestServer;
    let nonce = 0;

    before(async () => {
      server = await startTestServer(store, { bootstrap: { user: 'admin', accessKey: ACCESS_KEY, accessSecret: SECRET } });
      const token = await server.token(ACCESS_KEY, SECRET);
      assert.equal((await server.request('POST', `${BASE}/instances`, { token, body: instanceBody('my-rds') })).status, 200);
      await server.advance(CREATE_SECONDS);
      assert.equal((await server.request('POST', `${BASE}/databases/my-rds?database_name=my-database&character_set=utf8`, { token })).status, 200);
    });
    after(() => server.close());

    const now = async () => String(Math.floor(Date.parse(await server.advance(0)) / 1000));
    const freshNonce = () => `n${process.pid}x${++nonce}`.padEnd(16, '0');

    interface Signed { method: string; url: string; path: string; query: string; body?: string; timestamp?: string; nonce?: string; key?: string; secret?: string; authorization?: string; headers?: Record<string, string> }
    async function send(s: Signed): Promise<Res> {
      const timestamp = s.timestamp ?? await now();
      const n = s.nonce ?? freshNonce();
      const sig = sign(s.secret ?? SECRET, { method: s.method, path: s.path, query: s.query, timestamp, nonce: n, body: s.body });
      const headers: Record<string, string> = {
        authorization: s.authorization ?? `CC-HMAC-SHA256 AccessKey=${s.key ?? ACCESS_KEY}, Signature=${sig}`,
        'x-cc-timestamp': timestamp, 'x-cc-nonce': n, ...s.headers,
      };
      if (s.body !== undefined) headers['content-type'] = 'application/json';
      return server.request(s.method, s.url, { raw: s.body, headers });
    }
    const example1 = (extra: Partial<Signed> = {}) => send({ method: 'GET', url: '/api/v1/rds/instances?instance_name=my-rds', path: '/api/v1/rds/instances', query: 'instance_name=my-rds', ...extra });

    it('example 1 signed now: the instance answers', async () => {
      const r = await example1();
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.instances[0].instance_name, 'my-rds');
    });

    it('example 2 signed now: the account is created with its documented answer; the same nonce again is a replay (4000804)', async () => {
      const n = 'a1b2c3d4e5f60719';
      const request = {
        method: 'POST', url: '/api/v1/rds/accounts/my-rds?account_name=doc_read&account_password=docpasswd&ip_list=10.173.%25',
        path: '/api/v1/rds/accounts/my-rds', query: 'account_name=doc_read&account_password=docpasswd&ip_list=10.173.%25', body: EXAMPLE_BODY, nonce: n,
      };
      const r = await send(request);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json, { database_accounts: [{ account_name: 'doc_read', database_name: 'my-database', privilege: 'read', ip_list: '10.173.%' }] });
      expectError(await send(request), 400, 4000804, 'request expired');
      // Nothing was created twice, and the replay was not mistaken for a duplicate account.
      const token = await server.token(ACCESS_KEY, SECRET);
      assert.deepEqual((await server.request('GET', `${BASE}/accounts/my-rds`, { token })).json, { accounts: ['doc_read'] });
    });

    it('a replayed nonce is refused for 600 s, then forgotten (a fresh timestamp is needed anyway)', async () => {
      const n = freshNonce();
      assert.equal((await example1({ nonce: n })).status, 200);
      await server.advance(301);
      expectError(await example1({ nonce: n }), 400, 4000804, 'request expired');
      await server.advance(300);
      assert.equal((await example1({ nonce: n })).status, 200);
    });

    it('the pairs may come in either order with any whitespace; unsorted and unencoded query parameters canonicalize', async () => {
      const timestamp = await now();
      const n = freshNonce();
      const sig = sign(SECRET, { method: 'GET', path: '/api/v1/rds/instances', query: 'instance_name=my-rds', timestamp, nonce: n });
      const r = await server.request('GET', '/api/v1/rds/instances?instance_name=my-rds', { headers: { authorization: `CC-HMAC-SHA256   Signature=${sig} ,AccessKey=${ACCESS_KEY}`, 'x-cc-timestamp': timestamp, 'x-cc-nonce': n } });
      assert.equal(r.status, 200, r.text);
      const d = await send({ method: 'PUT', url: '/api/v1/rds/privileges/my-rds/doc_read?ip_list=10.%&extra=a+b', path: '/api/v1/rds/privileges/my-rds/doc_read', query: 'extra=a%20b&ip_list=10.%25' });
      assert.equal(d.status, 200, d.text);
      assert.equal(d.json.database_accounts[0].ip_list, '10.%');
    });

    it('4030802 when AccessKey, Signature, X-CC-Timestamp or X-CC-Nonce is missing or empty', async () => {
      const code = [403, 4030802, 'missing authentication token'] as const;
      expectError(await example1({ authorization: 'CC-HMAC-SHA256 Signature=abc' }), ...code);
      expectError(await example1({ authorization: `CC-HMAC-SHA256 AccessKey=${ACCESS_KEY}, Signature=` }), ...code);
      expectError(await example1({ authorization: 'CC-HMAC-SHA256' }), ...code);
      expectError(await example1({ headers: { 'x-cc-timestamp': '' } }), ...code);
      expectError(await example1({ headers: { 'x-cc-nonce': ' ' } }), ...code);
    });

    it('4000803 for a malformed timestamp or nonce', async () => {
      for (const timestamp of ['abc', '1.5', '0x10']) expectError(await example1({ timestamp }), 400, 4000803, 'invalid parameter value');
      for (const n of ['short', 'has space1', 'x'.repeat(65), 'bad.nonce!']) expectError(await example1({ nonce: n }), 400, 4000803, 'invalid parameter value');
    });

    it('4000804 outside ±300 s; 300 s is inside', async () => {
      const t = Number(await now());
      expectError(await example1({ timestamp: String(t - 330) }), 400, 4000804, 'request expired');
      expectError(await example1({ timestamp: String(t + 330) }), 400, 4000804, 'request expired');
      assert.equal((await example1({ timestamp: String(t - 290) })).status, 200);
    });

    it('4000805 for a malformed signature, an unknown key or a wrong signature (one code for all three)', async () => {
      const code = [400, 4000805, 'invalid siginature'] as const;
      const good = sign(SECRET, { method: 'GET', path: '/api/v1/rds/instances', query: 'instance_name=my-rds', timestamp: '1', nonce: 'nnnnnnnn' });
      expectError(await example1({ authorization: `CC-HMAC-SHA256 AccessKey=${ACCESS_KEY}, Signature=${good.slice(1)}` }), ...code);
      expectError(await example1({ authorization: `CC-HMAC-SHA256 AccessKey=${ACCESS_KEY}, Signature=${'z'.repeat(64)}` }), ...code);
      expectError(await example1({ key: '00000000000000000000000000000000' }), ...code);
      expectError(await example1({ secret: 'not-the-secret' }), ...code);
      // Signed for another query, body or method than sent.
      expectError(await send({ method: 'GET', url: '/api/v1/rds/instances?instance_name=other', path: '/api/v1/rds/instances', query: 'instance_name=my-rds' }), ...code);
      expectError(await send({ method: 'GET', url: '/api/v1/rds/instances', path: '/api/v1/rds/snapshots', query: '' }), ...code);
    });

    it('4030801 for a disabled key with a valid signature (a bad signature still answers 4000805)', async () => {
      const pair = await server.operator('POST', '/users/admin/keys');
      const { app_key, app_secret } = pair.json;
      assert.equal((await example1({ key: app_key, secret: app_secret })).status, 200);
      await server.operator('PATCH', `/keys/${app_key}`, { enabled: false });
      expectError(await example1({ key: app_key, secret: app_secret }), 403, 4030801, 'permission forbidden');
      expectError(await example1({ key: app_key, secret: SECRET }), 400, 4000805, 'invalid siginature');
    });

    it('4330801 for an uncertified user, after the signature is verified', async () => {
      await server.operator('PATCH', '/users/admin', { certified: false });
      const r = await example1();
      expectError(r, 433, 4330801, 'not certification');
      assert.equal(r.statusText, 'Not Certification');
      await server.operator('PATCH', '/users/admin', { certified: true });
    });

    it('the OpenAPI document lists the scheme’s codes and 4330801 on every RDS operation, and only there', async () => {
      const doc = (await server.request('GET', '/openapi.json')).json;
      const rdsOps = Object.entries(doc.paths as Record<string, Record<string, { 'x-error-codes': number[] }>>)
        .filter(([path]) => path.startsWith('/api/v1/rds')).flatMap(([, ops]) => Object.values(ops));
      assert.ok(rdsOps.length >= 15);
      for (const op of rdsOps) for (const code of [4000803, 4000804, 4000805, 4030801, 4030802, 4330801, 5000801]) assert.ok(op['x-error-codes'].includes(code), String(code));
      assert.ok(!doc.paths['/api/v1/namespaces'].get['x-error-codes'].includes(4330801));
    });

    it('other endpoints, an unknown scheme or no Authorization answer 4010001', async () => {
      const code = [401, 4010001, 'Unauthorized user.'] as const;
      expectError(await send({ method: 'GET', url: '/api/v1/namespaces', path: '/api/v1/namespaces', query: '' }), ...code);
      expectError(await example1({ authorization: `HMAC-SHA1 AccessKey=${ACCESS_KEY}, Signature=x` }), ...code);
      expectError(await server.request('GET', '/api/v1/rds/instances'), ...code);
    });
  });
}
