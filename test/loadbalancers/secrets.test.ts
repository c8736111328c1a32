import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { pino } from 'pino';
import { startServer, type RunningServer } from '../../src/app.ts';
import { testConfig } from '../helpers/server.ts';
import { selfSigned } from './certs.ts';
import { CERTS } from './helpers.ts';

/** Private keys never reach the log, at the most verbose level, on success, refusal or failure. */
describe('load-balancer certificates: private keys are never logged (sqlite)', () => {
  let running: RunningServer;
  let dataDir: string;
  let logged = '';

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'opencomb-lb-secrets-'));
    const sink = new Writable({ write(chunk, _enc, done) { logged += String(chunk); done(); } });
    running = await startServer(testConfig({ dataDir, operatorToken: undefined }), pino({ level: 'trace' }, sink));
  });
  after(async () => {
    await running.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('uploads, refusals and internal failures log no key material', async () => {
    const post = async (path: string, body: unknown, token?: string) => {
      const r = await fetch(running.url + path, {
        method: 'POST', body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Token ${token}` } : {}) },
      });
      return { status: r.status, json: await r.json().catch(() => undefined) };
    };
    const user = (await post('/_opencomb/users', { user_name: 'keeper' })).json;
    const token = (await post('/api/v1/token', { app_key: user.app_key, app_secret: user.app_secret })).json.token;
    const pair = selfSigned();
    const other = selfSigned();
    assert.equal((await post(CERTS, { name: 'ok', pubCert: pair.cert, priKey: pair.key }, token)).status, 200);
    assert.equal((await post(CERTS, { name: 'mismatch', pubCert: pair.cert, priKey: other.key }, token)).status, 400);
    await sql`drop table nlb_certs`.execute(running.services.store.db);
    assert.equal((await post(CERTS, { name: 'broken', pubCert: pair.cert, priKey: pair.key }, token)).status, 500);
    assert.ok(/"level":50[^\n]*no such table: nlb_certs/.test(logged), 'the internal failure was logged (with its detail)');
    const keyBody = (pem: string) => pem.split('\n').filter((l) => l && !l.startsWith('-----'));
    for (const line of [...keyBody(pair.key), ...keyBody(other.key)]) assert.ok(!logged.includes(line), 'a line of a private key was logged');
    assert.ok(!logged.includes('PRIVATE KEY'));
  });
});
