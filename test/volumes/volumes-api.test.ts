import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { expectError, startTestServer, STORES, type TestServer, type TestUser } from '../helpers/server.ts';

const BASE = '/api/v1/cloud-volumes';
const DELAY = 30; // seconds a new volume stays `creating` in these tests
const VOLUME_KEYS = ['id', 'name', 'size', 'status', 'volume_uuid', 'service_name', 'file_system_type', 'created_at', 'upated_at', 'updated_at', 'from_snapshot_id', 'volume_mappings'];
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** The server clock also moves in real time between requests: a change made after `advance()` answered
 * `at` carries a time between `at` and the clock's reading now (read through a zero advance). */
async function assertChangedAt(server: TestServer, iso: string, at: string): Promise<void> {
  const now = await server.advance(0);
  const t = Date.parse(iso);
  assert.ok(t >= Date.parse(at) && t <= Date.parse(now), `${iso} is not the time of the change (between ${at} and ${now})`);
}

for (const store of STORES) {
  describe(`cloud volumes (${store})`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;

    before(async () => {
      server = await startTestServer(store, { volumeCreateDelaySeconds: DELAY, faultInjection: true });
      alice = await server.newUser('alice');
      bob = await server.newUser('bob');
    });
    after(() => server.close());

    const create = (user: TestUser, body: unknown) => server.request('POST', BASE, { token: user.token, body });
    const get = (user: TestUser, id: number | string) => server.request('GET', `${BASE}/${id}`, { token: user.token });
    const list = (user: TestUser, qs = '') => server.request('GET', `${BASE}${qs}`, { token: user.token });
    const resize = (user: TestUser, id: number | string, qs: string) => server.request('PUT', `${BASE}/${id}/actions/resize${qs}`, { token: user.token });
    const del = (user: TestUser, id: number | string) => server.request('DELETE', `${BASE}/${id}`, { token: user.token });
    const setStatus = (id: number, status: string) => server.operator('PATCH', `/cloud-volumes/${id}`, { status });
    async function ready(user: TestUser, body: Record<string, unknown>): Promise<number> {
      const r = await create(user, body);
      assert.equal(r.status, 200, r.text);
      await server.advance(DELAY);
      assert.equal((await get(user, r.json.id)).json.status, 'create_succ');
      return r.json.id as number;
    }

    it('creates a volume: 200 {id}, creating, then create_succ after the delay', async () => {
      const r = await create(alice, { volume_name: 'myvolume', format: 'Ext4', size: 10 });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(Object.keys(r.json), ['id']);
      assert.ok(Number.isSafeInteger(r.json.id) && r.json.id > 0);
      const d = await get(alice, r.json.id);
      assert.equal(d.status, 200);
      assert.deepEqual(Object.keys(d.json), VOLUME_KEYS);
      assert.equal(d.json.name, 'myvolume');
      assert.equal(d.json.size, 10);
      assert.equal(d.json.status, 'creating');
      assert.match(d.json.volume_uuid, UUID_V4);
      assert.equal(d.json.service_name, '');
      assert.equal(d.json.file_system_type, 'Ext4');
      assert.match(d.json.created_at, ISO);
      assert.equal(d.json.updated_at, d.json.created_at);
      assert.equal(d.json.upated_at, d.json.updated_at);
      assert.equal(d.json.from_snapshot_id, 0);
      assert.deepEqual(d.json.volume_mappings, []);

      // (2 s short: real time also moves the clock a little between requests)
      await server.advance(DELAY - 2);
      assert.equal((await get(alice, r.json.id)).json.status, 'creating');
      await server.advance(2);
      const done = await get(alice, r.json.id);
      assert.equal(done.json.status, 'create_succ');
      assert.equal(Date.parse(done.json.updated_at) - Date.parse(done.json.created_at), DELAY * 1000);
      assert.equal(done.json.upated_at, done.json.updated_at);
      assert.equal(done.json.volume_uuid, d.json.volume_uuid);
    });

    it('format: default Ext4, any case accepted, stored as Ext4/Raw; numeric strings for size', async () => {
      const a = await create(alice, { volume_name: 'fmt-default', size: '20' });
      const b = await create(alice, { volume_name: 'fmt-raw', format: 'rAW', size: 1000 });
      const c = await create(alice, { volume_name: 'fmt-ext4', format: 'EXT4', size: 10 });
      for (const r of [a, b, c]) assert.equal(r.status, 200, r.text);
      assert.equal((await get(alice, a.json.id)).json.file_system_type, 'Ext4');
      assert.equal((await get(alice, a.json.id)).json.size, 20);
      assert.equal((await get(alice, b.json.id)).json.file_system_type, 'Raw');
      assert.equal((await get(alice, c.json.id)).json.file_system_type, 'Ext4');
      const name32 = 'a' + '0'.repeat(30) + 'z';
      assert.equal((await create(alice, { volume_name: name32, size: 10 })).status, 200);
      for (const id of [a.json.id, b.json.id, c.json.id]) {
        await server.advance(DELAY);
        assert.equal((await del(alice, id)).status, 200);
      }
    });

    it('create: 4000202 for missing fields, 4000201 for invalid ones; nothing is stored', async () => {
      const before = (await list(alice)).json.total;
      const missing: unknown[] = [{}, { size: 10 }, { volume_name: '', size: 10 }, { volume_name: null, size: 10 }, { volume_name: 'okname' }, { volume_name: 'okname', size: null }];
      for (const body of missing) expectError(await create(alice, body), 400, 4000202, 'Missing cloud volume parameters.');
      expectError(await server.request('POST', BASE, { token: alice.token, raw: '', headers: { 'content-type': 'application/json' } }), 400, 4000202, 'Missing cloud volume parameters.');
      const invalid: unknown[] = [
        { volume_name: 'Upper', size: 10 }, { volume_name: 12, size: 10 }, { volume_name: '1abc', size: 10 },
        { volume_name: 'abc-', size: 10 }, { volume_name: 'a_b', size: 10 }, { volume_name: 'a'.repeat(33), size: 10 },
        { volume_name: 'okname', size: 10, format: 'xfs' }, { volume_name: 'okname', size: 10, format: '' }, { volume_name: 'okname', size: 10, format: 4 },
        { volume_name: 'okname', size: 0 }, { volume_name: 'okname', size: 5 }, { volume_name: 'okname', size: 15 },
        { volume_name: 'okname', size: 1010 }, { volume_name: 'okname', size: -10 }, { volume_name: 'okname', size: 10.5 },
        { volume_name: 'okname', size: '20x' }, { volume_name: 'okname', size: true }, { volume_name: 'okname', size: '' },
        // fields are checked in table order: an invalid name wins over a missing size
        { volume_name: 'Bad' },
      ];
      for (const body of invalid) expectError(await create(alice, body), 400, 4000201, 'Invalid cloud volume parameters.');
      assert.equal((await list(alice)).json.total, before);
    });

    it('create: common errors (auth, media type, body syntax, body shape, abnormal account)', async () => {
      expectError(await server.request('POST', BASE, { body: { volume_name: 'x', size: 10 } }), 401, 4010001, 'Unauthorized user.');
      expectError(await server.request('POST', BASE, { token: alice.token, raw: 'volume_name=x', headers: { 'content-type': 'text/plain' } }), 415, 4150001, 'Unsupported media type.');
      expectError(await server.request('POST', BASE, { token: alice.token, raw: '{"volume_name":', headers: { 'content-type': 'application/json' } }), 400, 4000403, 'Invalid request body');
      expectError(await server.request('POST', BASE, { token: alice.token, raw: '[]', headers: { 'content-type': 'application/json' } }), 422, 4220001, 'Unprocessable entity.');
      const carol = await server.newUser('carol');
      const id = await ready(carol, { volume_name: 'keep', size: 10 });
      await server.operator('PATCH', '/users/carol', { status: 'abnormal' });
      expectError(await create(carol, { volume_name: 'other', size: 10 }), 403, 4030009, 'User status abnormal.');
      expectError(await resize(carol, id, '?size=20'), 403, 4030009, 'User status abnormal.');
      expectError(await del(carol, id), 403, 4030009, 'User status abnormal.');
      const d = await get(carol, id);
      assert.equal(d.status, 200);
      assert.equal(d.json.size, 10);
      assert.equal((await list(carol)).json.total, 1);
    });

    it('4090201 for a name the user already has (any status); other users and deleted names are free', async () => {
      const r = await create(alice, { volume_name: 'dup', size: 10 });
      assert.equal(r.status, 200);
      const before = await list(alice, '?limit=20');
      expectError(await create(alice, { volume_name: 'dup', size: 20, format: 'Raw' }), 409, 4090201, 'Duplicate cloud volume name.');
      assert.deepEqual(await list(alice, '?limit=20').then((x) => x.json), before.json);
      await setStatus(r.json.id, 'create_fail');
      expectError(await create(alice, { volume_name: 'dup', size: 10 }), 409, 4090201, 'Duplicate cloud volume name.');
      const other = await create(bob, { volume_name: 'dup', size: 10 });
      assert.equal(other.status, 200);
      assert.equal((await del(alice, r.json.id)).status, 200);
      const again = await create(alice, { volume_name: 'dup', size: 10 });
      assert.equal(again.status, 200);
      assert.ok(again.json.id > other.json.id, 'ids are never reused');
    });

    it('concurrent creates with one name: exactly one wins', async () => {
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => create(alice, { volume_name: 'race', size: 10 * (i + 1) })));
      const won = results.filter((r) => r.status === 200);
      assert.equal(won.length, 1, results.map((r) => r.text).join(' | '));
      for (const r of results.filter((x) => x.status !== 200)) expectError(r, 409, 4090201, 'Duplicate cloud volume name.');
      const all = (await list(alice, '?limit=20')).json.volumes.filter((v: { name: string }) => v.name === 'race');
      assert.equal(all.length, 1);
      assert.equal(all[0].id, won[0]!.json.id);
    });

    it('4030201 when the balance is below 50: create and resize refused, nothing created or changed', async () => {
      const dave = await server.newUser('dave');
      const id = await ready(dave, { volume_name: 'base', size: 10 });
      const userId = (await server.services.identity.findUserByName('dave'))!.id;
      await server.operator('PATCH', '/users/dave', { balance: 49.99 });
      const billing = server.services.resources.billing;
      const accruedBefore = await billing.accrued(userId, 'volume', String(id));
      const listBefore = (await list(dave)).json;
      expectError(await create(dave, { volume_name: 'paid', size: 10 }), 403, 4030201, 'Balance insufficient.');
      expectError(await resize(dave, id, '?size=20'), 403, 4030201, 'Balance insufficient.');
      assert.deepEqual((await list(dave)).json, listBefore);
      assert.equal(await billing.balance(userId), 49.99);
      assert.deepEqual(await billing.accrued(userId, 'volume', String(id)), accruedBefore);
      assert.equal(await billing.frozen(userId), 0.007);
      const meters = await server.services.store.db.selectFrom('meters').select('resource_id').where('user_id', '=', userId).execute();
      assert.deepEqual(meters.map((m) => m.resource_id), [String(id)]);
      // uniqueness is checked before balance
      expectError(await create(dave, { volume_name: 'base', size: 10 }), 409, 4090201, 'Duplicate cloud volume name.');
      // exactly 50 is enough
      await server.operator('PATCH', '/users/dave', { balance: 50 });
      assert.equal((await create(dave, { volume_name: 'paid', size: 10 })).status, 200);
    });

    it('lists the caller’s volumes in ascending id with total, limit (clamped to 20) and offset', async () => {
      const erin = await server.newUser('erin');
      const ids: number[] = [];
      for (let i = 0; i < 22; i++) ids.push((await create(erin, { volume_name: `v${i}`, size: 10 })).json.id);
      const all = await list(erin);
      assert.equal(all.status, 200);
      assert.deepEqual(Object.keys(all.json), ['total', 'volumes']);
      assert.equal(all.json.total, 22);
      assert.deepEqual(all.json.volumes.map((v: { id: number }) => v.id), ids.slice(0, 20));
      for (const v of all.json.volumes) assert.deepEqual(Object.keys(v), VOLUME_KEYS);
      assert.deepEqual((await list(erin, '?limit=100')).json.volumes.map((v: { id: number }) => v.id), ids.slice(0, 20));
      const page = await list(erin, '?limit=2&offset=5');
      assert.equal(page.json.total, 22);
      assert.deepEqual(page.json.volumes.map((v: { id: number }) => v.id), ids.slice(5, 7));
      assert.deepEqual((await list(erin, '?offset=20&limit=20')).json.volumes.map((v: { id: number }) => v.id), ids.slice(20));
      const past = await list(erin, '?offset=500');
      assert.deepEqual(past.json, { total: 22, volumes: [] });
      // integers beyond 2^53 are still integers: a huge limit is clamped, a huge offset is past the end
      const huge = await list(erin, '?limit=99999999999999999999');
      assert.equal(huge.status, 200, huge.text);
      assert.deepEqual(huge.json.volumes.map((v: { id: number }) => v.id), ids.slice(0, 20));
      for (const qs of ['?offset=9007199254740993', '?offset=99999999999999999999&limit=5']) {
        const r = await list(erin, qs);
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(r.json, { total: 22, volumes: [] });
      }
      for (const qs of ['?limit=-99999999999999999999', '?offset=-99999999999999999999', '?limit=1e3', '?limit=%2B5', '?offset=0x10']) {
        expectError(await list(erin, qs), 400, 4000213, 'Param invalid.');
      }
      assert.deepEqual((await list(erin, '?limit=1&limit=abc')).json.volumes.length, 1); // first occurrence wins
      for (const qs of ['?limit=0', '?limit=-1', '?limit=abc', '?limit=1.5', '?offset=-1', '?offset=x', '?offset=2.0']) {
        expectError(await list(erin, qs), 400, 4000213, 'Param invalid.');
      }
      // the list shows the settled state, including creating → create_succ
      await server.advance(DELAY);
      assert.ok((await list(erin)).json.volumes.every((v: { status: string }) => v.status === 'create_succ'));
      expectError(await server.request('GET', BASE), 401, 4010001, 'Unauthorized user.');
    });

    it('isolation: another user sees none of them; detail, resize, delete answer 4040201', async () => {
      const frank = await server.newUser('frank');
      const id = await ready(alice, { volume_name: 'private', size: 10 });
      assert.deepEqual((await list(frank)).json, { total: 0, volumes: [] });
      expectError(await get(frank, id), 404, 4040201, 'No such cloud volume.');
      expectError(await resize(frank, id, '?size=20'), 404, 4040201, 'No such cloud volume.');
      expectError(await del(frank, id), 404, 4040201, 'No such cloud volume.');
      const still = await get(alice, id);
      assert.equal(still.status, 200);
      assert.equal(still.json.size, 10);
    });

    it('detail: unknown, malformed and deleted ids → 4040201; the double-slash URL works', async () => {
      const id = await ready(alice, { volume_name: 'detail', size: 30 });
      const slash = await server.request('GET', `/${BASE}/${id}`, { token: alice.token });
      assert.equal(slash.status, 200);
      assert.equal(slash.json.name, 'detail');
      for (const bad of ['999999', 'abc', '0', '-1', '1.0', '99999999999999999999']) expectError(await get(alice, bad), 404, 4040201, 'No such cloud volume.');
      assert.equal((await del(alice, id)).status, 200);
      expectError(await get(alice, id), 404, 4040201, 'No such cloud volume.');
    });

    it('resize: query validation, lookup, size comparison, state, then success', async () => {
      const id = await ready(alice, { volume_name: 'grow', size: 100 });
      expectError(await resize(alice, id, ''), 400, 4000202, 'Missing cloud volume parameters.');
      expectError(await resize(alice, id, '?size='), 400, 4000202, 'Missing cloud volume parameters.');
      for (const qs of ['?size=abc', '?size=15', '?size=1010', '?size=20.0']) expectError(await resize(alice, id, qs), 400, 4000213, 'Param invalid.');
      // query validation comes before the lookup; the lookup before the comparison
      expectError(await resize(alice, 'abc', '?size=abc'), 400, 4000213, 'Param invalid.');
      expectError(await resize(alice, 999999, '?size=10'), 404, 4040201, 'No such cloud volume.');
      expectError(await resize(alice, 'abc', '?size=200'), 404, 4040201, 'No such cloud volume.');
      expectError(await resize(alice, id, '?size=100'), 400, 4000213, 'Param invalid.');
      expectError(await resize(alice, id, '?size=90'), 400, 4000213, 'Param invalid.');
      const before = (await get(alice, id)).json;
      const at = await server.advance(5);
      const r = await server.request('PUT', `${BASE}/${id}/actions/resize?size=1000`, { token: alice.token, raw: 'ignored', headers: { 'content-type': 'text/plain' } });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.text, '');
      const after = (await get(alice, id)).json;
      assert.equal(after.size, 1000);
      assert.equal(after.status, 'create_succ');
      assert.ok(Date.parse(after.updated_at) > Date.parse(before.updated_at));
      await assertChangedAt(server, after.updated_at, at);
      assert.equal(after.upated_at, after.updated_at);
      assert.equal(after.created_at, before.created_at);
      // nothing is bigger than 1000 and 1000 is not above 1000
      expectError(await resize(alice, id, '?size=1000'), 400, 4000213, 'Param invalid.');
    });

    it('resize follows the state table: 4030258 while busy, 4030202 after a failed creation', async () => {
      const r = await create(alice, { volume_name: 'states-resize', size: 10 });
      const id = r.json.id as number;
      expectError(await resize(alice, id, '?size=20'), 403, 4030258, 'Volume can’t operate in current state.');
      await server.advance(DELAY);
      for (const status of ['mounting', 'unmounting']) {
        assert.equal((await setStatus(id, status)).status, 200);
        expectError(await resize(alice, id, '?size=20'), 403, 4030258, 'Volume can’t operate in current state.');
      }
      assert.equal((await setStatus(id, 'create_fail')).status, 200);
      expectError(await resize(alice, id, '?size=20'), 403, 4030202, 'Cloud volume status abnormal.');
      // the size comparison comes before the state
      expectError(await resize(alice, id, '?size=10'), 400, 4000213, 'Param invalid.');
      assert.equal((await get(alice, id)).json.size, 10);
      let size = 10;
      for (const status of ['mount_succ', 'mount_fail', 'create_succ']) {
        await setStatus(id, status);
        size += 10;
        assert.equal((await resize(alice, id, `?size=${size}`)).status, 200, status);
        const d = (await get(alice, id)).json;
        assert.equal(d.size, size);
        assert.equal(d.status, status);
      }
    });

    it('delete follows the state table; the volume and its name are gone afterwards', async () => {
      const r = await create(alice, { volume_name: 'states-delete', size: 10 });
      const id = r.json.id as number;
      expectError(await del(alice, id), 403, 4030258, 'Volume can’t operate in current state.');
      await server.advance(DELAY);
      for (const status of ['mounting', 'mount_succ', 'unmounting']) {
        await setStatus(id, status);
        expectError(await del(alice, id), 403, 4030258, 'Volume can’t operate in current state.');
        assert.equal((await get(alice, id)).json.status, status);
      }
      for (const status of ['create_fail', 'mount_fail']) {
        const v = await create(alice, { volume_name: `gone-${status.replace('_', '-')}`, size: 10 });
        await setStatus(v.json.id, status);
        assert.equal((await del(alice, v.json.id)).status, 200, status);
      }
      await setStatus(id, 'create_succ');
      // the original examples send a JSON content type without a body
      const ok = await server.request('DELETE', `${BASE}/${id}`, { token: alice.token, headers: { 'content-type': 'application/json' } });
      assert.equal(ok.status, 200);
      assert.equal(ok.text, '');
      expectError(await get(alice, id), 404, 4040201, 'No such cloud volume.');
      expectError(await del(alice, id), 404, 4040201, 'No such cloud volume.');
      expectError(await del(alice, 'abc'), 404, 4040201, 'No such cloud volume.');
      assert.equal((await create(alice, { volume_name: 'states-delete', size: 10 })).status, 200);
    });

    it('operator re-provisioning: `creating` runs the provisioning delay again; updated_at never moves back', async () => {
      const id = await ready(alice, { volume_name: 'reprovision', size: 10 });
      await server.advance(100);
      const set = await setStatus(id, 'creating');
      assert.equal(set.status, 200, set.text);
      assert.equal(set.json.status, 'creating');
      const d = (await get(alice, id)).json;
      assert.equal(d.status, 'creating');
      assert.equal(d.updated_at, set.json.updated_at);
      await server.advance(DELAY);
      const done = (await get(alice, id)).json;
      assert.equal(done.status, 'create_succ');
      assert.equal(Date.parse(done.updated_at) - Date.parse(set.json.updated_at), DELAY * 1000);
    });

    it('4000299 System busy: injected on every endpoint, without changing anything', async () => {
      const id = await ready(alice, { volume_name: 'busy', size: 10 });
      const headers = { 'x-opencomb-fault': '4000299' };
      const total = (await list(alice)).json.total;
      const calls = [
        server.request('POST', BASE, { token: alice.token, headers, body: { volume_name: 'busy2', size: 10 } }),
        server.request('GET', BASE, { token: alice.token, headers }),
        server.request('GET', `${BASE}/${id}`, { token: alice.token, headers }),
        server.request('PUT', `${BASE}/${id}/actions/resize?size=20`, { token: alice.token, headers }),
        server.request('DELETE', `${BASE}/${id}`, { token: alice.token, headers }),
      ];
      for (const r of await Promise.all(calls)) expectError(r, 400, 4000299, 'System busy, please try again later.');
      assert.equal((await list(alice)).json.total, total);
      assert.equal((await get(alice, id)).json.size, 10);
    });
  });

  describe(`cloud volumes: storage failure (${store})`, () => {
    let server: TestServer;
    before(async () => { server = await startTestServer(store); });
    after(() => server.close());

    it('a failing store answers 4000299 System busy on every endpoint', async () => {
      const user = await server.newUser();
      await sql`drop table volumes`.execute(server.services.store.db);
      const token = user.token;
      expectError(await server.request('POST', BASE, { token, body: { volume_name: 'x', size: 10 } }), 400, 4000299, 'System busy, please try again later.');
      expectError(await server.request('GET', BASE, { token }), 400, 4000299, 'System busy, please try again later.');
      expectError(await server.request('GET', `${BASE}/1`, { token }), 400, 4000299, 'System busy, please try again later.');
      expectError(await server.request('PUT', `${BASE}/1/actions/resize?size=20`, { token }), 400, 4000299, 'System busy, please try again later.');
      expectError(await server.request('DELETE', `${BASE}/1`, { token }), 400, 4000299, 'System busy, please try again later.');
      // the refused create charged nothing
      const userId = (await server.services.identity.findUserByName(user.user_name))!.id;
      assert.equal(await server.services.resources.billing.balance(userId), 1000);
    });
  });
}
