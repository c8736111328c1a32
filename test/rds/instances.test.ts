import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectError, startTestServer, STORES, type TestServer, type TestUser } from '../helpers/server.ts';
import { BASE, CREATE_SECONDS, DELETE_SECONDS, instanceBody, Rds } from './helpers.ts';

const INSTANCE_KEYS = ['disk_size', 'memory', 'vcpu', 'backup_type', 'full_backup_interval', 'backup_retention_num', 'incre_backup_interval', 'instance_name',
  'instance_status', 'endpoint', 'engine_version', 'instance_create_time', 'latest_restorable_time', 'preferred_backup_window', 'disk_medium', 'replication_type',
  'charge_type', 'security_groups', 'read_replica_instance_name', 'read_replica_source_instance_name', 'health_check_status', 'health_check_score',
  'enable_public_ip', 'public_ip'];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const MISSING = [400, 4000801, 'miss required parameter'] as const;
const INVALID = [400, 4000803, 'invalid parameter value'] as const;
const NOT_FOUND = [404, 4040801, 'dbinstance not found'] as const;
const STATE = [400, 4000819, 'invalid dbinstance state'] as const;

for (const store of STORES) {
  describe(`RDS instances (${store})`, () => {
    let server: TestServer;
    let rds: Rds;
    let alice: TestUser;
    let bob: TestUser;

    before(async () => {
      server = await startTestServer(store, { faultInjection: true });
      rds = new Rds(server);
      alice = await server.newUser('alice');
      bob = await server.newUser('bob');
    });
    after(() => server.close());

    const create = (user: TestUser, body: unknown) => rds.req(user, 'POST', '/instances', body);
    const get = async (user: TestUser, name: string) => (await rds.req(user, 'GET', `/instances?instance_name=${name}`)).json.instances[0];
    const del = (user: TestUser, name: string) => rds.req(user, 'DELETE', `/instances/${name}`);
    const quotas = (user: string, q: Record<string, number>) => server.operator('PATCH', `/users/${user}`, { quotas: q });

    it('creates the documented instance: creating, then available after the delay, every field in documented order', async () => {
      const r = await create(alice, instanceBody('my-rds'));
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json, { instance_name: 'my-rds' });
      const i = await get(alice, 'my-rds');
      assert.deepEqual(Object.keys(i), INSTANCE_KEYS);
      assert.deepEqual({ ...i, endpoint: undefined, instance_create_time: undefined }, {
        disk_size: 20, memory: 2048, vcpu: 1, backup_type: 'full', full_backup_interval: 3, backup_retention_num: 7, incre_backup_interval: 1,
        instance_name: 'my-rds', instance_status: 'creating', endpoint: undefined, engine_version: '5.6.19', instance_create_time: undefined,
        latest_restorable_time: '', preferred_backup_window: 'Sat:01:00-Sat:01:30', disk_medium: 'SSD', replication_type: 'VSR', charge_type: 'HOUR',
        security_groups: [{ security_group_name: 'default', security_group_description: 'Default security group', ip_ranges: ['0.0.0.0/0'] }],
        read_replica_instance_name: '', read_replica_source_instance_name: '', health_check_status: 'unknown', health_check_score: 0,
        enable_public_ip: false, public_ip: null,
      });
      assert.match(i.instance_create_time, ISO);
      assert.deepEqual(Object.keys(i.endpoint), ['address', 'port']);
      assert.match(i.endpoint.address, /^10\.18\.\d{1,3}\.\d{1,3}$/);
      assert.equal(i.endpoint.port, 3309);
      await server.advance(CREATE_SECONDS - 2);
      assert.equal((await get(alice, 'my-rds')).instance_status, 'creating');
      await server.advance(2);
      const ready = await get(alice, 'my-rds');
      assert.equal(ready.instance_status, 'available');
      assert.equal(ready.health_check_status, 'normal');
      assert.equal(ready.health_check_score, 100);
      assert.equal(ready.endpoint.address, i.endpoint.address);
    });

    it('lists the caller’s instances oldest first; a name filter answers one or 4040801; isolation between users', async () => {
      await rds.instance(bob, 'b-one', { engine_version: '5.7.12', cpu: 8, memory: 32, disk_size: '800', port: '65535' });
      await rds.instance(bob, 'b-two', { engine_version: '5.5.30', cpu: '1', memory: '1', disk_size: 5, port: 1024 });
      const all = await rds.req(bob, 'GET', '/instances');
      assert.equal(all.status, 200, all.text);
      assert.deepEqual(all.json.instances.map((i: { instance_name: string }) => i.instance_name), ['b-one', 'b-two']);
      assert.deepEqual([all.json.instances[0].memory, all.json.instances[0].vcpu, all.json.instances[0].disk_size], [32768, 8, 800]);
      assert.notEqual(all.json.instances[0].endpoint.address, all.json.instances[1].endpoint.address);
      assert.equal((await rds.req(bob, 'GET', '/instances?instance_name=')).json.instances.length, 2);
      expectError(await rds.req(bob, 'GET', '/instances?instance_name=my-rds'), ...NOT_FOUND);
      expectError(await rds.req(bob, 'GET', '/instances?instance_name=Not_Valid'), ...NOT_FOUND);
      expectError(await del(bob, 'my-rds'), ...NOT_FOUND);
      // alice's list does not show bob's instances
      assert.deepEqual((await rds.req(alice, 'GET', '/instances')).json.instances.map((i: { instance_name: string }) => i.instance_name), ['my-rds']);
    });

    it('4000801: no body, a field missing, null or empty — before any invalid value', async () => {
      expectError(await server.request('POST', `${BASE}/instances`, { token: alice.token }), ...MISSING);
      for (const field of ['instance_name', 'engine_version', 'cpu', 'memory', 'disk_size', 'port']) {
        const body: Record<string, unknown> = instanceBody('x-y');
        delete body[field];
        expectError(await create(alice, body), ...MISSING);
        expectError(await create(alice, { ...instanceBody('x-y'), [field]: null }), ...MISSING);
        expectError(await create(alice, { ...instanceBody('x-y'), [field]: '' }), ...MISSING);
      }
      // A missing port is reported before the invalid name that precedes it.
      expectError(await create(alice, { ...instanceBody('Bad_Name'), port: undefined }), ...MISSING);
    });

    it('4000803: every field’s rule; only then the cpu/memory pair (4040808)', async () => {
      const bad: Array<Record<string, unknown>> = [
        { instance_name: 'My-rds' }, { instance_name: '1rds' }, { instance_name: 'rds-' }, { instance_name: 'a'.repeat(64) }, { instance_name: 7 },
        { engine_version: '5.7' }, { engine_version: '8.0.0' },
        { cpu: 0 }, { cpu: -1 }, { cpu: 1.5 }, { cpu: '1.5' }, { cpu: 'one' }, { memory: 0 }, { memory: true },
        { disk_size: 4 }, { disk_size: 0 }, { disk_size: 12 }, { disk_size: 805 }, { disk_size: 20.5 },
        { port: 1023 }, { port: 65536 }, { port: '33x' },
        { cpu: 3, memory: 'x' },
      ];
      for (const extra of bad) expectError(await create(alice, instanceBody('ok-name', extra)), ...INVALID);
      assert.ok(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test('a'.repeat(63)));
      for (const [cpu, memory] of [[2, 2], [3, 4], [1, 4], [16, 32]]) {
        expectError(await create(alice, instanceBody('ok-name', { cpu, memory })), 404, 4040808, 'standard not found');
      }
    });

    it('4000808 duplicate name for the same user (also while deleting); another user may reuse it', async () => {
      expectError(await create(alice, instanceBody('my-rds')), 400, 4000808, 'dbinstance already exists');
      const r = await create(bob, instanceBody('my-rds'));
      // bob already holds 2 instances: the quota speaks, not the name.
      expectError(r, 400, 4000812, 'instance quota exceeded');
    });

    it('quotas in order: instances (2), storage, memory, ECU', async () => {
      const carol = await server.newUser('carol');
      await rds.instance(carol, 'c-one', { cpu: 8, memory: 32, disk_size: 600 });
      await rds.instance(carol, 'c-two', { cpu: 4, memory: 8, disk_size: 200 });
      expectError(await create(carol, instanceBody('c-three')), 400, 4000812, 'instance quota exceeded');
      await quotas('carol', { rds_instances: 10 });
      // storage 800 used of 1000
      expectError(await create(carol, instanceBody('c-three', { cpu: 16, memory: 64, disk_size: 205 })), 400, 4000813, 'storage quota exceeded');
      // memory 40 used of 64
      expectError(await create(carol, instanceBody('c-three', { cpu: 16, memory: 64, disk_size: 200 })), 400, 4000815, 'mem quota exceed');
      // ECU 12 used of 16
      expectError(await create(carol, instanceBody('c-three', { cpu: 8, memory: 16, disk_size: 200 })), 400, 4000816, 'ecu quota exceed');
      // exactly at every limit is fine
      const ok = await create(carol, instanceBody('c-three', { cpu: 4, memory: 8, disk_size: 200 }));
      assert.equal(ok.status, 200, ok.text);
      await quotas('carol', { rds_storage_gb: 2000, rds_memory_gb: 1000, rds_ecu: 1000 });
      assert.equal((await create(carol, instanceBody('c-four', { cpu: 16, memory: 64, disk_size: 800 }))).status, 200);
    });

    it('delete: 4000819 while creating; then deleting (name still taken, GET only), then gone', async () => {
      const dave = await server.newUser('dave');
      assert.equal((await create(dave, instanceBody('d-one'))).status, 200);
      expectError(await del(dave, 'd-one'), ...STATE);
      await server.advance(CREATE_SECONDS);
      const r = await del(dave, 'd-one');
      assert.equal(r.status, 200, r.text);
      assert.equal(r.text, '');
      assert.equal(r.headers.get('content-length'), '0');
      assert.equal((await get(dave, 'd-one')).instance_status, 'deleting');
      expectError(await del(dave, 'd-one'), ...STATE);
      expectError(await create(dave, instanceBody('d-one')), 400, 4000808, 'dbinstance already exists');
      expectError(await rds.req(dave, 'POST', '/snapshots/d-one?snapshot_name=s1'), ...STATE);
      await server.advance(DELETE_SECONDS);
      expectError(await rds.req(dave, 'GET', '/instances?instance_name=d-one'), ...NOT_FOUND);
      assert.deepEqual((await rds.req(dave, 'GET', '/instances')).json, { instances: [] });
      assert.equal((await create(dave, instanceBody('d-one'))).status, 200);
    });

    it('a failed instance may be deleted; nothing else changes it (4000819)', async () => {
      const erin = await server.newUser('erin');
      await rds.instance(erin, 'e-one');
      await rds.setInstance('erin', 'e-one', { status: 'failed' });
      expectError(await rds.req(erin, 'POST', '/databases/e-one?database_name=db1&character_set=utf8'), ...STATE);
      expectError(await rds.req(erin, 'GET', '/databases/e-one'), 400, 4000807, 'get databases failed');
      assert.equal((await get(erin, 'e-one')).health_check_status, 'unknown');
      assert.equal((await del(erin, 'e-one')).status, 200);
    });

    it('monthly/yearly instances: 4000822 before the order is confirmed, 4000821 after, deletable once failed', async () => {
      const fred = await server.newUser('fred');
      const seeded = await rds.seed('fred', 'f-month', { charge_type: 'MONTH', order_confirmed: false });
      assert.equal(seeded.json.instance_status, 'creating');
      assert.equal(seeded.json.charge_type, 'MONTH');
      await server.advance(60);
      assert.equal((await get(fred, 'f-month')).instance_status, 'creating');
      const order = [400, 4000822, 'forbidden operation before order confirm'] as const;
      expectError(await del(fred, 'f-month'), ...order);
      expectError(await rds.req(fred, 'POST', '/snapshots/f-month?snapshot_name=s1'), ...order);
      expectError(await rds.req(fred, 'DELETE', '/snapshots/f-month/s1'), ...order);
      expectError(await rds.req(fred, 'POST', '/databases/f-month?database_name=db1&character_set=utf8'), ...order);
      expectError(await rds.req(fred, 'DELETE', '/databases/f-month/test'), ...order);
      expectError(await rds.req(fred, 'POST', '/accounts/f-month?account_name=u1&account_password=secret1&ip_list=%25'), ...order);
      expectError(await rds.req(fred, 'DELETE', '/accounts/f-month/u1'), ...order);
      expectError(await rds.req(fred, 'PUT', '/accounts/f-month/u1?account_password=secret1'), ...order);
      expectError(await rds.req(fred, 'PUT', '/privileges/f-month/u1?ip_list=%25'), ...order);
      // GETs still answer (state rules apply to the listings).
      assert.equal((await rds.req(fred, 'GET', '/snapshots/f-month')).status, 200);
      expectError(await rds.req(fred, 'GET', '/accounts/f-month'), ...STATE);

      await rds.setInstance('fred', 'f-month', { order_confirmed: true });
      await server.advance(CREATE_SECONDS);
      assert.equal((await get(fred, 'f-month')).instance_status, 'available');
      expectError(await del(fred, 'f-month'), 400, 4000821, 'forbidden to delete monthly or yearly instance');
      await rds.seed('fred', 'f-year', { charge_type: 'YEAR' });
      expectError(await del(fred, 'f-year'), 400, 4000821, 'forbidden to delete monthly or yearly instance');
      await rds.setInstance('fred', 'f-year', { status: 'failed' });
      assert.equal((await del(fred, 'f-year')).status, 200);
    });

    it('4330801 (status 433 "Not Certification") for a user the operator marks uncertified, before anything else', async () => {
      const gina = await server.newUser('gina');
      assert.equal((await server.operator('PATCH', '/users/gina', { certified: false })).status, 200);
      for (const [method, path] of [['GET', '/instances'], ['POST', '/instances'], ['DELETE', '/instances/x'], ['GET', '/snapshots']]) {
        const r = await rds.req(gina, method!, path!);
        expectError(r, 433, 4330801, 'not certification');
        assert.equal(r.statusText, 'Not Certification');
      }
      // Other domains do not ask for certification.
      assert.equal((await server.request('GET', '/api/v1/namespaces', { token: gina.token })).status, 200);
      await server.operator('PATCH', '/users/gina', { certified: true });
      assert.equal((await rds.req(gina, 'GET', '/instances')).status, 200);
    });

    it('4000801 for a path without its instance name (never another route)', async () => {
      expectError(await rds.req(alice, 'DELETE', '/instances'), ...MISSING);
      expectError(await rds.req(alice, 'DELETE', '/instances/'), ...MISSING);
      expectError(await server.request('GET', `${BASE}/instances/my-rds`, { token: alice.token }), 405, 4050001, 'Http method not allowed.');
      expectError(await server.request('GET', `${BASE}/instances`), 401, 4010001, 'Unauthorized user.');
    });

    it('codes without a natural trigger, through fault injection: 4000802, 4040802, 4040803, 4040804, 5000801', async () => {
      // Provisioning failures of create instance.
      for (const [code, status, message] of [[4000802, 400, 'calculate rds price error'], [4040804, 404, 'db security group not found'], [5000801, 500, 'internal failure']] as const) {
        const r = await server.request('POST', `${BASE}/instances`, { token: alice.token, body: instanceBody('faulty'), headers: { 'x-opencomb-fault': String(code) } });
        expectError(r, status, code, message);
      }
      // The store-consistency guards of an instance lookup.
      for (const [code, message] of [[4040802, 'dbinstance id not found'], [4040803, 'dbinstance duplicate']] as const) {
        const r = await server.request('GET', `${BASE}/instances?instance_name=my-rds`, { token: alice.token, headers: { 'x-opencomb-fault': String(code) } });
        expectError(r, 404, code, message);
      }
      expectError(await rds.req(alice, 'GET', '/instances?instance_name=faulty'), ...NOT_FOUND);
    });
  });
}
