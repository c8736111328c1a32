/**
 * Logs that trace: one line per request at the default level (4xx and 5xx included) carrying what finds the
 * request again, JSON by default, a readable form on demand; secrets never logged at any level.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { before, describe, test } from 'node:test';
import { pino } from 'pino';
import { entries } from '../../src/catalog/index.ts';
import { loggerOptions } from '../../src/logging.ts';
import { assertBuilt, startCli, stop, type Proc } from './process.ts';

const KEY = 'a'.repeat(32);
const SECRET = 'b'.repeat(32);
const pair = { OPENCOMB_ACCESS_KEY: KEY, OPENCOMB_ACCESS_SECRET: SECRET };

async function call(p: Proc, method: string, path: string, opts: { body?: unknown; headers?: Record<string, string> } = {}) {
  const r = await fetch(p.url + path, {
    method, headers: { ...(opts.body ? { 'content-type': 'application/json' } : {}), ...opts.headers }, body: opts.body ? JSON.stringify(opts.body) : undefined,
  });
  const text = await r.text();
  return { status: r.status, id: r.headers.get('request-id')!, json: text ? JSON.parse(text) : undefined };
}

async function tokenOf(p: Proc): Promise<string> {
  return (await call(p, 'POST', '/api/v1/token', { body: { app_key: KEY, app_secret: SECRET } })).json.token;
}

/** Every stdout line, parsed: each one must be a JSON object. */
function jsonLines(p: Proc): Array<Record<string, any>> {
  return p.stdout().split('\n').filter(Boolean).map((line) => {
    try {
      return JSON.parse(line);
    } catch {
      assert.fail(`not a JSON line: ${line}`);
    }
  });
}

/** The stdout is written by the server after it answered: wait (bounded) until the request's line is there. */
async function lineOf(p: Proc, requestId: string): Promise<Record<string, any>> {
  for (let i = 0; i < 100; i++) {
    const found = jsonLines(p).filter((l) => l.requestId === requestId);
    if (found.length > 0) {
      assert.equal(found.length, 1, `one line per request: ${JSON.stringify(found)}`);
      return found[0]!;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`no log line for request ${requestId}:\n${p.stdout()}`);
}

describe('request logs', () => {
  before(assertBuilt);

  test('default level, JSON: one line per request with id, method, route, status, code, param and duration', async () => {
    const fault = entries.find((e) => e.status === 500)!;
    const p = await startCli(['--port', '0', '--db', ':memory:', '--fault-injection'], { ...pair, OPENCOMB_LOG_LEVEL: '' });
    try {
      const token = await tokenOf(p);
      const ok = await call(p, 'GET', '/healthz');
      const unknown = await call(p, 'GET', '/api/v1/nothing?x=1');
      const missing = await call(p, 'POST', '/api/v1/repositories', { body: {}, headers: { authorization: `Token ${token}`, accept: 'application/problem+json' } });
      const failed = await call(p, 'GET', '/api/v1/secret-keys', { headers: { authorization: `Token ${token}`, 'x-opencomb-fault': String(fault.code) } });
      assert.deepEqual([ok.status, unknown.status, missing.status, failed.status], [200, 404, 400, 500]);
      assert.ok(missing.json.param, 'the answer names the failing field');

      const pick = ({ level, requestId, method, route, path, status, code, param, msg }: Record<string, any>) => ({ level, requestId, method, route, path, status, code, param, msg });
      assert.deepEqual(pick(await lineOf(p, ok.id)), { level: 30, requestId: ok.id, method: 'GET', route: '/healthz', path: undefined, status: 200, code: undefined, param: undefined, msg: 'GET /healthz 200' });
      assert.deepEqual(pick(await lineOf(p, unknown.id)), { level: 30, requestId: unknown.id, method: 'GET', route: undefined, path: '/api/v1/nothing', status: 404, code: 4040006, param: undefined, msg: 'GET /api/v1/nothing 404 4040006' });
      assert.deepEqual(pick(await lineOf(p, missing.id)), {
        level: 30, requestId: missing.id, method: 'POST', route: '/api/v1/repositories', path: undefined, status: missing.status, code: missing.json.code, param: missing.json.param,
        msg: `POST /api/v1/repositories ${missing.status} ${missing.json.code}`,
      });
      const error = await lineOf(p, failed.id);
      assert.deepEqual(pick(error), { level: 50, requestId: failed.id, method: 'GET', route: '/api/v1/secret-keys', path: undefined, status: 500, code: fault.code, param: undefined, msg: `GET /api/v1/secret-keys 500 ${fault.code}` });
      assert.ok(error.err, 'a 5xx line carries what failed');
      for (const id of [ok.id, unknown.id, missing.id, failed.id]) assert.equal(typeof (await lineOf(p, id)).durationMs, 'number');

      // Start-up lines are in the same format; a tool reads the URL up to the first space.
      const listening = jsonLines(p).find((l) => String(l.msg).startsWith('listening on '))!;
      assert.equal(/http:\/\/[^ ]*/.exec(JSON.stringify(listening))![0], p.url);
    } finally {
      await stop(p);
    }
  });

  test('--log-format pretty: readable lines, start-up and requests alike', async () => {
    const p = await startCli(['--port', '0', '--db', ':memory:', '--log-format', 'pretty', '--log-level', 'info'], pair);
    try {
      const ok = await call(p, 'GET', '/healthz');
      assert.equal(ok.status, 200);
      for (let i = 0; i < 100 && !p.stdout().includes('GET /healthz 200'); i++) await new Promise((r) => setTimeout(r, 20));
      const lines = p.stdout().split('\n').filter(Boolean);
      for (const line of lines) assert.throws(() => JSON.parse(line), `a JSON line in pretty mode: ${line}`);
      assert.ok(lines.some((l) => /INFO.*: listening on http:\/\/127\.0\.0\.1:\d+ \(store sqlite::memory:\)/.test(l)), lines.join('\n'));
      const request = lines.find((l) => l.includes('GET /healthz 200'));
      assert.ok(request?.includes(ok.id), `the request line names its id: ${request}`);
    } finally {
      await stop(p);
    }
  });

  for (const level of ['info', 'debug', 'trace']) {
    test(`no secret in clear at level ${level}: query values, Authorization, bodies`, async () => {
      const marks = ['QSECRET1', 'QSECRET2', 'HSECRET3'];
      const p = await startCli(['--port', '0', '--db', ':memory:', '--log-level', level], pair);
      try {
        const token = await tokenOf(p);
        const queried = await call(p, 'GET', `/api/v1/secret-keys?app_secret=${marks[0]}&token=${marks[1]}`, { headers: { authorization: `Token ${token}` } });
        await call(p, 'GET', '/api/v1/nothing?access=QSECRET1', { headers: { authorization: `Token ${marks[2]}` } });
        const line = await lineOf(p, queried.id);
        if (level !== 'info') assert.equal(line.url, '/api/v1/secret-keys?app_secret=[redacted]&token=[redacted]', 'the target is kept, its query values are not');
        await stop(p);
        for (const secret of [...marks, SECRET, token]) assert.equal(p.out().includes(secret), false, `${secret} logged in clear:\n${p.out()}`);
      } finally {
        p.child.kill('SIGKILL');
      }
    });
  }

  test('a client that leaves in the middle of its body: one info line, no error and no stack', async () => {
    const p = await startCli(['--port', '0', '--db', ':memory:'], { ...pair, OPENCOMB_LOG_LEVEL: '' });
    try {
      const { port } = new URL(p.url);
      const socket = connect(Number(port), '127.0.0.1');
      await once(socket, 'connect');
      socket.write('POST /api/v1/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"app_key":');
      await new Promise((r) => setTimeout(r, 100));
      socket.destroy();
      let gone: Record<string, any> | undefined;
      for (let i = 0; i < 100 && !gone; i++) {
        gone = jsonLines(p).find((l) => l.msg === 'client closed the connection before its request was read');
        if (!gone) await new Promise((r) => setTimeout(r, 20));
      }
      assert.ok(gone, `the departure is logged:\n${p.stdout()}`);
      assert.equal(gone.level, 30);
      assert.match(gone.requestId, /^[0-9a-f-]{36}$/);
      assert.equal(gone.route, '/api/v1/token');
      assert.deepEqual(jsonLines(p).filter((l) => l.level >= 50 || l.err), [], 'nothing is logged as our failure');
      assert.equal((await call(p, 'POST', '/api/v1/token', { body: { app_key: KEY, app_secret: SECRET } })).status, 201);
    } finally {
      await stop(p);
    }
  });

  test('fields that carry secrets are censored wherever a handler logs them', () => {
    let out = '';
    const sink = new Writable({ write(chunk, _enc, done) { out += chunk; done(); } });
    const log = pino(loggerOptions('trace'), sink);
    log.trace({
      authorization: 'S1', token: 'S2', app_secret: 'S3', password: 'S4', query: 'S5',
      req: { headers: { authorization: 'S6', cookie: 'S7' } }, body: { app_secret: 'S8', token: 'S9' },
      url: '/api/v1/x?key=S10&flag', user_name: 'visible',
    }, 'handler detail');
    const line = JSON.parse(out);
    for (let i = 1; i <= 10; i++) assert.equal(out.includes(`S${i}"`) || out.includes(`S${i}&`), false, `S${i} in clear: ${out}`);
    assert.equal(line.url, '/api/v1/x?key=[redacted]&[redacted]');
    assert.equal(line.user_name, 'visible');
    assert.equal(line.req.headers.authorization, '[redacted]');
  });
});
