import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectError, startTestServer, STORES, type TestServer, type TestUser } from '../helpers/server.ts';

const BASE = '/api/v1/ips';
const IP_KEYS = ['id', 'ip', 'status', 'type', 'service_type', 'service_id', 'service_name', 'create_at', 'update_at'];
const RELEASED_KEYS = ['id', 'ip', 'status', 'type', 'service_id', 'service_name', 'create_at', 'update_at'];
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

for (const store of STORES) {
  describe(`public IPs (${store})`, () => {
    let server: TestServer;
    let users = 0;

    before(async () => {
      server = await startTestServer(store, { faultInjection: true });
    });
    after(() => server.close());

    const fresh = () => server.newUser(`ipuser${++users}`);
    const create = (user: TestUser, body: unknown) => server.request('POST', BASE, { token: user.token, body });
    const list = (user: TestUser, qs = '') => server.request('GET', `${BASE}${qs}`, { token: user.token });
    const get = (user: TestUser, id: string) => server.request('GET', `${BASE}/${id}`, { token: user.token });
    const cost = (user: TestUser, id: string) => server.request('GET', `${BASE}/${id}/cost`, { token: user.token });
    const quota = (user: TestUser) => server.request('GET', `${BASE}/quota`, { token: user.token });
    const release = (user: TestUser, id: string) => server.request('DELETE', `${BASE}/${id}`, { token: user.token });
    const patchUser = (user: TestUser, body: Record<string, unknown>) => server.operator('PATCH', `/users/${user.user_name}`, body);
    const balance = async (user: TestUser) => (await patchUser(user, {})).json.balance as number;
    /** Everything a refused request could have changed. */
    const snapshot = async (user: TestUser) => ({ list: (await list(user, '?limit=65535')).json, quota: (await quota(user)).json, balance: await balance(user) });
    async function createOk(user: TestUser, body: Record<string, unknown>): Promise<any[]> {
      const r = await create(user, body);
      assert.equal(r.status, 200, r.text);
      return r.json.ips;
    }

    describe('create', () => {
      it('creates nlb and nce IPs: 200 {total, ips}, nlb first, documented members and id forms', async () => {
        const u = await fresh();
        const r = await create(u, { nce: 1, nlb: 1 });
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(Object.keys(r.json), ['total', 'ips']);
        assert.equal(r.json.total, 2);
        const [nlb, nce] = r.json.ips;
        for (const ip of r.json.ips) {
          assert.deepEqual(Object.keys(ip), IP_KEYS);
          assert.equal(ip.status, 'available');
          assert.equal(ip.service_type, '');
          assert.equal(ip.service_id, '');
          assert.equal(ip.service_name, '');
          assert.match(ip.create_at, ISO);
          assert.equal(ip.update_at, ip.create_at);
          assert.match(ip.ip, /^59\.111\.\d{1,3}\.\d{1,3}$/);
        }
        assert.equal(nlb.type, 'nlb');
        assert.match(nlb.id, /^[1-9]\d*$/);
        assert.equal(nce.type, 'nce');
        assert.match(nce.id, UUID_V4);
        assert.notEqual(nlb.ip, nce.ip);
        // What create answered is what detail shows.
        assert.deepEqual((await get(u, nlb.id)).json, nlb);
        assert.deepEqual((await get(u, nce.id)).json, nce);
      });

      it('accepts digit strings and ignores unknown members; each group in allocation order', async () => {
        const u = await fresh();
        const ips = await createOk(u, { nce: '2', nlb: '3', extra: true });
        assert.deepEqual(ips.map((i) => i.type), ['nlb', 'nlb', 'nlb', 'nce', 'nce']);
        const nlbIds = ips.slice(0, 3).map((i) => Number(i.id));
        assert.deepEqual(nlbIds, [...nlbIds].sort((a, b) => a - b));
        assert.equal(new Set(ips.map((i) => i.ip)).size, 5);
        const r = await create(u, { nlb: 1 });
        assert.equal(r.json.total, 1);
        assert.ok(Number(r.json.ips[0].id) > nlbIds[2]!, 'nlb ids come from an increasing counter');
      });

      it('4000302 when nothing is requested (empty body, {}, nulls)', async () => {
        const u = await fresh();
        const before = await snapshot(u);
        expectError(await create(u, {}), 400, 4000302, 'Missing param');
        expectError(await server.request('POST', BASE, { token: u.token }), 400, 4000302, 'Missing param');
        expectError(await create(u, { nce: null, nlb: null }), 400, 4000302, 'Missing param');
        expectError(await create(u, { other: 1 }), 400, 4000302, 'Missing param');
        assert.deepEqual(await snapshot(u), before);
      });

      it('4000301 for bad counts or a zero total', async () => {
        const u = await fresh();
        const before = await snapshot(u);
        for (const body of [{ nce: 0 }, { nlb: 0 }, { nce: 0, nlb: 0 }, { nce: '0', nlb: null }, { nce: -1 }, { nlb: -1, nce: 2 },
          { nce: 1.5 }, { nce: '1.0' }, { nce: 'x' }, { nce: '' }, { nlb: true }, { nce: [1] }, { nce: { n: 1 } }, { nce: 1, nlb: 'two' }]) {
          expectError(await create(u, body), 400, 4000301, 'Params invalid');
        }
        assert.deepEqual(await snapshot(u), before);
      });

      it('answers body-level errors and 4030009 before its own checks', async () => {
        const u = await fresh();
        expectError(await server.request('POST', BASE, { token: u.token, raw: 'nce=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 4150001, 'Unsupported media type.');
        expectError(await server.request('POST', BASE, { token: u.token, raw: '{"nce":', headers: { 'content-type': 'application/json' } }), 400, 4000403, 'Invalid request body');
        expectError(await server.request('POST', BASE, { token: u.token, raw: '[1]', headers: { 'content-type': 'application/json' } }), 422, 4220001, 'Unprocessable entity.');
        expectError(await server.request('POST', BASE, { body: { nce: 1 } }), 401, 4010001, 'Unauthorized user.');
        await patchUser(u, { status: 'abnormal' });
        expectError(await create(u, { nce: 1 }), 403, 4030009, 'User status abnormal.');
        await patchUser(u, { status: 'normal' });
        assert.equal((await list(u)).json.total, 0);
      });

      it('judges what is requested (4000302, zero total 4000301) before the account state 4030009', async () => {
        const u = await fresh();
        await patchUser(u, { status: 'abnormal' });
        expectError(await create(u, {}), 400, 4000302, 'Missing param');
        expectError(await server.request('POST', BASE, { token: u.token }), 400, 4000302, 'Missing param');
        expectError(await create(u, { nce: 0 }), 400, 4000301, 'Params invalid');
        expectError(await create(u, { nce: 0, nlb: 0 }), 400, 4000301, 'Params invalid');
        expectError(await create(u, { nlb: 1 }), 403, 4030009, 'User status abnormal.');
        await patchUser(u, { status: 'normal' });
        assert.equal((await list(u)).json.total, 0);
      });

      it('4030302 per type: held + requested over that type\'s quota; nothing is allocated', async () => {
        const u = await fresh();
        expectError(await create(u, { nce: 21 }), 403, 4030302, 'Quota insufficient');
        expectError(await create(u, { nlb: 11 }), 403, 4030302, 'Quota insufficient');
        expectError(await create(u, { nce: 1, nlb: 11 }), 403, 4030302, 'Quota insufficient');
        await patchUser(u, { quotas: { ips_nce: 2, ips_nlb: 1 } });
        await createOk(u, { nce: 2 });
        const before = await snapshot(u);
        expectError(await create(u, { nce: 1 }), 403, 4030302, 'Quota insufficient');
        // All or nothing: the nlb that would fit is not created either.
        expectError(await create(u, { nce: 1, nlb: 1 }), 403, 4030302, 'Quota insufficient');
        assert.deepEqual(await snapshot(u), before);
        await createOk(u, { nlb: 1 });
        expectError(await create(u, { nlb: 1 }), 403, 4030302, 'Quota insufficient');
        // A quota lowered below what is held blocks only that type.
        await patchUser(u, { quotas: { ips_nce: 0, ips_nlb: 2 } });
        await createOk(u, { nlb: 1 });
        const q = await quota(u);
        assert.deepEqual(q.json, { total: 2, used: 4, quotas: [{ type: 'nce', quota: 0, used: 2 }, { type: 'nlb', quota: 2, used: 2 }] });
      });

      it('4030301 below a balance of 50; quota is judged first; a refused create changes nothing', async () => {
        const u = await fresh();
        await patchUser(u, { balance: 49.99 });
        const before = await snapshot(u);
        expectError(await create(u, { nce: 1 }), 403, 4030301, 'Balance insufficient');
        expectError(await create(u, { nce: 21 }), 403, 4030302, 'Quota insufficient');
        assert.deepEqual(await snapshot(u), before);
        await patchUser(u, { balance: 50 });
        const ips = await createOk(u, { nce: 1, nlb: 1 });
        assert.equal(ips.length, 2);
        // Metering starts at creation: the first hour of each IP is charged when it starts.
        assert.equal(await balance(u), 49.992);
      });

      it('concurrent creates never exceed the quota and never share an address', async () => {
        const u = await fresh();
        const v = await fresh();
        await patchUser(u, { quotas: { ips_nce: 3 } });
        const results = await Promise.all([
          ...Array.from({ length: 6 }, () => create(u, { nce: 1 })),
          ...Array.from({ length: 4 }, () => create(v, { nce: 1, nlb: 1 })),
        ]);
        const mine = results.slice(0, 6);
        assert.equal(mine.filter((r) => r.status === 200).length, 3);
        for (const r of mine.filter((r) => r.status !== 200)) expectError(r, 403, 4030302, 'Quota insufficient');
        for (const r of results.slice(6)) assert.equal(r.status, 200, r.text);
        const all = [...(await list(u, '?limit=100')).json.ips, ...(await list(v, '?limit=100')).json.ips];
        assert.equal(all.length, 11);
        assert.equal(new Set(all.map((i) => i.ip)).size, 11);
        assert.equal(new Set(all.map((i) => i.id)).size, 11);
      });
    });

    describe('list', () => {
      let u: TestUser;
      let created: any[];
      before(async () => {
        u = await fresh();
        created = [];
        // Three creation times: nce+nlb, then nlb, then 2 nce.
        created.push(...await createOk(u, { nce: 1, nlb: 1 }));
        await server.advance(10);
        created.push(...await createOk(u, { nlb: 1 }));
        await server.advance(10);
        created.push(...await createOk(u, { nce: 2 }));
      });

      it('lists newest first (ties: latest allocation first) with total', async () => {
        const r = await list(u);
        assert.equal(r.status, 200);
        assert.deepEqual(Object.keys(r.json), ['total', 'ips']);
        assert.equal(r.json.total, 5);
        assert.deepEqual(r.json.ips.map((i: any) => i.id), [created[4], created[3], created[2], created[1], created[0]].map((i) => i.id));
        for (const ip of r.json.ips) assert.deepEqual(Object.keys(ip), IP_KEYS);
      });

      it('filters by type and status, case-insensitively; total counts the matches', async () => {
        const nce = await list(u, '?type=nce');
        assert.equal(nce.json.total, 3);
        assert.ok(nce.json.ips.every((i: any) => i.type === 'nce'));
        const nlb = await list(u, '?type=NLB&status=Available');
        assert.equal(nlb.json.total, 2);
        assert.ok(nlb.json.ips.every((i: any) => i.type === 'nlb'));
        for (const status of ['binding', 'binded', 'disabled']) assert.deepEqual((await list(u, `?status=${status}`)).json, { total: 0, ips: [] });
        // The first occurrence of a repeated parameter wins; unknown parameters are ignored.
        assert.equal((await list(u, '?type=nlb&type=nce&foo=bar')).json.total, 2);
        // Empty values are absent: the defaults apply.
        assert.equal((await list(u, '?status=&type=&offset=&limit=')).json.total, 5);
      });

      it('pages with offset and limit (default 20, no upper bound)', async () => {
        const all = (await list(u)).json.ips.map((i: any) => i.id);
        const p1 = await list(u, '?offset=0&limit=2');
        assert.equal(p1.json.total, 5);
        assert.deepEqual(p1.json.ips.map((i: any) => i.id), all.slice(0, 2));
        const p3 = await list(u, '?offset=4&limit=2');
        assert.deepEqual(p3.json.ips.map((i: any) => i.id), all.slice(4));
        assert.deepEqual(await list(u, '?offset=5').then((r) => r.json), { total: 5, ips: [] });
        assert.deepEqual(await list(u, '?offset=500').then((r) => r.json), { total: 5, ips: [] });
        assert.equal((await list(u, '?limit=65535')).json.ips.length, 5);
        assert.equal((await list(u, '?limit=1&type=nce')).json.ips[0].id, created[4].id);
        // Default page size 20.
        const big = await fresh();
        await createOk(big, { nce: 20, nlb: 5 });
        assert.equal((await list(big)).json.ips.length, 20);
        assert.equal((await list(big)).json.total, 25);
        assert.equal((await list(big, '?offset=20')).json.ips.length, 5);
      });

      it('4000301 for bad filters and paging', async () => {
        for (const qs of ['?status=deleted', '?status=on', '?type=vpc', '?offset=-1', '?offset=1.5', '?offset=x', '?limit=0', '?limit=-3', '?limit=abc', '?limit=2.0']) {
          expectError(await list(u, qs), 400, 4000301, 'Params invalid');
        }
      });

      it('isolates users: another user sees none of these IPs', async () => {
        const other = await fresh();
        assert.deepEqual((await list(other)).json, { total: 0, ips: [] });
        for (const ip of created) {
          expectError(await get(other, ip.id), 404, 4040302, 'No such IP');
          expectError(await cost(other, ip.id), 404, 4040302, 'No such IP');
          expectError(await release(other, ip.id), 404, 4040302, 'No such IP');
        }
        assert.equal((await list(u)).json.total, 5);
        assert.equal((await quota(other)).json.used, 0);
      });
    });

    describe('detail, quota, cost', () => {
      it('detail: UUIDs case-insensitively; doubled leading slash; unknown ids are 4040302', async () => {
        const u = await fresh();
        const [nlb, nce] = await createOk(u, { nce: 1, nlb: 1 });
        assert.deepEqual((await get(u, nce.id.toUpperCase())).json, nce);
        assert.deepEqual((await server.request('GET', `/${BASE}/${nlb.id}`, { token: u.token })).json, nlb);
        for (const id of ['0', '999999', 'abc', nce.id.slice(0, -1), `0${nlb.id}`, nlb.ip, 'quota-x']) {
          expectError(await get(u, encodeURIComponent(id)), 404, 4040302, 'No such IP');
        }
      });

      it('quota: per-type quota and usage, nce then nlb; total and used are the sums', async () => {
        const u = await fresh();
        assert.deepEqual((await quota(u)).json, { total: 30, used: 0, quotas: [{ type: 'nce', quota: 20, used: 0 }, { type: 'nlb', quota: 10, used: 0 }] });
        await createOk(u, { nce: 2, nlb: 3 });
        const r = await quota(u);
        assert.equal(r.status, 200);
        assert.deepEqual(Object.keys(r.json), ['total', 'used', 'quotas']);
        assert.deepEqual(r.json, { total: 30, used: 5, quotas: [{ type: 'nce', quota: 20, used: 2 }, { type: 'nlb', quota: 10, used: 3 }] });
        await patchUser(u, { quotas: { ips_nlb: 40 } });
        assert.deepEqual((await quota(u)).json.quotas[1], { type: 'nlb', quota: 40, used: 3 });
        assert.equal((await quota(u)).json.total, 60);
      });

      it('cost reports what billing charged: one started hour at once, two after 3600 s', async () => {
        const u = await fresh();
        const [nlb, nce] = await createOk(u, { nce: 1, nlb: 1 });
        const r = await cost(u, nce.id);
        assert.equal(r.status, 200);
        assert.deepEqual(Object.keys(r.json), ['id', 'cost']);
        assert.deepEqual(r.json, { id: nce.id, cost: 0.004 });
        assert.deepEqual((await cost(u, nce.id.toUpperCase())).json, { id: nce.id, cost: 0.004 });
        await server.advance(3600);
        assert.deepEqual((await cost(u, nce.id)).json, { id: nce.id, cost: 0.008 });
        assert.deepEqual((await cost(u, nlb.id)).json, { id: nlb.id, cost: 0.008 });
        const record = await server.services.resources.billing.accrued((await server.services.identity.findUserByName(u.user_name))!.id, 'ip', nce.id);
        assert.equal(record?.amount, 0.008);
        expectError(await cost(u, 'nope'), 404, 4040302, 'No such IP');
      });
    });

    describe('release', () => {
      it('releases an available IP: 200 with the documented members, then it is gone and billing stops', async () => {
        const u = await fresh();
        const [nlb, nce] = await createOk(u, { nce: 1, nlb: 1 });
        await server.advance(60);
        const r = await release(u, nce.id.toUpperCase());
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(Object.keys(r.json), RELEASED_KEYS);
        assert.equal(r.json.id, nce.id);
        assert.equal(r.json.ip, nce.ip);
        assert.equal(r.json.status, 'deleted');
        assert.equal(r.json.type, 'nce');
        assert.equal(r.json.service_id, '');
        assert.equal(r.json.service_name, '');
        assert.equal(r.json.create_at, nce.create_at);
        assert.match(r.json.update_at, ISO);
        assert.ok(r.json.update_at > nce.create_at);
        expectError(await get(u, nce.id), 404, 4040302, 'No such IP');
        expectError(await cost(u, nce.id), 404, 4040302, 'No such IP');
        expectError(await release(u, nce.id), 404, 4040302, 'No such IP');
        assert.deepEqual((await list(u)).json.ips.map((i: any) => i.id), [nlb.id]);
        assert.equal((await quota(u)).json.used, 1);
        // The released IP is no longer charged; the other one still is.
        const b = await balance(u);
        await server.advance(7200);
        assert.equal(Math.round((b - (await balance(u))) * 1000) / 1000, 0.008);
        const r2 = await release(u, nlb.id);
        assert.equal(r2.status, 200);
        assert.equal(r2.json.type, 'nlb');
        assert.equal((await quota(u)).json.used, 0);
      });

      it('concurrent releases of one IP: exactly one 200, the others 4040302; charged once', async () => {
        const u = await fresh();
        const [nce] = await createOk(u, { nce: 1 });
        const b = await balance(u);
        const results = await Promise.all(Array.from({ length: 5 }, () => release(u, nce.id)));
        assert.equal(results.filter((r) => r.status === 200).length, 1);
        for (const r of results.filter((r) => r.status !== 200)) expectError(r, 404, 4040302, 'No such IP');
        assert.equal(await balance(u), b);
        assert.deepEqual((await list(u)).json, { total: 0, ips: [] });
      });

      it('4030411 for a bound IP; the refused release changes nothing', async () => {
        const u = await fresh();
        const [nce] = await createOk(u, { nce: 1 });
        const owner = { id: (await server.services.identity.findUserByName(u.user_name))!.id, user_name: u.user_name };
        await server.services.store.db.transaction().execute((tx) =>
          server.services.resources.ips.bind(tx, owner, nce.id, { service_type: 'microservice', service_id: '51572', service_name: 'web' }));
        const before = await snapshot(u);
        expectError(await release(u, nce.id), 403, 4030411, 'IP is using');
        assert.deepEqual(await snapshot(u), before);
        assert.equal((await get(u, nce.id)).json.status, 'binded');
      });

      it('4030009 for an abnormal account; 4040302 for unknown ids', async () => {
        const u = await fresh();
        const [nce] = await createOk(u, { nce: 1 });
        await patchUser(u, { status: 'abnormal' });
        expectError(await release(u, nce.id), 403, 4030009, 'User status abnormal.');
        await patchUser(u, { status: 'normal' });
        expectError(await release(u, 'quota'), 404, 4040302, 'No such IP');
        expectError(await release(u, '12345678'), 404, 4040302, 'No such IP');
        assert.equal((await get(u, nce.id)).status, 200);
      });
    });

    describe('disabled by arrears', () => {
      it('after a day in arrears every IP is disabled; an unbound one can still be released; paying restores them', async () => {
        const u = await fresh();
        const [nlb, nce] = await createOk(u, { nce: 1, nlb: 1 });
        const owner = { id: (await server.services.identity.findUserByName(u.user_name))!.id, user_name: u.user_name };
        await server.services.store.db.transaction().execute((tx) =>
          server.services.resources.ips.bind(tx, owner, nce.id, { service_type: 'microservice', service_id: '7', service_name: 'svc' }));
        await patchUser(u, { balance: -1 });
        await server.advance(1); // arrears seen: the grace day starts
        assert.equal((await get(u, nce.id)).json.status, 'binded');
        await server.advance(86_400);
        u.token = await server.token(u.app_key, u.app_secret); // a token lives 24 hours
        const disabled = await list(u, '?status=disabled');
        assert.equal(disabled.json.total, 2);
        expectError(await release(u, nce.id), 403, 4030411, 'IP is using');
        const r = await server.request('GET', `${BASE}/${nce.id}`, { token: u.token });
        assert.equal(r.json.service_id, '7');
        await patchUser(u, { balance: 100 });
        await server.advance(1);
        assert.equal((await get(u, nce.id)).json.status, 'binded');
        assert.equal((await get(u, nlb.id)).json.status, 'available');
        // Disabled and unbound: releasable.
        await patchUser(u, { balance: -1 });
        await server.advance(1);
        await server.advance(86_400);
        u.token = await server.token(u.app_key, u.app_secret);
        assert.equal((await get(u, nlb.id)).json.status, 'disabled');
        assert.equal((await release(u, nlb.id)).status, 200);
        await patchUser(u, { balance: 100 });
        await server.advance(1);
      });
    });

    describe('routing and authentication', () => {
      it('4010001 without a token on every endpoint; 4050001 with Allow; trailing slash and HEAD', async () => {
        const u = await fresh();
        const [nce] = await createOk(u, { nce: 1 });
        for (const [method, path] of [['POST', BASE], ['GET', BASE], ['GET', `${BASE}/quota`], ['GET', `${BASE}/${nce.id}`], ['GET', `${BASE}/${nce.id}/cost`], ['DELETE', `${BASE}/${nce.id}`]]) {
          expectError(await server.request(method!, path!, { headers: { authorization: 'Token 0123456789abcdef0123456789abcdef' } }), 401, 4010001, 'Unauthorized user.');
        }
        const put = await server.request('PUT', BASE, { token: u.token, body: {} });
        expectError(put, 405, 4050001, 'Http method not allowed.');
        assert.equal(put.headers.get('allow'), 'GET, HEAD, POST');
        expectError(await server.request('POST', `${BASE}/quota`, { token: u.token, body: {} }), 405, 4050001, 'Http method not allowed.');
        assert.equal((await server.request('GET', `${BASE}/`, { token: u.token })).json.total, 1);
        assert.equal((await server.request('GET', `${BASE}/${nce.id}/`, { token: u.token })).json.id, nce.id);
        const head = await server.request('HEAD', `${BASE}/${nce.id}`, { token: u.token });
        assert.equal(head.status, 200);
        assert.equal(head.text, '');
        // `quota` is its own endpoint, never an IP id; below it, it is an unknown id.
        expectError(await server.request('GET', `${BASE}/quota/cost`, { token: u.token }), 404, 4040302, 'No such IP');
        assert.equal((await get(u, nce.id)).status, 200);
      });
    });

    describe('internal failures (fault injection)', () => {
      it('answers 5000300, 5000301, 5000302 and 4040301 exactly, and changes nothing', async () => {
        const u = await fresh();
        const [nce] = await createOk(u, { nce: 1 });
        const before = await snapshot(u);
        const fault = (code: number) => ({ token: u.token, headers: { 'X-Opencomb-Fault': String(code) } });
        expectError(await server.request('GET', BASE, fault(5000300)), 500, 5000300, 'Server Error');
        expectError(await server.request('GET', `${BASE}/${nce.id}`, fault(5000300)), 500, 5000300, 'Server Error');
        expectError(await server.request('GET', `${BASE}/${nce.id}/cost`, fault(5000300)), 500, 5000300, 'Server Error');
        expectError(await server.request('GET', `${BASE}/quota`, fault(5000300)), 500, 5000300, 'Server Error');
        expectError(await server.request('POST', BASE, { ...fault(5000301), body: { nce: 1 } }), 500, 5000301, 'Create IP fail');
        expectError(await server.request('DELETE', `${BASE}/${nce.id}`, fault(5000302)), 500, 5000302, 'Delete IP fail');
        for (const [method, path] of [['POST', BASE], ['GET', BASE], ['GET', `${BASE}/${nce.id}`], ['GET', `${BASE}/${nce.id}/cost`], ['GET', `${BASE}/quota`], ['DELETE', `${BASE}/${nce.id}`]] as const) {
          expectError(await server.request(method, path, { ...fault(4040301), body: method === 'POST' ? { nce: 1 } : undefined }), 404, 4040301, 'No such user');
        }
        assert.deepEqual(await snapshot(u), before);
      });
    });
  });

  describe(`public IP address pool (${store})`, () => {
    let server: TestServer;
    before(async () => {
      // 10.9.0.0/29: six usable addresses, 10.9.0.1 to 10.9.0.6.
      server = await startTestServer(store, { ipPool: '10.9.0.0/29' });
    });
    after(() => server.close());

    it('allocates the lowest free addresses, 5000303 when the pool is exhausted, and reuses released ones', async () => {
      const a = await server.newUser('poola');
      const b = await server.newUser('poolb');
      const create = (u: TestUser, body: unknown) => server.request('POST', BASE, { token: u.token, body });
      const r1 = await create(a, { nce: 2, nlb: 1 });
      assert.equal(r1.status, 200, r1.text);
      assert.deepEqual(r1.json.ips.map((i: any) => i.ip), ['10.9.0.1', '10.9.0.2', '10.9.0.3']);
      const r2 = await create(b, { nce: 2 });
      assert.deepEqual(r2.json.ips.map((i: any) => i.ip), ['10.9.0.4', '10.9.0.5']);
      const balanceBefore = (await server.operator('PATCH', '/users/poolb', {})).json.balance;
      expectError(await create(b, { nce: 1, nlb: 1 }), 500, 5000303, 'IP not enough');
      expectError(await create(a, { nlb: 2 }), 500, 5000303, 'IP not enough');
      // Nothing was allocated by the refused requests.
      assert.equal((await server.request('GET', BASE, { token: b.token })).json.total, 2);
      assert.equal((await server.request('GET', '/api/v1/ips/quota', { token: a.token })).json.used, 3);
      assert.equal((await server.operator('PATCH', '/users/poolb', {})).json.balance, balanceBefore);
      const last = await create(b, { nlb: 1 });
      assert.equal(last.json.ips[0].ip, '10.9.0.6');
      expectError(await create(a, { nce: 1 }), 500, 5000303, 'IP not enough');
      // A released address is the first given out again.
      const released = await server.request('DELETE', `${BASE}/${r1.json.ips[1].id}`, { token: a.token });
      assert.equal(released.json.ip, '10.9.0.2');
      const again = await create(b, { nce: 1 });
      assert.equal(again.json.ips[0].ip, '10.9.0.2');
      // Quota is judged before the pool.
      expectError(await create(a, { nce: 30 }), 403, 4030302, 'Quota insufficient');
    });
  });
}
