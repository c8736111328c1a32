/**
 * U+0000 is bad input on both stores alike (docs/core.md): a body or query field holding one answers that
 * field's own invalid code, a path segment holding one (or a malformed escape) names nothing and answers
 * the domain's "No such ...", a Dockerfile holding one is refused. PostgreSQL text cannot hold a NUL, so
 * without these rules the same requests answered 500 there.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectError, startTestServer, STORES, type TestServer, type TestUser } from '../helpers/server.ts';

const BOUNDARY = 'nulboundary';
function dockerfileBody(content: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="docker_file"; filename="Dockerfile"\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

for (const store of STORES) {
  describe(`NUL bytes and undecodable path segments (${store})`, () => {
    let server: TestServer;
    let alice: TestUser;
    const get = (path: string) => server.request('GET', path, { token: alice.token });
    const repositories = async () => (await get('/api/v1/repositories?limit=30')).json;

    before(async () => {
      server = await startTestServer(store);
      alice = await server.newUser('alice');
    });
    after(() => server.close());

    test('a credential holding NUL is an invalid parameter, not a server error', async () => {
      expectError(await server.request('POST', '/api/v1/token', { body: { app_key: 'a\u0000b', app_secret: 'x' } }), 400, 4000001, 'Invalid parameters.');
      expectError(await server.request('POST', '/api/v1/token', { body: { app_key: alice.app_key, app_secret: '\u0000' } }), 400, 4000001, 'Invalid parameters.');
    });

    test('a body field holding NUL answers the field’s own code and creates nothing', async () => {
      const before = await repositories();
      const r = await server.request('POST', '/api/v1/repositories', { token: alice.token, body: { repo_name: 'nul', open_level: 0, base_desc: 'a\u0000b' } });
      expectError(r, 400, 4000001, 'Invalid parameters.');
      expectError(await server.request('POST', '/api/v1/secret-keys', { token: alice.token, body: { key_name: 'k\u0000' } }), 400, 4000001, 'Invalid parameters.');
      assert.deepEqual(await repositories(), before);
      assert.deepEqual((await get('/api/v1/secret-keys')).json, []);
    });

    test('a query parameter holding NUL answers the parameter’s own code', async () => {
      expectError(await get('/api/v1/repositories?limit=%00'), 400, 4000001, 'Invalid parameters.');
    });

    test('a path segment holding NUL names nothing: the domain’s not-found', async () => {
      expectError(await get('/api/v1/ips/%00'), 404, 4040302, 'No such IP');
      expectError(await server.request('DELETE', '/api/v1/ips/%00', { token: alice.token }), 404, 4040302, 'No such IP');
      expectError(await get('/api/v1/ips/%00/cost'), 404, 4040302, 'No such IP');
      expectError(await server.request('DELETE', '/api/v1/repositories/a%00b/tags/v1', { token: alice.token }), 404, 4040004, 'No such repository.');
      expectError(await server.request('DELETE', '/api/v1/repositories/a/b%00/tags/v1', { token: alice.token }), 404, 4040004, 'No such repository.');
      expectError(await get('/api/v1/secret-keys/1%00'), 404, 4040005, 'No such secret key.');
    });

    test('a tag holding NUL is not a tag of an existing repository', async () => {
      const created = await server.request('POST', '/api/v1/repositories', { token: alice.token, body: { repo_name: 'web', open_level: 0 } });
      assert.equal(created.status, 200, created.text);
      expectError(await server.request('DELETE', '/api/v1/repositories/web/tags/v%00', { token: alice.token }), 404, 4040129, 'No such image.');
    });

    test('operator paths holding NUL: no such user or key pair', async () => {
      expectError(await server.operator('PATCH', '/users/%00', { balance: 1 }), 404, 4040001, 'No such user.');
      expectError(await server.operator('POST', '/users/%00/keys', {}), 404, 4040001, 'No such user.');
      expectError(await server.operator('PATCH', '/keys/%00', { enabled: false }), 404, 4040001, 'No such user.');
      expectError(await server.operator('DELETE', '/keys/%00'), 404, 4040001, 'No such user.');
    });

    test('a malformed or non-UTF-8 escape in a path segment is the domain’s not-found, not "No such api"', async () => {
      expectError(await get('/api/v1/secret-keys/%ZZ'), 404, 4040005, 'No such secret key.');
      expectError(await get('/api/v1/secret-keys/%FF'), 404, 4040005, 'No such secret key.');
      expectError(await get('/api/v1/secret-keys/%C3%28'), 404, 4040005, 'No such secret key.');
      expectError(await get('/api/v1/ips/%'), 404, 4040302, 'No such IP');
      // A bad escape in a fixed part of the path still matches no route.
      expectError(await get('/api/v1/secret%ZZkeys/1'), 404, 4040006, 'No such api.');
    });

    test('a Dockerfile holding NUL is refused on both build endpoints and builds nothing', async () => {
      const before = await repositories();
      const headers = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };
      const body = dockerfileBody(Buffer.from('\u0000\u0000FROM ubuntu\n'));
      expectError(await server.request('POST', '/api/v1/repositories/nul/tags/v1/actions/build', { token: alice.token, raw: body, headers }), 400, 4000001, 'Invalid parameters.');
      expectError(await server.request('POST', '/api/v1/repositories/v2/image?repo_name=nul&tag=v1', { token: alice.token, raw: body, headers }), 400, 4000001, 'Invalid parameters.');
      assert.deepEqual(await repositories(), before);
    });
  });
}
