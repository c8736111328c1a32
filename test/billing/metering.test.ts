import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Billing } from '../../src/domains/contracts.ts';
import type { Tx } from '../../src/store/db.ts';
import { expectError, startTestServer, STORES, type TestServer, type TestUser } from '../helpers/server.ts';

const BASE = '/api/v1/cloud-volumes';
const HOUR = 3600;

for (const store of STORES) {
  describe(`billing (${store})`, () => {
    let server: TestServer;
    let billing: Billing;

    before(async () => {
      server = await startTestServer(store, { volumeCreateDelaySeconds: 1 });
      billing = server.services.resources.billing;
    });
    after(() => server.close());

    const userId = async (u: TestUser) => (await server.services.identity.findUserByName(u.user_name))!.id;
    const inTx = <T>(work: (tx: Tx) => Promise<T>) => server.services.store.db.transaction().execute(work);
    const charges = (uid: number) => server.services.store.db.selectFrom('charges').selectAll().where('user_id', '=', uid).orderBy('id').execute();

    it('a volume is charged 0.0007 CNY/GB-hour per started hour, recorded as charges that lower the balance', async () => {
      const user = await server.newUser();
      const uid = await userId(user);
      assert.equal(await billing.balance(uid), 1000);
      const r = await server.request('POST', BASE, { token: user.token, body: { volume_name: 'billed', size: 100 } });
      assert.equal(r.status, 200, r.text);
      const rid = String(r.json.id);
      const created = (await server.request('GET', `${BASE}/${rid}`, { token: user.token })).json.created_at;

      // the first hour is charged when it starts
      assert.equal(await billing.balance(uid), 999.93);
      assert.equal(await billing.frozen(uid), 0.07);
      assert.deepEqual(await billing.accrued(uid, 'volume', rid), { amount: 0.07, since: created });
      let rows = await charges(uid);
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.amount, 0.07);
      assert.equal(rows[0]!.hours, 1);
      assert.equal(rows[0]!.period_start, created);
      assert.equal(Date.parse(rows[0]!.period_end) - Date.parse(created), HOUR * 1000);

      await server.advance(HOUR - 2); // (2 s short: real time also moves the clock a little)
      assert.equal((await charges(uid)).length, 1);
      assert.equal(await billing.balance(uid), 999.93);
      await server.advance(2); // the second hour starts
      assert.equal(await billing.balance(uid), 999.86);
      assert.equal((await charges(uid)).length, 2);

      await server.advance(2 * HOUR); // two more hours started: one record covering both
      rows = await charges(uid);
      assert.equal(rows.length, 3);
      assert.equal(rows[2]!.hours, 2);
      assert.equal(rows[2]!.amount, 0.14);
      assert.equal(rows[2]!.period_start, rows[1]!.period_end);
      assert.deepEqual(await billing.accrued(uid, 'volume', rid), { amount: 0.28, since: created });
      assert.equal(await billing.balance(uid), 999.72);

      // resize: the started hour stays at the old price, the next one is charged at the new size
      await server.advance(60);
      assert.equal((await server.request('PUT', `${BASE}/${rid}/actions/resize?size=200`, { token: user.token })).status, 200);
      assert.equal(await billing.balance(uid), 999.72);
      assert.equal(await billing.frozen(uid), 0.14);
      await server.advance(HOUR - 60);
      assert.equal(await billing.balance(uid), 999.58);
      assert.equal((await charges(uid)).at(-1)!.hourly_price, 0.14);

      // delete: metering stops, what was charged stays charged
      assert.equal((await server.request('DELETE', `${BASE}/${rid}`, { token: user.token })).status, 200);
      assert.equal(await billing.frozen(uid), 0);
      await server.advance(5 * HOUR);
      assert.equal(await billing.balance(uid), 999.58);
      assert.deepEqual(await billing.accrued(uid, 'volume', rid), { amount: 0.42, since: created });
      const sum = (await charges(uid)).reduce((s, c) => s + c.amount, 0);
      assert.equal(Math.round(sum * 1e6) / 1e6, 0.42);
    });

    it('a volume is billed from its created_at, also when the request runs across a second boundary', async () => {
      const user = await server.newUser();
      const uid = await userId(user);
      for (let round = 0; round < 5; round++) {
        // Start a burst of creates just before the server clock's second changes (the clock moves in real
        // time; advances are whole seconds, so its millisecond part is the wall clock's).
        const from = 990 + round * 2;
        const inWindow = () => Date.now() % 1000 >= from && Date.now() % 1000 < from + 3;
        while (!inWindow()) await new Promise((r) => setImmediate(r));
        const made = await Promise.all(Array.from({ length: 8 }, (_, i) =>
          server.request('POST', BASE, { token: user.token, body: { volume_name: `edge-${round}-${i}`, size: 10 } })));
        for (const r of made) {
          assert.equal(r.status, 200, r.text);
          const created = (await server.request('GET', `${BASE}/${r.json.id}`, { token: user.token })).json.created_at;
          assert.deepEqual(await billing.accrued(uid, 'volume', String(r.json.id)), { amount: 0.007, since: created });
          const first = await server.services.store.db.selectFrom('charges').select('period_start')
            .where('user_id', '=', uid).where('resource_id', '=', String(r.json.id)).executeTakeFirstOrThrow();
          assert.equal(first.period_start, created);
        }
      }
    });

    it('meter/unmeter through the interface: an IP-priced meter reports 0.004 × started hours', async () => {
      const user = await server.newUser();
      const uid = await userId(user);
      assert.equal(await billing.accrued(uid, 'ip', 'x'), undefined);
      await inTx((tx) => billing.meter(tx, uid, 'ip', '163', 0.004));
      assert.equal((await billing.accrued(uid, 'ip', '163'))!.amount, 0.004);
      await server.advance(314 * HOUR + 10); // 315 started hours
      assert.equal((await billing.accrued(uid, 'ip', '163'))!.amount, 1.26);
      assert.equal(await billing.balance(uid), 998.74);
      // a consumer whose transaction fails leaves no meter and no charge behind
      await assert.rejects(inTx(async (tx) => {
        await billing.meter(tx, uid, 'ip', '164', 0.004);
        throw new Error('consumer failed');
      }), /consumer failed/);
      assert.equal(await billing.accrued(uid, 'ip', '164'), undefined);
      assert.equal(await billing.balance(uid), 998.74);
      await inTx((tx) => billing.unmeter(tx, uid, 'ip', '163'));
      await inTx((tx) => billing.unmeter(tx, uid, 'ip', '163')); // idempotent
      await server.advance(10 * HOUR);
      assert.equal((await billing.accrued(uid, 'ip', '163'))!.amount, 1.26);
      assert.equal(await billing.frozen(uid), 0);
    });

    it('requireBalance refuses below 50 with the code it is given', async () => {
      const user = await server.newUser();
      const uid = await userId(user);
      await server.operator('PATCH', `/users/${user.user_name}`, { balance: 49.999 });
      for (const [name, code, message] of [['VOLUME_BALANCE_INSUFFICIENT', 4030201, 'Balance insufficient.'], ['IP_BALANCE_INSUFFICIENT', 4030301, 'Balance insufficient']] as const) {
        await assert.rejects(inTx((tx) => billing.requireBalance(tx, uid, name)), (err: { code?: number; message?: string }) => {
          assert.deepEqual({ code: err.code, message: err.message }, { code, message });
          return true;
        });
      }
      await server.operator('PATCH', `/users/${user.user_name}`, { balance: 50 });
      await inTx((tx) => billing.requireBalance(tx, uid, 'IP_BALANCE_INSUFFICIENT'));
    });

    it('accrual continues into arrears; usersInArrears lists exactly the users below zero', async () => {
      const rich = await server.newUser();
      const poor = await server.newUser();
      const poorId = await userId(poor);
      const richId = await userId(rich);
      for (const u of [rich, poor]) {
        const r = await server.request('POST', BASE, { token: u.token, body: { volume_name: 'big', size: 1000 } });
        assert.equal(r.status, 200, r.text);
      }
      await server.operator('PATCH', `/users/${poor.user_name}`, { balance: 1 });
      assert.ok(!(await billing.usersInArrears()).includes(poorId));
      await server.advance(2 * HOUR);
      assert.equal(await billing.balance(poorId), -0.4); // 1 − 2 × 0.7
      const arrears = await billing.usersInArrears();
      assert.ok(arrears.includes(poorId));
      assert.ok(!arrears.includes(richId));
      // a user in arrears cannot buy
      expectError(await server.request('POST', BASE, { token: poor.token, body: { volume_name: 'more', size: 10 } }), 403, 4030201, 'Balance insufficient.');
    });
  });
}
