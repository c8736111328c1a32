/** Operator fault rules (src/operator/faults.ts): matching, probability, count. Over HTTP: test/http-core.test.ts. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FaultRules } from '../../src/operator/faults.ts';

describe('fault rules', () => {
  test('path patterns: "*" matches any run of characters, everything else literally', () => {
    const rules = new FaultRules();
    rules.add({ method: 'GET', path: '/api/v1/secret-keys/*', code: 4040005, count: null, probability: 1 });
    assert.equal(rules.match('GET', '/api/v1/secret-keys/5'), 'NO_SUCH_SECRET_KEY');
    assert.equal(rules.match('GET', '/api/v1/secret-keys'), undefined);
    assert.equal(rules.match('DELETE', '/api/v1/secret-keys/5'), undefined);
    rules.clear();
    rules.add({ method: '*', path: '/api/v1/a.b', code: 5000007, count: null, probability: 1 });
    assert.equal(rules.match('POST', '/api/v1/axb'), undefined, 'a dot is not a wildcard');
    assert.equal(rules.match('POST', '/api/v1/a.b'), 'NCE_INTERNAL_SERVER_ERROR');
  });

  test('probability decides per request; a count is used only by requests that fail', () => {
    const draws = [0.7, 0.3, 0.9, 0.1];
    const rules = new FaultRules(() => draws.shift()!);
    const rule = rules.add({ method: '*', path: '*', code: 5000007, count: 2, probability: 0.5 });
    assert.deepEqual([1, 2, 3, 4].map(() => rules.match('GET', '/x')), [undefined, 'NCE_INTERNAL_SERVER_ERROR', undefined, 'NCE_INTERNAL_SERVER_ERROR']);
    assert.deepEqual(rules.list(), [], 'used up');
    assert.equal(rules.delete(rule.id), false);
  });

  test('the oldest matching rule answers; ids restart after clear', () => {
    const rules = new FaultRules();
    const first = rules.add({ method: '*', path: '*', code: 4000001, count: 1, probability: 1 });
    rules.add({ method: '*', path: '*', code: 4000002, count: null, probability: 1 });
    assert.equal(rules.match('GET', '/'), 'INVALID_PARAMETERS');
    assert.equal(rules.match('GET', '/'), 'MISSING_PARAMETERS');
    assert.equal(first.id, 1);
    rules.clear();
    assert.equal(rules.add({ method: '*', path: '*', code: 4000001, count: null, probability: 1 }).id, 1);
  });
});
