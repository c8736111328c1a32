import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { expectError, startTestServer, type TestServer, type TestUser } from '../helpers/server.ts';

interface Answer { status: number; head: string; body: string }

/** Writes `count` copies of `request` on one keep-alive connection at once and parses the answers. */
function pipelined(url: string, request: string, count: number): Promise<Answer[]> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const answers: Answer[] = [];
    let buffer = Buffer.alloc(0);
    const socket = net.connect(Number(port), hostname, () => socket.write(request.repeat(count)));
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end === -1) break;
        const head = buffer.subarray(0, end + 2).toString();
        const length = Number(/\r\nContent-Length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (buffer.length < end + 4 + length) break;
        answers.push({ status: Number(head.slice(9, 12)), head, body: buffer.subarray(end + 4, end + 4 + length).toString() });
        buffer = buffer.subarray(end + 4 + length);
      }
      if (answers.length === count) {
        socket.end();
        resolve(answers);
      }
    });
    socket.on('error', reject);
  });
}

describe('frequency limits', () => {
  let server: TestServer;
  let user: TestUser;
  before(async () => {
    server = await startTestServer('sqlite', { limits: { perUser: 0, privateKey: 300, perIp: 20 } });
    user = await server.newUser();
  });
  after(() => server.close());

  test('of 400 requests at once to the 300/s private-key budget, 300 ± 3 pass and the rest get 4030001 + Retry-After', async () => {
    const key = await server.request('POST', '/api/v1/secret-keys', { token: user.token, body: { key_name: 'burst' } });
    await new Promise((r) => setTimeout(r, 1100)); // start from a fresh one-second window
    const request = `GET /api/v1/secret-keys/${key.json.id} HTTP/1.1\r\nHost: x\r\nAuthorization: Token ${user.token}\r\n\r\n`;
    const started = performance.now();
    // 10 connections × 40 pipelined requests: all 400 are on the wire at once.
    const answers = (await Promise.all(Array.from({ length: 10 }, () => pipelined(server.url, request, 40)))).flat();
    const elapsed = (performance.now() - started) / 1000;
    assert.equal(answers.length, 400);
    const passed = answers.filter((a) => a.status === 200).length;
    // The bucket refills once per second: within one second exactly 300 pass. On a machine so loaded that
    // the burst took longer, each further second may admit up to 300 more, never fewer than 300 in all.
    const windows = Math.ceil(elapsed);
    assert.ok(passed >= 297 && passed <= 300 * windows + 3, `passed ${passed} in ${elapsed.toFixed(2)} s`);
    if (elapsed < 1) assert.ok(Math.abs(passed - 300) <= 3, `passed ${passed}`);
    for (const a of answers.filter((a) => a.status !== 200)) {
      assert.equal(a.status, 403);
      assert.match(a.head, /\r\nRetry-After: 1\r\n/);
      assert.match(a.head, /\r\nRequest-Id: [0-9a-f-]{36}\r\n/);
      assert.equal(a.body, '{"code":4030001,"message":"Api freq out of limit."}');
    }
    // Other endpoints of the same user are not charged to this endpoint's bucket.
    assert.equal((await server.request('GET', '/api/v1/secret-keys', { token: user.token })).status, 200);
  });

  test('the per-IP limit guards the token endpoint (20/s) and a throttled request issues no token', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const body = { app_key: user.app_key, app_secret: user.app_secret };
    const results = await Promise.all(Array.from({ length: 30 }, () => server.request('POST', '/api/v1/token', { body })));
    assert.equal(results.filter((r) => r.status === 201).length, 20);
    for (const r of results.filter((r) => r.status !== 201)) {
      expectError(r, 403, 4030001, 'Api freq out of limit.');
      assert.equal(r.headers.get('retry-after'), '1');
    }
    const { count } = await server.services.store.db.selectFrom('tokens').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    assert.equal(Number(count), 20 + 1, 'only the 20 admitted requests (and the user’s first) issued tokens');
  });
});

describe('per-user limit', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer('sqlite', { limits: { perUser: 5, privateKey: 0, perIp: 0 } });
  });
  after(() => server.close());

  test('counts per user, refuses with nothing changed, and ignores requests that fail authentication', async () => {
    const a = await server.newUser();
    const b = await server.newUser();
    await new Promise((r) => setTimeout(r, 1100));
    for (let i = 0; i < 10; i++) expectError(await server.request('GET', '/api/v1/secret-keys', { token: '0'.repeat(32) }), 401, 4010001, 'Unauthorized user.');
    for (let i = 0; i < 5; i++) assert.equal((await server.request('GET', '/api/v1/secret-keys', { token: a.token })).status, 200);
    const refused = await server.request('POST', '/api/v1/secret-keys', { token: a.token, body: { key_name: 'late' } });
    expectError(refused, 403, 4030001, 'Api freq out of limit.');
    assert.equal((await server.request('GET', '/api/v1/secret-keys', { token: b.token })).status, 200, 'another user has its own bucket');
    await new Promise((r) => setTimeout(r, 1100));
    assert.deepEqual((await server.request('GET', '/api/v1/secret-keys', { token: a.token })).json, [], 'the refused create left nothing');
  });
});
