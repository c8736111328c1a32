import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { expectError, startTestServer, STORES, type TestServer, type TestUser } from '../helpers/server.ts';
import { BACKUP_SECONDS, CREATE_SECONDS, Rds } from './helpers.ts';

const MISSING = [400, 4000801, 'miss required parameter'] as const;
const INVALID = [400, 4000803, 'invalid parameter value'] as const;
const NOT_FOUND = [404, 4040801, 'dbinstance not found'] as const;
const STATE = [400, 4000819, 'invalid dbinstance state'] as const;
const FORBIDDEN = [403, 4030801, 'permission forbidden'] as const;
const NO_ACCOUNT = [404, 4040805, 'account name not found'] as const;
const NO_DATABASE = [404, 4040806, 'database name not found'] as const;
const SNAPSHOT_KEYS = ['instance_name', 'snapshot_name', 'snapshot_create_time', 'status', 'snapshot_type', 'snaptshot_size', 'snapshot_policy'];
const grant = (account_name: string, database_name: string, privilege = 'read') => ({ account_name, database_name, privilege });

for (const store of STORES) {
  describe(`RDS snapshots, databases, accounts, privileges (${store})`, () => {
    let server: TestServer;
    let rds: Rds;
    let alice: TestUser;
    let bob: TestUser;

    before(async () => {
      server = await startTestServer(store);
      rds = new Rds(server);
      alice = await server.newUser('alice');
      bob = await server.newUser('bob');
      await rds.instance(alice, 'my-rds');
    });
    after(() => server.close());

    const r = (method: string, path: string, body?: unknown) => rds.req(alice, method, path, body);
    const quotas = (q: Record<string, number>) => server.operator('PATCH', '/users/alice', { quotas: q });

    describe('snapshots', () => {
      it('creates the documented snapshot under "snaptshot" (sic), backuping then available; latest_restorable_time follows', async () => {
        const c = await r('POST', '/snapshots/my-rds?snapshot_name=myrds20170511');
        assert.equal(c.status, 200, c.text);
        assert.deepEqual(Object.keys(c.json), ['snaptshot']);
        assert.deepEqual(Object.keys(c.json.snaptshot), SNAPSHOT_KEYS);
        assert.deepEqual({ ...c.json.snaptshot, snapshot_create_time: undefined }, {
          instance_name: 'my-rds', snapshot_name: 'myrds20170511', snapshot_create_time: undefined, status: 'backuping', snapshot_type: 'manual', snaptshot_size: 0, snapshot_policy: 'full',
        });
        const group = [400, 4000806, 'invalid db snapshot group state'] as const;
        expectError(await r('POST', '/snapshots/my-rds?snapshot_name=another'), ...group);
        expectError(await r('DELETE', '/instances/my-rds'), ...group);
        expectError(await r('DELETE', '/snapshots/my-rds/myrds20170511'), 400, 4000820, 'invalid db snapshot state');
        await server.advance(BACKUP_SECONDS);
        const list = await r('GET', '/snapshots/my-rds');
        assert.deepEqual(Object.keys(list.json), ['dbSnaptshots']);
        assert.equal(list.json.dbSnaptshots[0].status, 'available');
        assert.ok(Number.isInteger(list.json.dbSnaptshots[0].snaptshot_size) && list.json.dbSnaptshots[0].snaptshot_size > 0);
        const instance = (await r('GET', '/instances?instance_name=my-rds')).json.instances[0];
        assert.equal(instance.latest_restorable_time, c.json.snaptshot.snapshot_create_time);
      });

      it('lists newest first; 4000809 duplicate (any status); 4000814 quota; delete recomputes latest_restorable_time', async () => {
        await server.advance(2);
        assert.equal((await r('POST', '/snapshots/my-rds?snapshot_name=myrds20170512')).status, 200);
        expectError(await r('POST', '/snapshots/my-rds?snapshot_name=myrds20170512'), 400, 4000806, 'invalid db snapshot group state');
        await server.advance(BACKUP_SECONDS);
        expectError(await r('POST', '/snapshots/my-rds?snapshot_name=myrds20170511'), 400, 4000809, 'db snapshot already exists');
        const names = (await r('GET', '/snapshots/my-rds')).json.dbSnaptshots.map((s: { snapshot_name: string }) => s.snapshot_name);
        assert.deepEqual(names, ['myrds20170512', 'myrds20170511']);
        await quotas({ rds_snapshots: 2 });
        expectError(await r('POST', '/snapshots/my-rds?snapshot_name=third'), 400, 4000814, 'snapshot quota exceed');
        await quotas({ rds_snapshots: 10 });
        const d = await r('DELETE', '/snapshots/my-rds/myrds20170512');
        assert.equal(d.status, 200, d.text);
        assert.equal(d.text, '');
        expectError(await r('DELETE', '/snapshots/my-rds/myrds20170512'), 404, 4040807, 'snapshot not found');
        const left = (await r('GET', '/snapshots/my-rds')).json.dbSnaptshots;
        assert.equal((await r('GET', '/instances?instance_name=my-rds')).json.instances[0].latest_restorable_time, left[0].snapshot_create_time);
        assert.equal((await r('DELETE', '/snapshots/my-rds/myrds20170511')).status, 200);
        assert.equal((await r('GET', '/instances?instance_name=my-rds')).json.instances[0].latest_restorable_time, '');
      });

      it('names and paths: 4000801 missing, 4000803 bad name, 4040801 unknown instance, 4000819 while creating', async () => {
        expectError(await r('POST', '/snapshots/my-rds'), ...MISSING);
        expectError(await r('POST', '/snapshots/my-rds?snapshot_name='), ...MISSING);
        expectError(await r('POST', '/snapshots?snapshot_name=abc'), ...MISSING);
        expectError(await r('GET', '/snapshots'), ...MISSING);
        expectError(await r('DELETE', '/snapshots/my-rds'), ...MISSING);
        expectError(await r('DELETE', '/snapshots'), ...MISSING);
        for (const name of ['My', 'a-b', 'a_b', '1a', 'a'.repeat(64), 'a%20b']) expectError(await r('POST', `/snapshots/my-rds?snapshot_name=${name}`), ...INVALID);
        expectError(await r('POST', '/snapshots/nope?snapshot_name=abc'), ...NOT_FOUND);
        expectError(await r('GET', '/snapshots/nope'), ...NOT_FOUND);
        expectError(await r('DELETE', '/snapshots/nope/abc'), ...NOT_FOUND);
        expectError(await rds.req(bob, 'GET', '/snapshots/my-rds'), ...NOT_FOUND);
        assert.equal((await r('POST', '/instances', { instance_name: 'young', engine_version: '5.7.12', cpu: 1, memory: 1, disk_size: 5, port: 3306 })).status, 200);
        expectError(await r('POST', '/snapshots/young?snapshot_name=abc'), ...STATE);
        expectError(await r('DELETE', '/snapshots/young/abc'), ...STATE);
        assert.deepEqual((await r('GET', '/snapshots/young')).json, { dbSnaptshots: [] });
        expectError(await r('GET', '/databases/young'), 400, 4000807, 'get databases failed');
        expectError(await r('GET', '/accounts/young'), ...STATE);
        expectError(await r('GET', '/privileges/young'), ...STATE);
        expectError(await r('POST', '/accounts/young?account_name=u1&account_password=secret1&ip_list=%25'), ...STATE);
        await server.advance(CREATE_SECONDS);
        assert.deepEqual((await r('GET', '/databases/young')).json, { databases: ['information_schema', '#bak_database', 'mysql', 'performance_schema', 'sys'] });
      });

      it('snapshot_name may travel as a JSON body member', async () => {
        const c = await r('POST', '/snapshots/my-rds', { snapshot_name: 'viabody' });
        assert.equal(c.status, 200, c.text);
        assert.equal(c.json.snaptshot.snapshot_name, 'viabody');
        expectError(await r('POST', '/snapshots/my-rds', { snapshot_name: 'Via-Body' }), ...INVALID);
        await server.advance(BACKUP_SECONDS);
        assert.equal((await r('DELETE', '/snapshots/my-rds/viabody')).status, 200);
      });
    });

    describe('databases, accounts and privileges', () => {
      it('a new 5.6.19 instance lists its system databases in SHOW DATABASES order', async () => {
        const l = await r('GET', '/databases/my-rds');
        assert.equal(l.status, 200, l.text);
        assert.deepEqual(l.json, { databases: ['information_schema', '#bak_database', 'mysql', 'performance_schema', 'test'] });
      });

      it('creates the documented account with a grant on the documented database; ip_list normalized', async () => {
        await rds.database(alice, 'my-rds', 'my-database');
        const a = await r('POST', '/accounts/my-rds?account_name=doc_read&account_password=docpasswd&ip_list=10.173.%25', { privileges: [grant('doc_read', 'my-database')] });
        assert.equal(a.status, 200, a.text);
        assert.deepEqual(a.json, { database_accounts: [{ account_name: 'doc_read', database_name: 'my-database', privilege: 'read', ip_list: '10.173.%' }] });
        // Unencoded `%`, as the documentation sends it; commas and spaces; duplicates dropped.
        const w = await server.request('POST', '/api/v1/rds/accounts/my-rds?account_name=doc_write&account_password=w%40sX%3A1~&ip_list=10.173.%,%2010.% 10.173.%', {
          token: alice.token, body: { privileges: JSON.stringify([grant('doc_write', 'my-database', 'write'), grant('doc_write', 'test', 'super')]) },
        });
        assert.equal(w.status, 400, w.text); // `@` is not allowed in a password
        const ok = await server.request('POST', '/api/v1/rds/accounts/my-rds?account_name=doc_write&account_password=w%23sX%3A1~&ip_list=10.173.%,%2010.% 10.173.%', {
          token: alice.token, body: { privileges: JSON.stringify([grant('doc_write', 'my-database', 'write'), grant('doc_write', 'test', 'super')]) },
        });
        assert.equal(ok.status, 200, ok.text);
        assert.deepEqual(ok.json.database_accounts, [
          { account_name: 'doc_write', database_name: 'my-database', privilege: 'write', ip_list: '10.173.%,10.%' },
          { account_name: 'doc_write', database_name: 'test', privilege: 'super', ip_list: '10.173.%,10.%' },
        ]);
        await rds.account(alice, 'my-rds', 'app_super', '10.173.0.33');
        assert.deepEqual((await r('GET', '/accounts/my-rds')).json, { accounts: ['doc_read', 'doc_write', 'app_super'] });
      });

      it('passwords are kept only as mysql_native_password hashes and never answered', async () => {
        const rows = await server.services.store.db.selectFrom('rds_accounts').select(['name', 'password_hash']).orderBy('id').execute();
        const sha1 = (b: Buffer | string) => createHash('sha1').update(b).digest();
        const expected = (pw: string) => '*' + sha1(sha1(pw)).toString('hex').toUpperCase();
        assert.deepEqual(rows.map((x) => x.password_hash), [expected('docpasswd'), expected('w#sX:1~'), expected('docpasswd')]);
        // The well-known hash of "password" in MySQL.
        assert.equal(expected('password'), '*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19');
        const p = await r('PUT', '/accounts/my-rds/doc_read?account_password=doc_readpasswd');
        assert.equal(p.status, 200, p.text);
        assert.deepEqual(p.json, { database_accounts: [{ account_name: 'doc_read', database_name: 'my-database', privilege: 'read', ip_list: '10.173.%' }] });
        const after = await server.services.store.db.selectFrom('rds_accounts').select('password_hash').where('name', '=', 'doc_read').executeTakeFirstOrThrow();
        assert.equal(after.password_hash, expected('doc_readpasswd'));
        assert.deepEqual((await r('PUT', '/accounts/my-rds/app_super?account_password=123456')).json, { database_accounts: [] });
        for (const text of [p.text, (await r('GET', '/privileges/my-rds')).text]) assert.ok(!text.includes('passwd'));
      });

      it('query parameters may travel as JSON body members; the query string wins', async () => {
        const sha1 = (b: Buffer | string) => createHash('sha1').update(b).digest();
        const hashOf = async () => (await server.services.store.db.selectFrom('rds_accounts').select('password_hash').where('name', '=', 'body_acct').executeTakeFirstOrThrow()).password_hash;
        const c = await r('POST', '/accounts/my-rds?account_name=body_acct', { account_password: 'bodypass1', ip_list: '10.%', privileges: [grant('body_acct', 'my-database')] });
        assert.equal(c.status, 200, c.text);
        assert.deepEqual(c.json.database_accounts, [{ account_name: 'body_acct', database_name: 'my-database', privilege: 'read', ip_list: '10.%' }]);
        assert.equal(await hashOf(), '*' + sha1(sha1('bodypass1')).toString('hex').toUpperCase());
        assert.equal((await r('PUT', '/accounts/my-rds/body_acct?account_password=querypass', { account_password: 'bodypass2' })).status, 200);
        assert.equal(await hashOf(), '*' + sha1(sha1('querypass')).toString('hex').toUpperCase());
        assert.equal((await r('PUT', '/accounts/my-rds/body_acct', { account_password: 'bodypass2' })).status, 200);
        assert.equal(await hashOf(), '*' + sha1(sha1('bodypass2')).toString('hex').toUpperCase());
        expectError(await r('PUT', '/accounts/my-rds/body_acct', { account_password: 12345678 }), ...INVALID);
        expectError(await server.request('PUT', '/api/v1/rds/accounts/my-rds/body_acct', { token: alice.token, raw: '{', headers: { 'content-type': 'application/json' } }), 400, 4000403, 'Invalid request body');
        const m = await r('PUT', '/privileges/my-rds/body_acct', { ip_list: '%', privileges: [] });
        assert.deepEqual(m.json, { database_accounts: [] });
        assert.equal((await r('DELETE', '/accounts/my-rds/body_acct')).status, 200);
      });

      it('create database with initial grants; grants in request order; query privileges by account then grant order', async () => {
        const c = await rds.database(alice, 'my-rds', 'cloudcomb-doc', { privileges: [grant('app_super', 'cloudcomb-doc', 'super'), grant('doc_read', 'cloudcomb-doc')] });
        assert.deepEqual(c.json, { database_accounts: [
          { account_name: 'app_super', database_name: 'cloudcomb-doc', privilege: 'super', ip_list: '10.173.0.33' },
          { account_name: 'doc_read', database_name: 'cloudcomb-doc', privilege: 'read', ip_list: '10.173.%' },
        ] });
        const q = await r('GET', '/privileges/my-rds');
        assert.deepEqual(q.json.database_accounts.map((g: { account_name: string; database_name: string }) => `${g.account_name}/${g.database_name}`),
          ['doc_read/my-database', 'doc_read/cloudcomb-doc', 'doc_write/my-database', 'doc_write/test', 'app_super/cloudcomb-doc']);
        assert.deepEqual((await r('GET', '/databases/my-rds')).json.databases,
          ['information_schema', '#bak_database', 'cloudcomb-doc', 'my-database', 'mysql', 'performance_schema', 'test']);
        const utf = await r('POST', '/databases/my-rds?database_name=Upper_db&character_set=UTF8');
        assert.deepEqual(utf.json, { database_accounts: [] });
      });

      it('modify privileges: replaces the grant set and the ip_list; [] revokes; absent keeps grants', async () => {
        const m = await r('PUT', '/privileges/my-rds/doc_read?ip_list=10.%25', { privileges: [grant('doc_read', 'cloudcomb-doc')] });
        assert.equal(m.status, 200, m.text);
        assert.deepEqual(m.json, { database_accounts: [{ account_name: 'doc_read', database_name: 'cloudcomb-doc', privilege: 'read', ip_list: '10.%' }] });
        const keep = await r('PUT', '/privileges/my-rds/doc_read?ip_list=%25');
        assert.deepEqual(keep.json, { database_accounts: [{ account_name: 'doc_read', database_name: 'cloudcomb-doc', privilege: 'read', ip_list: '%' }] });
        const none = await r('PUT', '/privileges/my-rds/doc_read?ip_list=%25', { privileges: [] });
        assert.deepEqual(none.json, { database_accounts: [] });
        const back = await r('PUT', '/privileges/my-rds/doc_read?ip_list=%25', { privileges: [grant('doc_read', 'my-database'), grant('doc_read', 'test', 'write')] });
        assert.deepEqual(back.json.database_accounts.map((g: { database_name: string }) => g.database_name), ['my-database', 'test']);
      });

      it('delete database and account remove their grants; 4040806 / 4040805 afterwards', async () => {
        assert.equal((await r('DELETE', '/databases/my-rds/test')).status, 200);
        expectError(await r('DELETE', '/databases/my-rds/test'), ...NO_DATABASE);
        expectError(await r('DELETE', '/databases/my-rds/Upper_DB'), ...NO_DATABASE);
        const grants = (await r('GET', '/privileges/my-rds')).json.database_accounts;
        assert.ok(!grants.some((g: { database_name: string }) => g.database_name === 'test'));
        const d = await r('DELETE', '/accounts/my-rds/doc_write');
        assert.equal(d.status, 200, d.text);
        assert.equal(d.text, '');
        expectError(await r('DELETE', '/accounts/my-rds/doc_write'), ...NO_ACCOUNT);
        assert.deepEqual((await r('GET', '/accounts/my-rds')).json, { accounts: ['doc_read', 'app_super'] });
        assert.ok(!(await r('GET', '/privileges/my-rds')).json.database_accounts.some((g: { account_name: string }) => g.account_name === 'doc_write'));
      });

      it('database errors: 4000801, 4000803, 4030801 protected, 4000811 duplicate, 4040805 unknown account, 4000817 quota', async () => {
        expectError(await r('POST', '/databases/my-rds?character_set=utf8'), ...MISSING);
        expectError(await r('POST', '/databases/my-rds?database_name=x1'), ...MISSING);
        expectError(await r('POST', '/databases/my-rds?database_name=Bad!&character_set='), ...MISSING);
        expectError(await r('POST', '/databases?database_name=x1&character_set=utf8'), ...MISSING);
        expectError(await r('GET', '/databases/'), ...MISSING);
        expectError(await r('DELETE', '/databases/my-rds'), ...MISSING);
        expectError(await r('DELETE', '/databases'), ...MISSING);
        for (const name of ['1db', 'db-', 'Select', 'READ', '#bak_database', 'a'.repeat(64), 'd%20b']) {
          expectError(await r('POST', `/databases/my-rds?database_name=${encodeURIComponent(name)}&character_set=utf8`), ...INVALID);
        }
        expectError(await r('POST', '/databases/my-rds?database_name=x1&character_set=utf16'), ...INVALID);
        for (const name of ['mysql', 'SYS', 'Information_Schema', 'performance_schema']) {
          expectError(await r('POST', `/databases/my-rds?database_name=${name}&character_set=utf8`), ...FORBIDDEN);
          expectError(await r('DELETE', `/databases/my-rds/${name}`), ...FORBIDDEN);
        }
        expectError(await r('DELETE', `/databases/my-rds/${encodeURIComponent('#bak_database')}`), ...FORBIDDEN);
        expectError(await r('POST', '/databases/my-rds?database_name=my-database&character_set=utf8'), 400, 4000811, 'database already exists');
        const base = '/databases/my-rds?database_name=x1&character_set=utf8';
        expectError(await r('POST', base, { privileges: [grant('nobody', 'x1')] }), ...NO_ACCOUNT);
        expectError(await r('POST', base, { privileges: [grant('doc_read', 'other')] }), ...INVALID);
        expectError(await r('POST', base, { privileges: [grant('doc_read', 'x1'), grant('doc_read', 'x1', 'write')] }), ...INVALID);
        expectError(await r('POST', base, { privileges: [{ account_name: 'doc_read', database_name: 'x1' }] }), ...MISSING);
        expectError(await r('POST', base, { privileges: [grant('doc_read', 'x1', 'admin')] }), ...INVALID);
        expectError(await r('POST', base, { privileges: { account_name: 'doc_read' } }), ...INVALID);
        expectError(await r('POST', base, { privileges: '[{' }), ...INVALID);
        expectError(await r('POST', base, { privileges: [7] }), ...INVALID);
        expectError(await server.request('POST', `/api/v1/rds${base}`, { token: alice.token, raw: '{"privileges":', headers: { 'content-type': 'application/json' } }), 400, 4000403, 'Invalid request body');
        expectError(await server.request('POST', `/api/v1/rds${base}`, { token: alice.token, raw: 'x', headers: { 'content-type': 'text/plain' } }), 415, 4150001, 'Unsupported media type.');
        expectError(await r('POST', '/databases/nope?database_name=x1&character_set=utf8'), ...NOT_FOUND);
        expectError(await r('GET', '/databases/nope'), ...NOT_FOUND);
        expectError(await r('DELETE', '/databases/nope/x1'), ...NOT_FOUND);
        // user databases now: cloudcomb-doc, my-database, Upper_db
        await quotas({ rds_databases: 3 });
        expectError(await r('POST', base), 400, 4000817, 'database quota exceed');
        await quotas({ rds_databases: 100 });
        assert.equal((await r('POST', base)).status, 200);
      });

      it('account errors: 4000801, 4000803 (name, reserved, root, password, ip_list, privileges), 4000810, 4030801, 4040806, 4000818', async () => {
        const path = (name: string, pw = 'secret1', ip = '%25') => `/accounts/my-rds?account_name=${name}&account_password=${pw}&ip_list=${ip}`;
        expectError(await r('POST', '/accounts/my-rds?account_password=secret1&ip_list=%25'), ...MISSING);
        expectError(await r('POST', '/accounts/my-rds?account_name=u1&ip_list=%25'), ...MISSING);
        expectError(await r('POST', '/accounts/my-rds?account_name=u1&account_password=secret1'), ...MISSING);
        expectError(await r('POST', '/accounts/my-rds?account_name=1bad&account_password=secret1'), ...MISSING);
        expectError(await r('POST', '/accounts?account_name=u1&account_password=secret1&ip_list=%25'), ...MISSING);
        expectError(await r('GET', '/accounts'), ...MISSING);
        expectError(await r('DELETE', '/accounts/my-rds'), ...MISSING);
        expectError(await r('PUT', '/accounts/my-rds?account_password=secret1'), ...MISSING);
        for (const name of ['1u', 'u_', 'a'.repeat(17), 'select', 'Usage', 'root', 'ROOT', 'u-1']) expectError(await r('POST', path(name)), ...INVALID);
        for (const pw of ['short', 'has%40at', 'has%2Fslash', 'has%22quote', 'a'.repeat(17), 'tab%09tab']) expectError(await r('POST', path('u1', pw)), ...INVALID);
        for (const ip of ['10.1.2', '256.1.1.1', 'abc', '10.%25.1', '10.1.2.3.4', Array.from({ length: 51 }, (_, i) => `10.0.0.${i}`).join(',')]) {
          expectError(await r('POST', path('u1', 'secret1', ip)), ...INVALID);
        }
        expectError(await r('POST', path('u1'), { privileges: [grant('u2', 'my-database')] }), ...INVALID);
        expectError(await r('POST', path('u1'), { privileges: [grant('u1', 'my-database'), grant('u1', 'my-database', 'super')] }), ...INVALID);
        expectError(await r('POST', path('doc_read')), 400, 4000810, 'db account already exists');
        expectError(await r('POST', path('u1'), { privileges: [grant('u1', 'mysql')] }), ...FORBIDDEN);
        expectError(await r('POST', path('u1'), { privileges: [grant('u1', 'my-database'), grant('u1', 'nope')] }), ...NO_DATABASE);
        assert.deepEqual((await r('GET', '/accounts/my-rds')).json, { accounts: ['doc_read', 'app_super'] });
        await quotas({ rds_accounts: 2 });
        expectError(await r('POST', path('u1')), 400, 4000818, 'db account quota exceed');
        await quotas({ rds_accounts: 50 });
        expectError(await r('POST', '/accounts/nope?account_name=u1&account_password=secret1&ip_list=%25'), ...NOT_FOUND);
        expectError(await r('GET', '/accounts/nope'), ...NOT_FOUND);
        expectError(await r('DELETE', '/accounts/nope/u1'), ...NOT_FOUND);
        expectError(await r('PUT', '/accounts/my-rds/nobody?account_password=secret1'), ...NO_ACCOUNT);
        expectError(await r('PUT', '/accounts/my-rds/doc_read'), ...MISSING);
        expectError(await r('PUT', '/accounts/my-rds/doc_read?account_password=bad'), ...INVALID);
        expectError(await r('PUT', '/accounts/nope/doc_read?account_password=secret1'), ...NOT_FOUND);
      });

      it('privilege errors: 4000801, 4000803, 4040805, 4030801, 4040806, 4040801; query 4040801', async () => {
        expectError(await r('PUT', '/privileges/my-rds/doc_read'), ...MISSING);
        expectError(await r('PUT', '/privileges/my-rds?ip_list=%25'), ...MISSING);
        expectError(await r('PUT', '/privileges?ip_list=%25'), ...MISSING);
        expectError(await r('GET', '/privileges'), ...MISSING);
        expectError(await r('PUT', '/privileges/my-rds/doc_read?ip_list=%25', { privileges: [{ account_name: 'doc_read', privilege: 'read' }] }), ...MISSING);
        expectError(await r('PUT', '/privileges/my-rds/doc_read?ip_list=10.1', { privileges: [] }), ...INVALID);
        expectError(await r('PUT', '/privileges/my-rds/doc_read?ip_list=%25', { privileges: [grant('app_super', 'my-database')] }), ...INVALID);
        expectError(await r('PUT', '/privileges/my-rds/doc_read?ip_list=%25', { privileges: 'read' }), ...INVALID);
        expectError(await r('PUT', '/privileges/my-rds/nobody?ip_list=%25'), ...NO_ACCOUNT);
        expectError(await r('PUT', '/privileges/my-rds/doc_read?ip_list=%25', { privileges: [grant('doc_read', 'performance_schema')] }), ...FORBIDDEN);
        expectError(await r('PUT', '/privileges/my-rds/doc_read?ip_list=%25', { privileges: [grant('doc_read', 'gone')] }), ...NO_DATABASE);
        expectError(await r('PUT', '/privileges/nope/doc_read?ip_list=%25'), ...NOT_FOUND);
        expectError(await r('GET', '/privileges/nope'), ...NOT_FOUND);
        // A refused change changes nothing.
        assert.deepEqual((await r('GET', '/privileges/my-rds')).json.database_accounts.filter((g: { account_name: string }) => g.account_name === 'doc_read')
          .map((g: { database_name: string }) => g.database_name), ['my-database']);
        expectError(await rds.req(bob, 'GET', '/privileges/my-rds'), ...NOT_FOUND);
      });

      it('deleting the instance removes everything it holds', async () => {
        assert.equal((await r('DELETE', '/instances/my-rds')).status, 200);
        await server.advance(3);
        expectError(await r('GET', '/accounts/my-rds'), ...NOT_FOUND);
        for (const table of ['rds_databases', 'rds_accounts', 'rds_grants', 'rds_snapshots'] as const) {
          const rows = await server.services.store.db.selectFrom(table).select('id').execute();
          // only the `young` instance's system databases remain
          if (table === 'rds_databases') assert.equal(rows.length, 5);
          else assert.equal(rows.length, 0, table);
        }
      });
    });
  });
}
