import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, before, describe, it } from 'node:test';
import { legacyDomain } from '../../src/domains/legacy/index.ts';
import { expectError, STORES, type Res, type TestUser } from '../helpers/server.ts';
import { Beta, expectEmptyOk } from './helpers.ts';

/** Waits (bounded) until `n` requests are waiting on the server's change feed. */
async function waiting(b: Beta, n: number): Promise<void> {
  const feed = legacyDomain(b.server.running.modules).feed;
  for (let i = 0; i < 2000 && feed.size !== n; i++) await new Promise((r) => setTimeout(r, 5));
  assert.equal(feed.size, n, 'watchers waiting on the change feed');
}

for (const store of STORES) {
  describe(`beta watch (${store})`, () => {
    let b: Beta;
    let alice: TestUser;

    before(async () => {
      b = await Beta.start(store);
      alice = await b.server.newUser('alice');
    });
    after(() => b.server.close());

    const watch = (id: number, signal?: AbortSignal) => b.server.request('GET', `/api/v1/watch/apps/${id}`, { token: alice.token, ...(signal && { headers: {} }) });

    it('wakes on a resize with the new member list, not before the members change', async () => {
      const { id } = await b.createApp(alice, 'watched', { domain: undefined, replicas: 2 });
      const pending = watch(id);
      await waiting(b, 1);
      expectEmptyOk(await b.req(alice, 'PUT', `/apps/${id}/replications/3/actions/resize`));
      await waiting(b, 1); // still waiting: resizing has not changed the members yet
      await b.server.advance(1);
      const r = await pending;
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(Object.keys(r.json), ['containers']);
      assert.deepEqual(r.json.containers, (await b.app(alice, id)).containers);
      assert.equal(r.json.containers.length, 3);
      await waiting(b, 0);
    });

    it('times out after 30 s of server-clock time with the current list', async () => {
      const { id } = await b.createApp(alice, 'idle', { domain: undefined, replicas: 1 });
      const pending = watch(id);
      await waiting(b, 1);
      await b.server.advance(29);
      await waiting(b, 1);
      await b.server.advance(1);
      const r = await pending;
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.containers, (await b.app(alice, id)).containers);
      assert.equal(r.json.containers.length, 1);
    });

    it('answers an empty list when the app is deleted during the wait; 4040003 when it is unknown at the start', async () => {
      const { id } = await b.createApp(alice, 'doomed', { domain: undefined, replicas: 1 });
      const pending = watch(id);
      await waiting(b, 1);
      expectEmptyOk(await b.req(alice, 'DELETE', `/apps/${id}`));
      const r = await pending;
      assert.deepEqual([r.status, r.json], [200, { containers: [] }]);
      expectError(await watch(id), 404, 4040003, 'No such app.');
    });

    it('a client that goes away leaves the feed', async () => {
      const { id } = await b.createApp(alice, 'leaver', { domain: undefined, replicas: 1 });
      const controller = new AbortController();
      const pending = fetch(`${b.server.url}/api/v1/watch/apps/${id}`, { headers: { authorization: `Token ${alice.token}` }, signal: controller.signal }).catch((err: Error) => err);
      await waiting(b, 1);
      controller.abort();
      assert.equal(((await pending) as Error).name, 'AbortError');
      await waiting(b, 0);
    });
  });
}

/** Counts of the process's active handles and requests by type (Timeout, TCPSocketWrap, …). */
function resources(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) out[type] = (out[type] ?? 0) + 1;
  return out;
}

function heapMb(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return Math.round(process.memoryUsage().heapUsed / 1e5) / 10;
}

describe('beta watch: 200 concurrent watchers on one app (sqlite)', () => {
  it('costs no timer and no database poll per watcher, and leaves nothing behind', async (t) => {
    const b = await Beta.start('sqlite');
    try {
      const alice = await b.server.newUser('alice');
      const { id } = await b.createApp(alice, 'popular', { domain: undefined, replicas: 1 });
      const before = { heap: heapMb(), resources: resources() };
      const N = 200;
      const pending: Array<Promise<Res>> = [];
      for (let i = 0; i < N; i++) pending.push(b.server.request('GET', `/api/v1/watch/apps/${id}`, { token: alice.token }));
      await waiting(b, N);
      const during = { heap: heapMb(), resources: resources() };
      expectEmptyOk(await b.req(alice, 'PUT', `/apps/${id}/replications/2/actions/resize`));
      await b.server.advance(1);
      const answers = await Promise.all(pending);
      const expected = (await b.app(alice, id)).containers;
      for (const r of answers) assert.deepEqual([r.status, r.json], [200, { containers: expected }]);
      await waiting(b, 0);
      const afterAll = { heap: heapMb(), resources: resources() };
      t.diagnostic(`heap MB before ${before.heap}, with ${N} watchers ${during.heap}, after ${afterAll.heap}`);
      t.diagnostic(`active resources before ${JSON.stringify(before.resources)}`);
      t.diagnostic(`active resources with ${N} watchers ${JSON.stringify(during.resources)}`);
      t.diagnostic(`active resources after ${JSON.stringify(afterAll.resources)}`);
      // Each watcher holds its connection (a socket on each side of the loopback) but no timer.
      const timers = (r: Record<string, number>) => r.Timeout ?? 0;
      assert.ok(timers(during.resources) - timers(before.resources) < 10, `timers grew from ${timers(before.resources)} to ${timers(during.resources)}`);
    } finally {
      await b.server.close();
    }
  });
});
