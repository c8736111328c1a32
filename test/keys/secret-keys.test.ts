import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { expectError, startTestServer, STORES, type TestServer, type TestUser } from '../helpers/server.ts';

/** What `ssh-keygen -l -E md5` prints for a private key file, without the `MD5:` prefix. */
function sshKeygenFingerprint(pem: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'key-'));
  const file = join(dir, 'id_rsa');
  writeFileSync(file, pem, { mode: 0o600 });
  const out = execFileSync('ssh-keygen', ['-l', '-E', 'md5', '-f', file], { encoding: 'utf8' });
  return /MD5:([0-9a-f:]+)/.exec(out)![1]!;
}

for (const store of STORES) {
  describe(`secret keys (${store})`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    before(async () => {
      server = await startTestServer(store);
      alice = await server.newUser('alice');
      bob = await server.newUser('bob');
    });
    after(() => server.close());

    const create = (u: TestUser, body?: unknown) => server.request('POST', '/api/v1/secret-keys', { token: u.token, body });
    const list = async (u: TestUser) => (await server.request('GET', '/api/v1/secret-keys', { token: u.token })).json as Array<Record<string, unknown>>;

    test('create answers 201 with id, name, fingerprint, created_at in that order; the key is a real RSA-2048 pair', async () => {
      const r = await create(alice, { key_name: 'name' });
      assert.equal(r.status, 201);
      assert.deepEqual(Object.keys(r.json), ['id', 'name', 'fingerprint', 'created_at']);
      assert.equal(r.json.name, 'name');
      assert.match(r.json.fingerprint, /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
      assert.match(r.json.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const pem = await server.request('GET', `/api/v1/secret-keys/${r.json.id}`, { token: alice.token });
      assert.equal(pem.status, 200);
      assert.equal(pem.headers.get('content-type'), 'text/plain; charset=utf-8');
      assert.match(pem.text, /^-----BEGIN RSA PRIVATE KEY-----\n([A-Za-z0-9+/=]{64}\n)+[A-Za-z0-9+/=]{1,64}\n-----END RSA PRIVATE KEY-----\n$/);
      const key = createPrivateKey(pem.text);
      assert.equal(key.asymmetricKeyDetails?.modulusLength, 2048);
      assert.equal(createPublicKey(key).asymmetricKeyType, 'rsa');
      assert.equal(sshKeygenFingerprint(pem.text), r.json.fingerprint, 'fingerprint is what ssh-keygen -E md5 prints');
      const again = await server.request('GET', `/api/v1/secret-key/${r.json.id}`, { token: alice.token });
      assert.equal(again.text, pem.text, 'the singular alias and repeated downloads give the same file');
    });

    test('list is a bare array, newest first, members fingerprint, id, name, created_at', async () => {
      const second = await create(alice, { key_name: 'turing' });
      const keys = await list(alice);
      assert.ok(Array.isArray(keys));
      assert.deepEqual(Object.keys(keys[0]!), ['fingerprint', 'id', 'name', 'created_at']);
      assert.equal(keys[0]!.id, second.json.id);
      assert.deepEqual(keys.map((k) => k.name), ['turing', 'name']);
      assert.deepEqual(await list(bob), []);
    });

    test('without a name the key is key-<id>, suffixed when that name is taken', async () => {
      const a = await create(alice);
      assert.equal(a.status, 201);
      assert.equal(a.json.name, `key-${a.json.id}`);
      for (const body of [{ key_name: null }, { key_name: '' }]) {
        const r = await create(alice, body);
        assert.equal(r.json.name, `key-${r.json.id}`);
      }
      const last = (await list(alice))[0]!.id as number;
      const squatter = await create(alice, { key_name: `key-${last + 2}` });
      assert.equal(squatter.json.id, last + 1);
      const suffixed = await create(alice);
      assert.equal(suffixed.json.id, last + 2);
      assert.equal(suffixed.json.name, `key-${last + 2}-2`);
      for (const k of await list(alice)) await server.request('DELETE', `/api/v1/secret-keys/${k.id}`, { token: alice.token });
    });

    test('invalid names answer 4000001 and create nothing', async () => {
      for (const key_name of [7, true, ['a'], { a: 1 }, 'has space', 'x'.repeat(33), 'ünï', 'a/b']) {
        expectError(await create(alice, { key_name }), 400, 4000001, 'Invalid parameters.');
      }
      assert.deepEqual(await list(alice), []);
      assert.equal((await create(alice, { key_name: 'A.b-c_1' + 'x'.repeat(25) })).status, 201);
    });

    test('a duplicate name answers 4090004; names are case-sensitive and per user', async () => {
      assert.equal((await create(alice, { key_name: 'dup' })).status, 201);
      expectError(await create(alice, { key_name: 'dup' }), 409, 4090004, 'Duplicate secret key name.');
      assert.equal((await create(alice, { key_name: 'DUP' })).status, 201);
      assert.equal((await create(bob, { key_name: 'dup' })).status, 201);
    });

    test('concurrent creates with one name yield exactly one winner', async () => {
      const results = await Promise.all(Array.from({ length: 6 }, () => create(bob, { key_name: 'race' })));
      assert.equal(results.filter((r) => r.status === 201).length, 1);
      for (const r of results.filter((r) => r.status !== 201)) expectError(r, 409, 4090004, 'Duplicate secret key name.');
      assert.equal((await list(bob)).filter((k) => k.name === 'race').length, 1);
    });

    test('the quota of 20 keys answers 4030013; a duplicate name is reported before the quota', async () => {
      const u = await server.newUser();
      for (let i = 0; i < 20; i++) assert.equal((await create(u, { key_name: `k${i}` })).status, 201);
      expectError(await create(u, { key_name: 'k20' }), 403, 4030013, 'Secret key count limit.');
      expectError(await create(u), 403, 4030013, 'Secret key count limit.');
      expectError(await create(u, { key_name: 'k3' }), 409, 4090004, 'Duplicate secret key name.');
      assert.equal((await list(u)).length, 20);
      await server.operator('PATCH', `/users/${u.user_name}`, { quotas: { secret_keys: 21 } });
      assert.equal((await create(u, { key_name: 'k20' })).status, 201);
    });

    test('another user’s key, an unknown id or a non-numeric id answer 4040005', async () => {
      const mine = await create(alice, { key_name: 'private' });
      for (const [method, path] of [['GET', `/api/v1/secret-keys/${mine.json.id}`], ['DELETE', `/api/v1/secret-keys/${mine.json.id}`], ['DELETE', `/api/v1/secret-key/${mine.json.id}`]] as const) {
        expectError(await server.request(method, path, { token: bob.token }), 404, 4040005, 'No such secret key.');
      }
      for (const id of ['999999', 'abc', '0', '-1', '1.5', '99999999999999999999']) {
        expectError(await server.request('GET', `/api/v1/secret-keys/${id}`, { token: alice.token }), 404, 4040005, 'No such secret key.');
        expectError(await server.request('DELETE', `/api/v1/secret-keys/${id}`, { token: alice.token }), 404, 4040005, 'No such secret key.');
      }
      assert.equal((await server.request('GET', `/api/v1/secret-keys/${mine.json.id}`, { token: alice.token })).status, 200);
    });

    test('delete answers 200 with an empty body, by either path; the key is gone', async () => {
      const a = await create(alice, { key_name: 'gone1' });
      const b = await create(alice, { key_name: 'gone2' });
      const d1 = await server.request('DELETE', `/api/v1/secret-keys/${a.json.id}`, { token: alice.token, headers: { 'content-type': 'application/json' } });
      assert.equal(d1.status, 200);
      assert.equal(d1.text, '');
      const d2 = await server.request('DELETE', `/api/v1/secret-key/${b.json.id}`, { token: alice.token });
      assert.equal(d2.status, 200);
      expectError(await server.request('GET', `/api/v1/secret-keys/${a.json.id}`, { token: alice.token }), 404, 4040005, 'No such secret key.');
      expectError(await server.request('DELETE', `/api/v1/secret-key/${b.json.id}`, { token: alice.token }), 404, 4040005, 'No such secret key.');
      assert.equal((await create(alice, { key_name: 'gone1' })).status, 201, 'the name is free again');
    });
  });
}
