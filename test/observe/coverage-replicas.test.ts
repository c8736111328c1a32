/**
 * Replicas (test/helpers/replicas.ts: one PostgreSQL database, one Redis) count coverage together: a report
 * asked of any replica counts the answers every replica gave, and a clear on one clears them all.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { replicaSkip, startReplicas, type Replicas } from '../helpers/replicas.ts';
import type { TestUser } from '../helpers/server.ts';

const calls = (report: any, operation: string) => {
  const op = report.operations.find((o: any) => o.operation === operation);
  return { calls: op.calls, successes: op.successes, codes: Object.fromEntries(op.codes.filter((c: any) => c.count).map((c: any) => [c.code, c.count])) };
};

describe('error-path coverage across replicas', { skip: replicaSkip }, () => {
  let replicas: Replicas;
  let user: TestUser;
  before(async () => {
    replicas = await startReplicas(2, { faultInjection: true });
    user = await replicas.next().newUser('alice');
  });
  after(() => replicas?.close());

  test('each replica reports the answers of both, exactly, at once', async () => {
    await replicas.next().operator('DELETE', '/coverage');
    for (let i = 0; i < 10; i++) await replicas.next().request('GET', '/api/v1/secret-keys', { token: user.token });
    for (let i = 0; i < 4; i++) await replicas.next().request('GET', `/api/v1/secret-keys/${1000 + i}`, { token: user.token });
    await replicas.next().request('GET', '/api/v1/secret-keys/1', { token: user.token, headers: { 'x-opencomb-fault': '5000007' } });
    await replicas.next().request('GET', '/nowhere');
    for (const server of replicas.servers) {
      const report = (await server.operator('GET', '/coverage')).json;
      assert.deepEqual(calls(report, 'listSecretKeys'), { calls: 10, successes: 10, codes: {} }, server.url);
      assert.deepEqual(calls(report, 'getPrivateKey'), { calls: 5, successes: 0, codes: { 4040005: 4, 5000007: 1 } }, server.url);
      assert.equal(report.operations.find((o: any) => o.operation === 'getPrivateKey').codes.find((c: any) => c.code === 5000007).injected, 1);
      assert.deepEqual(report.unrouted, { calls: 1, codes: [{ code: 4040006, message: 'No such api.', count: 1, injected: 0 }] });
    }
  });

  test('a suggestion read on one replica, applied and answered on the other, is counted in the report of the first', async () => {
    const report = (await replicas.servers[0]!.operator('GET', '/coverage')).json;
    const suggestion = report.operations.find((o: any) => o.operation === 'listSecretKeys').suggestions.find((s: any) => s.code === 4080001);
    assert.equal((await replicas.servers[1]!.operator('POST', '/faults', suggestion.fault)).status, 201);
    const answer = await replicas.servers[1]!.request('GET', '/api/v1/secret-keys', { token: user.token });
    assert.equal(answer.json.code, 4080001);
    const after = (await replicas.servers[0]!.operator('GET', '/coverage')).json;
    assert.deepEqual(calls(after, 'listSecretKeys').codes, { 4080001: 1 });
  });

  test('DELETE /_opencomb/coverage on one replica, or a reset, clears the counts of both', async () => {
    assert.equal((await replicas.servers[1]!.operator('DELETE', '/coverage')).status, 200);
    for (const server of replicas.servers) assert.equal((await server.operator('GET', '/coverage')).json.totals.operations.exercised, 0);
    await replicas.servers[0]!.request('GET', '/api/v1/secret-keys', { token: user.token });
    await replicas.servers[1]!.request('GET', '/api/v1/secret-keys', { token: user.token });
    assert.equal(calls((await replicas.servers[1]!.operator('GET', '/coverage')).json, 'listSecretKeys').calls, 2);
    assert.equal((await replicas.servers[0]!.operator('POST', '/reset')).status, 200);
    for (const server of replicas.servers) assert.equal((await server.operator('GET', '/coverage')).json.totals.operations.exercised, 0);
  });
});
