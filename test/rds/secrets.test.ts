import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { startServer, type RunningServer } from '../../src/app.ts';
import { testConfig } from '../helpers/server.ts';

/** Account passwords travel in query strings (rds.md); they must never reach a log line. */
describe('RDS passwords are never logged', () => {
  let running: RunningServer;
  let dataDir: string;
  const lines: string[] = [];

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'opencomb-test-'));
    const sink = new Writable({ write(chunk, _encoding, done) { lines.push(String(chunk)); done(); } });
    running = await startServer(testConfig({ dataDir, bootstrap: { user: 'admin', accessKey: 'a'.repeat(32), accessSecret: 'b'.repeat(32) } }), pino({ level: 'trace' }, sink));
  });
  after(async () => {
    await running.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a request carrying account_password (answered or refused) logs its URL without the password', async () => {
    const t = await fetch(`${running.url}/api/v1/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ app_key: 'a'.repeat(32), app_secret: 'b'.repeat(32) }) });
    const { token } = await t.json() as { token: string };
    const headers = { authorization: `Token ${token}`, 'content-type': 'application/json' };
    const call = (method: string, path: string, body?: unknown) => fetch(`${running.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    assert.equal((await call('POST', '/api/v1/rds/instances', { instance_name: 'my-rds', engine_version: '5.6.19', cpu: 1, memory: 2, disk_size: 20, port: 3309 })).status, 200);
    assert.equal((await call('POST', '/_opencomb/clock', { advance_seconds: 5 })).status, 200);
    assert.equal((await call('POST', '/api/v1/rds/accounts/my-rds?account_name=u1&account_password=Sup3rSecretPw&ip_list=%25')).status, 200);
    assert.equal((await call('PUT', '/api/v1/rds/accounts/my-rds/u1?account_password=An0therSecret&x=1')).status, 200);
    assert.equal((await call('PUT', '/api/v1/rds/accounts/nope/u1?account_password=Th1rdSecret')).status, 404);
    const log = lines.join('');
    assert.ok(log.includes('/api/v1/rds/accounts/my-rds'), 'the requests were logged');
    for (const secret of ['Sup3rSecretPw', 'An0therSecret', 'Th1rdSecret']) assert.ok(!log.includes(secret), `${secret} reached the log`);
  });
});
