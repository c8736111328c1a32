import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('beta web hook: per-IP limit (no token)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer('sqlite', { limits: { perUser: 0, privateKey: 0, perIp: 2 } });
  });
  after(() => server.close());

  it('20 calls at once from one address with a budget of 2 per second: the excess answers 4030001 + Retry-After', async () => {
    const path = '/api/v1/hooks/app/0123456789abcdef0123456789abcdef';
    const answers = await Promise.all(Array.from({ length: 20 }, () => server.request('POST', path)));
    const limited = answers.filter((r) => r.status === 403);
    assert.ok(limited.length >= 1 && limited.length <= 18, `${limited.length} of 20 were limited`);
    for (const r of limited) {
      assert.deepEqual(r.json, { code: 4030001, message: 'Api freq out of limit.' });
      assert.equal(r.headers.get('retry-after'), '1');
    }
    for (const r of answers.filter((a) => a.status !== 403)) assert.deepEqual([r.status, r.json], [404, { code: 4040003, message: 'No such app.' }]);
  });
});
