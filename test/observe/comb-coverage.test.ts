/**
 * `comb admin coverage` run as a child process against a started server: the table, `--output json` (the
 * report itself), `--suggestions`, `--all`, thresholds and the exit code, `coverage clear`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertBuilt } from '../server/process.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { CombHome } from '../comb/run.ts';

describe('comb admin coverage', () => {
  let server: TestServer;
  let home: CombHome;
  before(async () => {
    assertBuilt();
    server = await startTestServer('sqlite', { faultInjection: true, operatorToken: 'cli-operator' });
    const user = await server.newUser();
    home = new CombHome({ COMB_ENDPOINT: server.url, COMB_OPERATOR_TOKEN: 'cli-operator' });
    await server.operator('DELETE', '/coverage');
    await server.request('GET', '/api/v1/secret-keys', { token: user.token });
    await server.request('GET', '/api/v1/secret-keys/404', { token: user.token });
  });
  after(async () => {
    home.remove();
    await server.close();
  });

  test('prints one row per operation called, then the totals; --output json is the report', async () => {
    const r = await home.run(['admin', 'coverage']);
    assert.equal(r.code, 0, r.stderr);
    const report = (await server.operator('GET', '/coverage')).json;
    const { operations, codes } = report.totals;
    assert.ok(r.stdout.endsWith(`\noperations 2/${operations.total} (${operations.percent}%), codes 1/${codes.declared} (${codes.percent}%)\n`), r.stdout);
    assert.match(r.stdout, /│ OPERATION +│ CALLS │ SUCCESSES │ CODES SEEN │ NEVER ANSWERED +│/);
    assert.match(r.stdout, /│ listSecretKeys +│ 1 +│ 1 +│ 0\/6 +│ 4010001 4030001 4040006 4050001 4080001 5000007 │/);
    assert.match(r.stdout, /│ getPrivateKey +│ 1 +│ 0 +│ 1\/7 +│/);
    assert.equal(r.stdout.split('\n').filter((l) => l.startsWith('│ ')).length, 3);
    assert.equal((await home.run(['admin', 'coverage', '--all'])).stdout.split('\n').filter((l) => l.startsWith('│ ')).length, 1 + operations.total);
    assert.deepEqual(await home.json(['admin', 'coverage']), report);
  });

  test('--suggestions lists the fault rule of each code never answered', async () => {
    const r = await home.run(['admin', 'coverage', '--suggestions']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /│ getPrivateKey +│ 4010001 │ Unauthorized user\. +│ \{"method":"GET","path":"\/api\/v1\/secret-keys\/\*","code":4010001,"count":1\} +│/);
    const report = (await server.operator('GET', '/coverage')).json;
    assert.equal(r.stdout.split('\n').filter((l) => l.startsWith('│ ')).length, 1 + report.totals.codes.declared - report.totals.codes.answered);
  });

  test('under a threshold the report is printed and the exit code is 1; met, it is 0; a bad percent is a usage error', async () => {
    const under = await home.run(['admin', 'coverage', '--min-operations', '1', '--min-codes', '90']);
    assert.equal(under.code, 1);
    const report = (await server.operator('GET', '/coverage')).json;
    assert.equal(under.stderr, `coverage thresholds not met: codes ${report.totals.codes.percent}% < 90%\n`);
    assert.match(under.stdout, /\noperations 2\/\d+ \([\d.]+%\), codes 1\/\d+ \([\d.]+%\), thresholds NOT met\n$/);
    const json = await home.run(['admin', 'coverage', '--min-codes', '90', '--output', 'json']);
    assert.deepEqual([json.code, JSON.parse(json.stdout).met], [1, false]);
    assert.equal((await home.run(['admin', 'coverage', '--min-operations', '1', '--min-codes', '5'])).code, 0);
    const bad = await home.run(['admin', 'coverage', '--min-codes', '120']);
    assert.deepEqual([bad.code, bad.stderr], [2, '--min-codes: a percent from 0 to 100, not 120\n']);
    const md = await home.run(['admin', 'coverage', '--format', 'md', '--min-codes', '90']);
    assert.equal(md.code, 1);
    assert.match(md.stdout, /^# Error-path coverage\n[\s\S]*^Thresholds \(codes ≥ 90%\): NOT met$/m);
  });

  test('coverage clear starts counting afresh; without the operator token the server refuses', async () => {
    const denied = await home.run(['admin', 'coverage'], { COMB_OPERATOR_TOKEN: 'wrong' });
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /^4010001 Unauthorized user\. \(request [0-9a-f-]{36}\)\n$/);
    assert.deepEqual(await home.run(['admin', 'coverage', 'clear']), { code: 0, stdout: 'coverage counts cleared\n', stderr: '' });
    assert.equal((await server.operator('GET', '/coverage')).json.totals.operations.exercised, 0);
  });
});
