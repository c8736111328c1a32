/**
 * Protocol abuse over raw sockets: every answer is in the contract (catalog body, status = code/10000,
 * Request-Id; no body on HEAD), bodies are never read past the limit, and a request a client tries to
 * smuggle behind another is never answered (docs/core.md).
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer, type TestUser } from '../helpers/server.ts';
import { exchange, expectRawError, RawConnection } from './raw-http.ts';

const LIMIT = 64 * 1024;
const CLIENT_TIMEOUT_MS = 400;

describe('protocol abuse (raw sockets)', () => {
  let server: TestServer;
  let user: TestUser;
  before(async () => {
    server = await startTestServer('sqlite', { bodyLimitBytes: LIMIT, clientTimeoutMs: CLIENT_TIMEOUT_MS });
    user = await server.newUser('proto');
  });
  after(() => server.close());

  const auth = () => `Authorization: Token ${user.token}\r\n`;

  describe('answers outside the listener', () => {
    test('HTTP/1.1 without Host: 4000001 with a Request-Id, then the connection closes', async () => {
      const a = await exchange(server.url, 'GET /api/v1/secret-keys HTTP/1.1\r\n\r\n');
      expectRawError(a, 400, 4000001, 'Invalid parameters.');
      assert.equal(a.headers.connection, 'close');
      await a.conn.closed;
    });

    test('HTTP/1.0 needs no Host', async () => {
      const a = await exchange(server.url, 'GET /healthz HTTP/1.0\r\n\r\n');
      assert.equal(a.status, 200);
    });

    test('an unknown Expect is ignored: the request is served, never a bare 417', async () => {
      expectRawError(await exchange(server.url, 'GET /api/v1/secret-keys HTTP/1.1\r\nHost: x\r\nExpect: bogus\r\n\r\n'), 401, 4010001, 'Unauthorized user.');
      const ok = await exchange(server.url, `GET /api/v1/secret-keys HTTP/1.1\r\nHost: x\r\n${auth()}Expect: bogus\r\n\r\n`);
      assert.equal(ok.status, 200);
      assert.equal(ok.body, '[]');
    });

    test('Expect: 100-continue is honoured and the request served', async () => {
      const conn = await RawConnection.open(server.url);
      const body = JSON.stringify({ key_name: 'continued' });
      await conn.write(`POST /api/v1/secret-keys HTTP/1.1\r\nHost: x\r\n${auth()}Content-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`);
      const interim = await conn.next(true);
      assert.equal(interim.status, 100);
      await conn.write(body);
      const created = await conn.next();
      assert.equal(created.status, 201, created.body);
      conn.close();
    });

    test('Expect: 100-continue on a request refused before its body: the final answer at once, no 100, then close', async () => {
      const unauthorized = await exchange(server.url, 'POST /api/v1/secret-keys HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 20\r\nExpect: 100-continue\r\n\r\n');
      expectRawError(unauthorized, 401, 4010001, 'Unauthorized user.');
      assert.equal(unauthorized.headers.connection, 'close');
      await unauthorized.conn.closed;
      const tooLarge = await exchange(server.url, `POST /api/v1/secret-keys HTTP/1.1\r\nHost: x\r\n${auth()}Content-Type: application/json\r\nContent-Length: ${LIMIT + 1}\r\nExpect: 100-continue\r\n\r\n`);
      expectRawError(tooLarge, 400, 4000403, 'Invalid request body');
      await tooLarge.conn.closed;
    });

    test('a target over 16 KiB: 4000001 on GET; on HEAD the same headers and no body', async () => {
      const target = `/api/v1/secret-keys/${'a'.repeat(17_000)}`;
      expectRawError(await exchange(server.url, `GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`), 400, 4000001, 'Invalid parameters.');
      const head = await exchange(server.url, `HEAD ${target} HTTP/1.1\r\nHost: x\r\n\r\n`, true);
      expectRawError(head, 400, 4000001, 'Invalid parameters.', true);
      await head.conn.closed;
      assert.equal(head.conn.rest(), '', 'no body after a HEAD answer');
    });

    test('HEAD with an over-long target sent in several packets: still no body', async () => {
      const conn = await RawConnection.open(server.url);
      await conn.write(`HEAD /api/v1/secret-keys/${'b'.repeat(4000)}`);
      await new Promise((r) => setTimeout(r, 50));
      await conn.write(`${'b'.repeat(14_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
      expectRawError(await conn.next(true), 400, 4000001, 'Invalid parameters.', true);
      await conn.closed;
      assert.equal(conn.rest(), '');
    });

    test('one rule for methods we do not implement, whether Node knows them or not', async () => {
      for (const method of ['FOO', 'PROPFIND', 'get', 'BREW']) {
        const a = await exchange(server.url, `${method} /api/v1/secret-keys HTTP/1.1\r\nHost: x\r\n\r\n`);
        expectRawError(a, 405, 4050001, 'Http method not allowed.');
        assert.equal(a.headers.allow, 'GET, HEAD, POST', method);
        expectRawError(await exchange(server.url, `${method} /nowhere HTTP/1.1\r\nHost: x\r\n\r\n`), 404, 4040006, 'No such api.');
      }
    });

    test('a method Node does not know, asking for problem+json, gets the problem document', async () => {
      const a = await exchange(server.url, 'FOO /api/v1/secret-keys HTTP/1.1\r\nHost: example.test\r\nAccept: application/problem+json\r\n\r\n');
      assert.equal(a.status, 405);
      assert.equal(a.headers['content-type'], 'application/problem+json');
      assert.deepEqual(JSON.parse(a.body), {
        type: 'http://example.test/_opencomb/docs/errors.md#4050001', title: 'Method Not Allowed', status: 405, detail: 'Http method not allowed.',
        code: 4050001, message: 'Http method not allowed.', request_id: a.headers['request-id'],
      });
    });

    test('slow headers: 4080001 with a Request-Id at the client timeout', async () => {
      const conn = await RawConnection.open(server.url);
      await conn.write('GET /api/v1/secret-keys HTTP/1.1\r\nHost: x\r\nX-Slow: ');
      expectRawError(await conn.next(), 408, 4080001, 'Request timeout.');
      await conn.closed;
    });
  });

  describe('bodies over the limit', () => {
    test('a declared Content-Length over the limit is answered before the body is sent, and the connection closes', async () => {
      const a = await exchange(server.url, `POST /api/v1/secret-keys HTTP/1.1\r\nHost: x\r\n${auth()}Content-Type: application/json\r\nContent-Length: ${50 * 1024 * 1024}\r\n\r\n{"key_name":`);
      expectRawError(a, 400, 4000403, 'Invalid request body');
      assert.equal(a.headers.connection, 'close');
      await a.conn.closed;
    });

    test('media type is still judged first on a declared oversized body', async () => {
      const a = await exchange(server.url, `POST /api/v1/secret-keys HTTP/1.1\r\nHost: x\r\n${auth()}Content-Type: text/plain\r\nContent-Length: ${50 * 1024 * 1024}\r\n\r\n`);
      expectRawError(a, 415, 4150001, 'Unsupported media type.');
      await a.conn.closed;
    });

    test('a chunked body is cut at the limit: answered before it ends, and the connection closes', async () => {
      const conn = await RawConnection.open(server.url);
      await conn.write(`POST /api/v1/secret-keys HTTP/1.1\r\nHost: x\r\n${auth()}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
      const chunk = `${(16 * 1024).toString(16)}\r\n${'x'.repeat(16 * 1024)}\r\n`;
      const answered = conn.next();
      // Never the terminating chunk: the answer can only come from the limit.
      for (let sent = 0; sent <= LIMIT + 16 * 1024 && !conn.ended; sent += 16 * 1024) await conn.write(chunk);
      const a = await answered;
      expectRawError(a, 400, 4000403, 'Invalid request body');
      assert.equal(a.headers.connection, 'close');
      await conn.closed;
    });

    test('nothing is created by a refused oversized body', async () => {
      const list = await server.request('GET', '/api/v1/secret-keys', { token: user.token });
      assert.deepEqual(list.json.map((k: { name: string }) => k.name), ['continued']);
    });
  });

  describe('the body of a request answered early', () => {
    test('large and unsent (over the limit): answered at once, the connection closes instead of draining', async () => {
      const a = await exchange(server.url, `POST /api/v1/secret-keys HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${2000 * 1024 * 1024}\r\n\r\n`);
      expectRawError(a, 401, 4010001, 'Unauthorized user.');
      assert.equal(a.headers.connection, 'close');
      await a.conn.closed;
    });

    test('sent whole but never read: a large answer still arrives whole before the connection closes (20 of 20)', async () => {
      // The server closes such a connection after answering. Closing a socket with unread bytes in it makes
      // the kernel send a reset, which would throw away the part of the answer still on its way.
      const body = Buffer.alloc(4 * LIMIT, 'z');
      const expected = Buffer.byteLength((await server.request('GET', '/openapi.json')).text);
      assert.ok(expected > 100_000, 'an answer long enough to be still in flight');
      for (let i = 0; i < 20; i++) {
        const answer = await new Promise<{ status: number; length: number; connection: string | undefined }>((resolve, reject) => {
          const req = request(`${server.url}/openapi.json`, { method: 'GET', agent: false, headers: { 'content-length': body.length } }, (res) => {
            let length = 0;
            res.on('data', (chunk: Buffer) => (length += chunk.length));
            res.on('end', () => resolve({ status: res.statusCode!, length, connection: res.headers.connection }));
            res.on('error', reject);
          });
          req.on('error', reject);
          req.end(body);
        });
        assert.deepEqual(answer, { status: 200, length: expected, connection: 'close' }, `attempt ${i + 1}`);
      }
    });

    test('chunked and unfinished: the connection closes after the answer', async () => {
      const a = await exchange(server.url, 'POST /nowhere HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n');
      expectRawError(a, 404, 4040006, 'No such api.');
      assert.equal(a.headers.connection, 'close');
      await a.conn.closed;
    });

    test('small and sent: drained, and the connection serves the next request', async () => {
      const conn = await RawConnection.open(server.url);
      await conn.write('POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello');
      const first = await conn.next();
      expectRawError(first, 404, 4040006, 'No such api.');
      assert.notEqual(first.headers.connection, 'close');
      await conn.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      assert.equal((await conn.next()).status, 200);
      conn.close();
    });

    test('small but trickling: the drain ends at the client timeout, not when the client is done', async () => {
      const a = await exchange(server.url, 'POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nh');
      expectRawError(a, 404, 4040006, 'No such api.');
      // One byte every 100 ms keeps any idle timer from firing; only a bounded drain closes the connection
      // before the 100 declared bytes are all sent.
      let sent = 1;
      while (sent < 100 && !a.conn.ended) {
        await new Promise((r) => setTimeout(r, 100));
        if (await a.conn.write('x')) sent++;
      }
      await Promise.race([a.conn.closed, new Promise((r) => setTimeout(r, 1000))]);
      assert.ok(a.conn.ended && sent < 100, `the server kept draining (${sent} of 100 bytes sent, connection ${a.conn.ended ? 'closed' : 'open'})`);
    });
  });

  describe('request smuggling', () => {
    const smuggled = 'GET /api/v1/secret-keys HTTP/1.1\r\nHost: x\r\n\r\n';
    const attempts: Record<string, string> = {
      'Content-Length and Transfer-Encoding': `POST /api/v1/token HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${smuggled}`,
      'two different Content-Lengths': `POST /api/v1/token HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}${smuggled}`,
      'a Content-Length list': `POST /api/v1/token HTTP/1.1\r\nHost: x\r\nContent-Length: 2, 40\r\n\r\n{}${smuggled}`,
      'an obfuscated Transfer-Encoding': `POST /api/v1/token HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n${smuggled}`,
      'Transfer-Encoding with chunked not last': `POST /api/v1/token HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n${smuggled}`,
      'a bare LF chunk size line': `POST /api/v1/token HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\n\n${smuggled}`,
    };
    for (const [name, request] of Object.entries(attempts)) {
      test(`${name}: 4000001, the connection closes, the second request is not answered`, async () => {
        const a = await exchange(server.url, request);
        expectRawError(a, 400, 4000001, 'Invalid parameters.');
        await a.conn.closed;
        assert.equal(a.conn.rest(), '', 'nothing answered after the refusal');
      });
    }
  });
});
