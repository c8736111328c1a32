import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateLimiter } from '../../src/http/limits.ts';

test('a bucket admits exactly `rate` takes per one-second window, then refills', () => {
  let now = 0;
  const limiter = new RateLimiter(() => now);
  const burst = (n: number) => Array.from({ length: n }, () => limiter.take('k', 300)).filter(Boolean).length;
  assert.equal(burst(400), 300);
  now = 999;
  assert.equal(burst(10), 0);
  now = 1000;
  assert.equal(burst(400), 300);
  assert.equal(limiter.take('other', 1), true, 'keys are independent');
  assert.equal(limiter.take('other', 1), false);
  assert.equal(limiter.take('free', 0), true, 'rate 0 is unlimited');
  limiter.reset();
  assert.equal(limiter.take('other', 1), true);
});
