/**
 * The operator token guards /_opencomb and is compared in constant time (hashed, then timingSafeEqual),
 * like Access Secrets. Timing cannot be asserted in a test, so besides the guard's behaviour this checks
 * the source: no comparison of the operator token with `===`/`!==` may come back.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sameSecret } from '../../src/http/secrets.ts';
import { expectError, startTestServer, type TestServer } from '../helpers/server.ts';

const TOKEN = 'op-secret';

describe('operator token', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer('sqlite', { operatorToken: TOKEN });
  });
  after(() => server.close());

  test('only the exact bearer token opens the operator API', async () => {
    const call = (authorization?: string) => server.request('POST', '/_opencomb/clock', { body: { advance_seconds: 0 }, headers: authorization === undefined ? {} : { authorization } });
    for (const wrong of [undefined, '', 'Bearer', `Bearer ${TOKEN.slice(0, -1)}`, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.toUpperCase()}`, `bearer ${TOKEN}`, TOKEN, `Bearer  ${TOKEN}`]) {
      expectError(await call(wrong), 401, 4010001, 'Unauthorized user.');
    }
    assert.equal((await call(`Bearer ${TOKEN}`)).status, 200);
  });

  test('sameSecret: equal strings only, whatever their lengths', () => {
    assert.equal(sameSecret('Bearer abc', 'Bearer abc'), true);
    assert.equal(sameSecret('Bearer abd', 'Bearer abc'), false);
    assert.equal(sameSecret('Bearer ab', 'Bearer abc'), false);
    assert.equal(sameSecret('', 'Bearer abc'), false);
    assert.equal(sameSecret('Bearer 密钥', 'Bearer 密钥'), true);
  });

  test('the source compares the operator token only through sameSecret', () => {
    const files = (readdirSync('src', { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
    const uses = files.flatMap((f) => readFileSync(join('src', f), 'utf8').split('\n').filter((l) => l.includes('operatorToken') && /[!=]==|[!=]=[^=]/.test(l)).map((l) => `${f}: ${l.trim()}`));
    assert.deepEqual(uses, [], 'the operator token is compared with an equality operator');
    const checks = files.flatMap((f) => readFileSync(join('src', f), 'utf8').split('\n').filter((l) => /sameSecret\(.*operatorToken/.test(l)));
    assert.ok(checks.length > 0, 'the operator guard uses sameSecret');
  });
});
