/** The beta API's watch over replicas: a change committed on one replica answers a watcher waiting on another. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { legacyDomain } from '../../src/domains/legacy/index.ts';
import { appBody } from '../legacy/helpers.ts';
import { replicaSkip, startReplicas, type Replicas } from '../helpers/replicas.ts';
import type { TestServer } from '../helpers/server.ts';

async function waiting(server: TestServer, n: number): Promise<void> {
  const feed = legacyDomain(server.running.modules).feed;
  for (let i = 0; i < 2000 && feed.size !== n; i++) await new Promise((r) => setTimeout(r, 5));
  assert.equal(feed.size, n, 'watchers waiting on the change feed');
}

describe('watch over replicas', { skip: replicaSkip }, () => {
  let replicas: Replicas;
  before(async () => {
    replicas = await startReplicas(3);
  });
  after(() => replicas?.close());

  test('a resize on one replica, settled there, wakes the watcher waiting on another', async () => {
    const [acting, , watching] = replicas.servers as [TestServer, TestServer, TestServer];
    const alice = await acting.newUser('alice');
    const created = await acting.request('POST', '/api/v1/apps', { token: alice.token, body: appBody('watched', { domain: undefined, replicas: 2 }) });
    assert.equal(created.status, 200, created.text);
    await acting.advance(1);
    const pending = watching.request('GET', `/api/v1/watch/apps/${created.json.id}`, { token: alice.token });
    await waiting(watching, 1);
    assert.equal((await acting.request('PUT', `/api/v1/apps/${created.json.id}/replications/3/actions/resize`, { token: alice.token })).status, 200);
    await acting.advance(1);
    const r = await pending;
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.containers.length, 3);
  });
});
