/**
 * Operator state over replicas: fault rules and snapshots set through one replica are in force on all,
 * a reset drops every replica's caches, and reset or restore on one replica never meets another replica's
 * requests half-way (the store gate holds them all).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectError, type Res, type TestServer } from '../helpers/server.ts';
import { replicaSkip, startReplicas, type Replicas } from '../helpers/replicas.ts';

describe('operator state over replicas', { skip: replicaSkip }, () => {
  let replicas: Replicas;
  let a: TestServer;
  let b: TestServer;
  let c: TestServer;
  before(async () => {
    replicas = await startReplicas(3, { faultInjection: true });
    [a, b, c] = replicas.servers as [TestServer, TestServer, TestServer];
    for (const s of replicas.servers) s.faultsInstalledElsewhere();
  });
  after(() => replicas?.close());

  test('a fault rule installed on one replica answers on every replica; its count is the deployment\'s', async () => {
    const user = await a.newUser('faulty');
    const rule = await a.operator('POST', '/faults', { method: 'GET', path: '/api/v1/secret-keys', code: 5000001, count: 3 });
    assert.equal(rule.status, 201, rule.text);
    const answers = await Promise.all([a, b, c, a, b, c].map((s) => s.request('GET', '/api/v1/secret-keys', { token: user.token })));
    assert.equal(answers.filter((r) => r.status === 500).length, 3);
    for (const r of answers.filter((x) => x.status === 500)) expectError(r, 500, 5000001, 'Create container error.');
    assert.deepEqual((await c.operator('GET', '/faults')).json, [], 'used up everywhere');

    const always = await b.operator('POST', '/faults', { path: '/api/v1/cloud-volumes*', code: 4030009 });
    assert.deepEqual((await a.operator('GET', '/faults')).json, [always.json]);
    for (const s of [a, b, c]) expectError(await s.request('GET', '/api/v1/cloud-volumes', { token: user.token }), 403, 4030009, 'User status abnormal.');
    assert.equal((await c.operator('DELETE', `/faults/${always.json.id}`)).status, 200);
    for (const s of [a, b, c]) assert.equal((await s.request('GET', '/api/v1/cloud-volumes', { token: user.token })).status, 200);
  });

  test('a snapshot taken on one replica is restored through another, and seen by all', async () => {
    const user = await a.newUser('snapper');
    const taken = await a.operator('POST', '/snapshots');
    assert.equal(taken.status, 201, taken.text);
    assert.equal((await b.request('POST', '/api/v1/cloud-volumes', { token: user.token, body: { volume_name: 'later', size: 10 } })).status, 200);
    const restored = await b.operator('POST', `/snapshots/${taken.json.id}/restore`);
    assert.equal(restored.status, 200, restored.text);
    for (const s of [a, b, c]) assert.equal((await s.request('GET', '/api/v1/cloud-volumes', { token: user.token })).json.total, 0, s.url);
    assert.equal((await c.operator('DELETE', `/snapshots/${taken.json.id}`)).status, 200);
    expectError(await a.operator('DELETE', `/snapshots/${taken.json.id}`), 400, 4000001, 'Invalid parameters.');
  });

  test('a reset on one replica drops what every replica derived from the store (users\' default namespaces)', async () => {
    const before = await a.newUser('nsuser');
    assert.ok((await b.request('GET', '/api/v1/namespaces', { token: before.token })).json.namespaces.some((n: { display_name: string }) => n.display_name === 'default'));
    assert.equal((await a.operator('POST', '/reset')).status, 200);
    await a.newUser('first'); // the ids restart: the next users get the ids the old ones had
    const again = await a.newUser('nsuser');
    const listed = await b.request('GET', '/api/v1/namespaces', { token: again.token });
    assert.deepEqual(listed.json.namespaces.map((n: { display_name: string }) => n.display_name), ['default']);
  });

  test('resets on one replica under write traffic on the others: no answer outside the contract', async () => {
    let done = false;
    const answers: Res[] = [];
    const client = async (server: TestServer, name: string) => {
      let token: string | undefined;
      while (!done) {
        if (!token) {
          const created = await server.operator('POST', '/users', { user_name: name });
          answers.push(created);
          if (created.status !== 201) continue;
          const t = await server.request('POST', '/api/v1/token', { body: { app_key: created.json.app_key, app_secret: created.json.app_secret } });
          answers.push(t);
          token = t.status === 201 ? t.json.token : undefined;
          continue;
        }
        const r = await server.request('POST', '/api/v1/cloud-volumes', { token, body: { volume_name: `v${answers.length}`, size: 10 } });
        answers.push(r);
        if (r.status === 401) token = undefined;
      }
    };
    const clients = [client(b, 'writer1'), client(c, 'writer2'), client(b, 'writer3'), client(c, 'writer4')];
    const resets: Res[] = [];
    for (let i = 0; i < 6; i++) {
      const target = answers.length + 8;
      for (let j = 0; j < 1000 && answers.length < target; j++) await new Promise((r) => setTimeout(r, 5));
      resets.push(await a.operator('POST', '/reset'));
    }
    done = true;
    await Promise.all(clients);
    assert.deepEqual(resets.map((r) => r.status), [200, 200, 200, 200, 200, 200]);
    const unexpected = answers.filter((r) => r.status >= 500 || ![200, 201, 401, 409, 400].includes(r.status));
    assert.deepEqual(unexpected.map((r) => `${r.status} ${r.text}`), []);
    assert.ok(answers.filter((r) => r.status === 200).length > 0);
  });
});
