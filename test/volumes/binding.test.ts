import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Owner, VolumeBinding } from '../../src/domains/contracts.ts';
import type { Tx } from '../../src/store/db.ts';
import { expectError, startTestServer, STORES, type TestServer, type TestUser } from '../helpers/server.ts';

const BASE = '/api/v1/cloud-volumes';
const DELAY = 30;

/** The server clock also moves in real time between requests: a change made after `advance()` answered
 * `at` carries a time between `at` and the clock's reading now (read through a zero advance). */
async function assertChangedAt(server: TestServer, iso: string, at: string): Promise<void> {
  const now = await server.advance(0);
  const t = Date.parse(iso);
  assert.ok(t >= Date.parse(at) && t <= Date.parse(now), `${iso} is not the time of the change (between ${at} and ${now})`);
}

/** Asserts that `work` fails with the catalog error `code`/`message`. */
async function rejectsWith(work: Promise<unknown>, code: number, message: string): Promise<void> {
  await assert.rejects(work, (err: { code?: number; message?: string }) => {
    assert.deepEqual({ code: err.code, message: err.message }, { code, message });
    return true;
  });
}

for (const store of STORES) {
  describe(`volume binding for microservices (${store})`, () => {
    let server: TestServer;
    let volumes: VolumeBinding;
    let alice: TestUser;
    let bob: TestUser;
    let aliceOwner: Owner;
    let bobOwner: Owner;

    before(async () => {
      server = await startTestServer(store, { volumeCreateDelaySeconds: DELAY });
      volumes = server.services.resources.volumes;
      alice = await server.newUser('alice');
      bob = await server.newUser('bob');
      aliceOwner = { id: (await server.services.identity.findUserByName('alice'))!.id, user_name: 'alice' };
      bobOwner = { id: (await server.services.identity.findUserByName('bob'))!.id, user_name: 'bob' };
    });
    after(() => server.close());

    const get = (user: TestUser, id: number) => server.request('GET', `${BASE}/${id}`, { token: user.token });
    async function createVolume(user: TestUser, name: string, format = 'Ext4', size = 10): Promise<number> {
      const r = await server.request('POST', BASE, { token: user.token, body: { volume_name: name, format, size } });
      assert.equal(r.status, 200, r.text);
      return r.json.id as number;
    }
    const inTx = <T>(work: (tx: Tx) => Promise<T>) => server.services.store.db.transaction().execute(work);

    it('checkAttachable: 4040201 unknown or foreign, 4000133 Raw, 4030258 busy/mounted, 4030202 failed; in order per volume', async () => {
      const creating = await createVolume(alice, 'b-creating');
      await rejectsWith(volumes.checkAttachable(aliceOwner, [creating]), 4030258, 'Volume can’t operate in current state.');
      await server.advance(DELAY);
      const ok = await createVolume(alice, 'b-ok');
      const raw = await createVolume(alice, 'b-raw', 'Raw');
      const foreign = await createVolume(bob, 'b-foreign');
      await server.advance(DELAY);
      await volumes.checkAttachable(aliceOwner, [creating, ok]);
      await rejectsWith(volumes.checkAttachable(aliceOwner, [999999]), 4040201, 'No such cloud volume.');
      await rejectsWith(volumes.checkAttachable(aliceOwner, [foreign]), 4040201, 'No such cloud volume.');
      await rejectsWith(volumes.checkAttachable(aliceOwner, [0]), 4040201, 'No such cloud volume.');
      await rejectsWith(volumes.checkAttachable(aliceOwner, [raw]), 4000133, 'Param volue info invalid.');
      await rejectsWith(volumes.checkAttachable(aliceOwner, [ok, raw]), 4000133, 'Param volue info invalid.');
      await rejectsWith(volumes.checkAttachable(aliceOwner, [foreign, raw]), 4040201, 'No such cloud volume.');
      const states: Array<[string, number, string]> = [
        ['mounting', 4030258, 'Volume can’t operate in current state.'],
        ['mount_succ', 4030258, 'Volume can’t operate in current state.'],
        ['unmounting', 4030258, 'Volume can’t operate in current state.'],
        ['create_fail', 4030202, 'Cloud volume status abnormal.'],
        ['mount_fail', 4030202, 'Cloud volume status abnormal.'],
      ];
      for (const [status, code, message] of states) {
        await server.operator('PATCH', `/cloud-volumes/${ok}`, { status });
        await rejectsWith(volumes.checkAttachable(aliceOwner, [ok]), code, message);
      }
      await server.operator('PATCH', `/cloud-volumes/${ok}`, { status: 'create_succ' });
      await volumes.checkAttachable(aliceOwner, [ok]);
      await volumes.checkAttachable(bobOwner, [foreign]);
    });

    it('checkAttachable: existence of every volume first, then Ext4, then state (core.md §8.2), whatever the order of ids', async () => {
      const mounted = await createVolume(alice, 'o-mounted');
      const failed = await createVolume(alice, 'o-failed');
      const raw = await createVolume(alice, 'o-raw', 'Raw');
      await server.advance(DELAY);
      await server.operator('PATCH', `/cloud-volumes/${mounted}`, { status: 'mount_succ' });
      await server.operator('PATCH', `/cloud-volumes/${failed}`, { status: 'create_fail' });
      await rejectsWith(volumes.checkAttachable(aliceOwner, [mounted, 999999]), 4040201, 'No such cloud volume.');
      await rejectsWith(volumes.checkAttachable(aliceOwner, [failed, raw, 999999]), 4040201, 'No such cloud volume.');
      await rejectsWith(volumes.checkAttachable(aliceOwner, [mounted, raw]), 4000133, 'Param volue info invalid.');
      await rejectsWith(volumes.checkAttachable(aliceOwner, [failed, raw]), 4000133, 'Param volue info invalid.');
      // the same order inside the consumer's transaction
      await rejectsWith(inTx((tx) => volumes.attach(tx, aliceOwner, 'ns/x', [
        { volumeId: mounted, mountPath: '/m', serviceContainerId: 7 },
        { volumeId: 999999, mountPath: '/u', serviceContainerId: 7 },
      ])), 4040201, 'No such cloud volume.');
      await rejectsWith(inTx((tx) => volumes.attach(tx, aliceOwner, 'ns/x', [
        { volumeId: failed, mountPath: '/f', serviceContainerId: 7 },
        { volumeId: raw, mountPath: '/r', serviceContainerId: 7 },
      ])), 4000133, 'Param volue info invalid.');
    });

    it('attach: mount_succ with service name and mapping; a mounted volume cannot be deleted or mounted again', async () => {
      const id = await createVolume(alice, 'data', 'Ext4', 50);
      await server.advance(DELAY);
      const before = (await get(alice, id)).json;
      const attachedAt = await server.advance(7);
      await inTx((tx) => volumes.attach(tx, aliceOwner, 'myspace/myservice', [{ volumeId: id, mountPath: '/data/', serviceContainerId: 49927 }]));
      const d = (await get(alice, id)).json;
      assert.equal(d.status, 'mount_succ');
      assert.equal(d.service_name, 'myspace/myservice');
      assert.deepEqual(d.volume_mappings, [{ mount_path: '/data/', service_container_id: 49927 }]);
      assert.deepEqual(Object.keys(d.volume_mappings[0]), ['mount_path', 'service_container_id']);
      assert.ok(Date.parse(d.updated_at) > Date.parse(before.updated_at));
      await assertChangedAt(server, d.updated_at, attachedAt);
      assert.equal(d.upated_at, d.updated_at);
      assert.equal((await server.request('GET', `${BASE}?limit=20`, { token: alice.token })).json.volumes.find((v: { id: number }) => v.id === id).status, 'mount_succ');

      expectError(await server.request('DELETE', `${BASE}/${id}`, { token: alice.token }), 403, 4030258, 'Volume can’t operate in current state.');
      await rejectsWith(volumes.checkAttachable(aliceOwner, [id]), 4030258, 'Volume can’t operate in current state.');
      await rejectsWith(inTx((tx) => volumes.attach(tx, aliceOwner, 'myspace/other', [{ volumeId: id, mountPath: '/x', serviceContainerId: 1 }])), 4030258, 'Volume can’t operate in current state.');
      assert.equal((await get(alice, id)).json.service_name, 'myspace/myservice');

      // an attached volume can grow (the state table allows it) but not while an attach or detach is running
      const grow = await server.request('PUT', `${BASE}/${id}/actions/resize?size=60`, { token: alice.token });
      assert.equal(grow.status, 200, grow.text);
      await server.operator('PATCH', `/cloud-volumes/${id}`, { status: 'unmounting' });
      expectError(await server.request('PUT', `${BASE}/${id}/actions/resize?size=70`, { token: alice.token }), 403, 4030258, 'Volume can’t operate in current state.');
      expectError(await server.request('DELETE', `${BASE}/${id}`, { token: alice.token }), 403, 4030258, 'Volume can’t operate in current state.');
      await server.operator('PATCH', `/cloud-volumes/${id}`, { status: 'mount_succ' });

      // detach (microservice deleted): back to create_succ, data kept, now deletable
      const detachedAt = await server.advance(3);
      await inTx((tx) => volumes.detach(tx, aliceOwner, [id]));
      const detached = (await get(alice, id)).json;
      assert.equal(detached.status, 'create_succ');
      assert.equal(detached.service_name, '');
      assert.deepEqual(detached.volume_mappings, []);
      assert.equal(detached.size, 60);
      assert.ok(Date.parse(detached.updated_at) > Date.parse(d.updated_at));
      await assertChangedAt(server, detached.updated_at, detachedAt);
      await volumes.checkAttachable(aliceOwner, [id]);
      assert.equal((await server.request('DELETE', `${BASE}/${id}`, { token: alice.token })).status, 200);
    });

    it('attach is all-or-nothing within the consumer’s transaction', async () => {
      const a = await createVolume(alice, 'atomic-a');
      const b = await createVolume(alice, 'atomic-b');
      const raw = await createVolume(alice, 'atomic-raw', 'Raw');
      await server.advance(DELAY);
      await inTx((tx) => volumes.attach(tx, aliceOwner, 'ns/first', [{ volumeId: b, mountPath: '/b', serviceContainerId: 2 }]));
      await rejectsWith(inTx((tx) => volumes.attach(tx, aliceOwner, 'ns/second', [
        { volumeId: a, mountPath: '/a', serviceContainerId: 3 },
        { volumeId: b, mountPath: '/b', serviceContainerId: 3 },
      ])), 4030258, 'Volume can’t operate in current state.');
      const va = (await get(alice, a)).json;
      assert.equal(va.status, 'create_succ');
      assert.equal(va.service_name, '');
      assert.deepEqual(va.volume_mappings, []);
      // a consumer failing after attach rolls the attach back too
      await assert.rejects(inTx(async (tx) => {
        await volumes.attach(tx, aliceOwner, 'ns/third', [{ volumeId: a, mountPath: '/a', serviceContainerId: 4 }]);
        throw new Error('consumer failed later');
      }), /consumer failed later/);
      assert.equal((await get(alice, a)).json.status, 'create_succ');
      await rejectsWith(inTx((tx) => volumes.attach(tx, aliceOwner, 'ns/raw', [{ volumeId: raw, mountPath: '/r', serviceContainerId: 5 }])), 4000133, 'Param volue info invalid.');
      await rejectsWith(inTx((tx) => volumes.attach(tx, bobOwner, 'ns/bob', [{ volumeId: a, mountPath: '/a', serviceContainerId: 6 }])), 4040201, 'No such cloud volume.');
      assert.equal((await get(alice, raw)).json.status, 'create_succ');
      // Raw volumes never show mappings
      assert.deepEqual((await get(alice, raw)).json.volume_mappings, []);
    });

    it('detach ignores volumes that are not attached or not the caller’s', async () => {
      const mine = await createVolume(alice, 'detach-mine');
      const theirs = await createVolume(bob, 'detach-theirs');
      await server.advance(DELAY);
      await inTx((tx) => volumes.attach(tx, bobOwner, 'bobspace/svc', [{ volumeId: theirs, mountPath: '/t', serviceContainerId: 9 }]));
      const before = (await get(alice, mine)).json;
      await inTx((tx) => volumes.detach(tx, aliceOwner, [mine, theirs]));
      assert.deepEqual((await get(alice, mine)).json, before);
      assert.equal((await get(bob, theirs)).json.status, 'mount_succ');
      await inTx((tx) => volumes.detach(tx, aliceOwner, []));
    });

    it('names: the caller’s volumes by id only', async () => {
      const a = await createVolume(alice, 'named-a');
      const b = await createVolume(alice, 'named-b');
      const foreign = await createVolume(bob, 'named-foreign');
      const names = await volumes.names(aliceOwner, [a, b, foreign, 999999]);
      assert.deepEqual([...names.entries()].sort((x, y) => x[0] - y[0]), [[a, 'named-a'], [b, 'named-b']]);
      assert.equal((await volumes.names(aliceOwner, [])).size, 0);
    });
  });
}
