/**
 * The server as an operator runs it: `npm start` as a child process, flags and environment, first-start
 * credentials, HTTPS, persistence across restarts, secrets at rest, graceful shutdown.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

const root = new URL('../..', import.meta.url).pathname;

interface Proc { child: ChildProcess; url: string; out: () => string; exit: Promise<number | null> }

function startCli(args: string[], env: Record<string, string> = {}): Promise<Proc> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: root, env: { ...process.env, OPENCOMB_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 20_000);
    child.stdout!.on('data', () => {
      const m = /listening on (https?:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, out: () => out, exit });
      }
    });
    exit.then((code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

async function stop(p: Proc): Promise<number | null> {
  p.child.kill('SIGTERM');
  return p.exit;
}

async function post(url: string, body: unknown, token?: string) {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Token ${token}` } : {}) }, body: JSON.stringify(body) });
  return { status: r.status, json: await r.json() as any };
}

describe('command line', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'opencomb-cli-'));
    dirs.push(d);
    return d;
  };
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  test('first start prints a generated pair once; data persists across restarts; secrets are not stored in clear', async () => {
    const data = tempDir();
    const first = await startCli(['--port', '0', '--data', data]);
    assert.match(first.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const m = /created user admin: OPENCOMB_ACCESS_KEY=([0-9a-f]{32}) OPENCOMB_ACCESS_SECRET=([0-9a-f]{32})/.exec(first.out());
    assert.ok(m, first.out());
    const [, key, secret] = m;
    const token = (await post(`${first.url}/api/v1/token`, { app_key: key, app_secret: secret })).json.token as string;
    const created = await post(`${first.url}/api/v1/secret-keys`, { key_name: 'persisted' }, token);
    assert.equal(created.status, 201);
    const pem = await (await fetch(`${first.url}/api/v1/secret-keys/${created.json.id}`, { headers: { authorization: `Token ${token}` } })).text();
    assert.equal(await stop(first), 0, 'SIGTERM exits cleanly');

    for (const file of readdirSync(data).filter((f) => f.startsWith('opencomb.db'))) {
      const bytes = readFileSync(join(data, file));
      for (const needle of [secret!, token, pem.split('\n')[1]!]) assert.equal(bytes.includes(needle), false, `${file} holds a secret in clear`);
    }

    const second = await startCli(['--port', '0', '--data', data]);
    assert.doesNotMatch(second.out(), /created user/, 'the pair is printed only on the first start');
    const list = await fetch(`${second.url}/api/v1/secret-keys`, { headers: { authorization: `Token ${token}` } });
    assert.equal(list.status, 200, 'the token survives a restart');
    assert.deepEqual((await list.json() as Array<{ name: string }>).map((k) => k.name), ['persisted']);
    assert.equal(await stop(second), 0);
  });

  test('OPENCOMB_ACCESS_KEY/SECRET/USER provision that pair; --host and --port are honoured', async () => {
    const data = tempDir();
    const env = { OPENCOMB_ACCESS_KEY: 'a'.repeat(32), OPENCOMB_ACCESS_SECRET: 'b'.repeat(32), OPENCOMB_USER: 'ci' };
    const p = await startCli(['--port', '0', '--host', '127.0.0.1', '--data', data], env);
    assert.doesNotMatch(p.out(), /created user/);
    const r = await post(`${p.url}/api/v1/token`, { app_key: 'a'.repeat(32), app_secret: 'b'.repeat(32) });
    assert.equal(r.status, 201);
    await stop(p);
    const again = await startCli(['--port', '0', '--data', data], { ...env, OPENCOMB_ACCESS_SECRET: 'c'.repeat(32) });
    assert.equal((await post(`${again.url}/api/v1/token`, { app_key: 'a'.repeat(32), app_secret: 'b'.repeat(32) })).status, 401, 'a changed secret replaces the old one');
    assert.equal((await post(`${again.url}/api/v1/token`, { app_key: 'a'.repeat(32), app_secret: 'c'.repeat(32) })).status, 201);
    await stop(again);
  });

  test('--tls-cert/--tls-key serve HTTPS', async () => {
    const dir = tempDir();
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const p = await startCli(['--port', '0', '--data', join(dir, 'data'), '--tls-cert', join(dir, 'cert.pem'), '--tls-key', join(dir, 'key.pem')]);
    assert.match(p.url, /^https:\/\//);
    const answer = await new Promise<{ status: number; body: string; id: string }>((resolve, reject) => {
      https.get(`${p.url}/api/v1/nothing`, { rejectUnauthorized: false }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d)).on('end', () => resolve({ status: res.statusCode!, body, id: String(res.headers['request-id']) }));
      }).on('error', reject);
    });
    assert.deepEqual({ status: answer.status, body: answer.body }, { status: 404, body: '{"code":4040006,"message":"No such api."}' });
    assert.match(answer.id, /^[0-9a-f-]{36}$/);
    await stop(p);
  });

  test('a bad flag stops the start with a message', async () => {
    await assert.rejects(startCli(['--port', 'abc']), /port must be a non-negative number/);
    await assert.rejects(startCli(['--tls-cert', 'x']), /--tls-cert and --tls-key go together/);
  });
});
