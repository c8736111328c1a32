/**
 * The test clock cannot be moved to a time that is not a valid one: `advance_seconds` has a documented
 * maximum (docs/operator.md), and the clock itself refuses any move past 9999-12-31T23:59:59Z, so no
 * sequence of advances leaves the server answering 500 "Invalid time value".
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Clock, LATEST_TIME_MS, MAX_ADVANCE_SECONDS, TimeOutOfRange } from '../../src/clock.ts';
import { expectError, startTestServer, STORES, type TestServer } from '../helpers/server.ts';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

for (const store of STORES) {
  describe(`clock advance bound (${store})`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(store);
    });
    after(() => server.close());

    test('an advance over the maximum is 4000001 and moves nothing; the server keeps working', async () => {
      const user = await server.newUser('clock');
      const before = await server.advance(0);
      for (const advance_seconds of [9e12, MAX_ADVANCE_SECONDS + 1, 1e308]) {
        expectError(await server.operator('POST', '/clock', { advance_seconds }), 400, 4000001, 'Invalid parameters.');
      }
      const now = await server.advance(0);
      assert.ok(Date.parse(now) - Date.parse(before) < 60_000, `the clock did not move (${before} → ${now})`);
      const token = await server.request('POST', '/api/v1/token', { body: { app_key: user.app_key, app_secret: user.app_secret } });
      assert.equal(token.status, 201, token.text);
    });

    test('the maximum itself is accepted: ten years ahead, a valid time', async () => {
      const before = Date.parse(await server.advance(0));
      const now = await server.advance(MAX_ADVANCE_SECONDS);
      assert.match(now, ISO);
      assert.ok(Date.parse(now) - before >= MAX_ADVANCE_SECONDS * 1000);
      assert.equal((await server.request('GET', '/api/v1/secret-keys', { token: (await server.newUser('later')).token })).status, 200);
    });
  });
}

describe('the clock never passes 9999-12-31T23:59:59Z', () => {
  test('advancing stops at the last valid time and the clock still reads a four-digit-year time', async () => {
    const clock = new Clock();
    let refused = false;
    for (let i = 0; i < 1000 && !refused; i++) {
      try {
        await clock.advance(MAX_ADVANCE_SECONDS);
      } catch (err) {
        assert.ok(err instanceof TimeOutOfRange);
        refused = true;
      }
    }
    assert.ok(refused, 'the clock refused to move past its last valid time');
    assert.ok(clock.now().getTime() <= LATEST_TIME_MS);
    assert.match(clock.iso(), ISO);
    await assert.rejects(clock.advance(Infinity), TimeOutOfRange);
    await assert.rejects(clock.advance(Number.NaN), TimeOutOfRange);
    assert.match(clock.iso(), ISO);
  });
});
