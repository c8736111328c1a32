import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { expectError, startTestServer, STORES, type TestServer, type TestUser } from '../helpers/server.ts';
import { chain, selfSigned } from './certs.ts';
import { CERTS, MS_TIME } from './helpers.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

for (const store of STORES) {
  describe(`load-balancer certificates (${store})`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    const pair = selfSigned('www.example.com');

    before(async () => {
      server = await startTestServer(store);
      alice = await server.newUser('alice');
      bob = await server.newUser('bob');
    });
    after(() => server.close());

    const upload = (user: TestUser, body: unknown) => server.request('POST', CERTS, { token: user.token, body });
    const list = (user: TestUser) => server.request('GET', CERTS, { token: user.token });
    const update = (user: TestUser, id: string, body: unknown) => server.request('PUT', `${CERTS}/${id}`, { token: user.token, body });
    const del = (user: TestUser, id: string) => server.request('DELETE', `${CERTS}/${id}`, { token: user.token });

    it('uploads a self-signed pair: {id, name}; the list shows its SHA-1 fingerprint and never the key', async () => {
      const r = await upload(alice, { name: 'my-cer', pubCert: pair.cert, priKey: pair.key });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(Object.keys(r.json), ['id', 'name']);
      assert.match(r.json.id, UUID_V4);
      assert.equal(r.json.name, 'my-cer');
      const l = await list(alice);
      assert.equal(l.status, 200, l.text);
      assert.equal(l.json.length, 1);
      assert.deepEqual(Object.keys(l.json[0]), ['id', 'name', 'fingerPrint', 'createtime', 'updatetime']);
      assert.equal(l.json[0].fingerPrint, new X509Certificate(pair.cert).fingerprint);
      assert.match(l.json[0].fingerPrint, /^([0-9A-F]{2}:){19}[0-9A-F]{2}$/);
      assert.match(l.json[0].createtime, MS_TIME);
      assert.equal(l.json[0].updatetime, l.json[0].createtime);
      assert.ok(!l.text.includes('PRIVATE') && !l.text.includes('BEGIN'), 'no PEM in any answer');
      // The key is sealed at rest: the database holds no private key PEM.
      const rows = await sql<{ pri_key_sealed: string }>`select pri_key_sealed from nlb_certs`.execute(server.services.store.db);
      assert.ok(rows.rows.every((row) => !row.pri_key_sealed.includes('PRIVATE KEY')));
      assert.deepEqual((await list(bob)).json, [], 'certificates belong to their user');
    });

    it('accepts chains in order, PKCS#1, SEC 1 and PKCS#8 keys, expired certificates and escaped newlines', async () => {
      const c = chain();
      const ok = async (name: string, pubCert: string, priKey: string) => {
        const r = await upload(alice, { name, pubCert, priKey });
        assert.equal(r.status, 200, `${name}: ${r.text}`);
      };
      await ok('chain', `${c.leaf.cert}\n${c.intermediate.cert}  \n${c.root.cert}`, c.leaf.key);
      const rsa = selfSigned('rsa.example.com', { rsa: true });
      await ok('pkcs1', rsa.cert, rsa.keyObject.export({ type: 'pkcs1', format: 'pem' }) as string);
      await ok('sec1', pair.cert, pair.keyObject.export({ type: 'sec1', format: 'pem' }) as string);
      const old = selfSigned('old.example.com', { notBefore: new Date('2015-01-01T00:00:00Z'), notAfter: new Date('2016-01-01T00:00:00Z') });
      await ok('expired', old.cert, old.key);
      await ok('escaped', pair.cert.replace(/\n/g, '\\n'), pair.key.replace(/\n/g, '\r\n'));
      await ok('名前_1.x-y', pair.cert, pair.key);
    });

    it('refuses anything that is not a valid pair with 4000412, and stores nothing', async () => {
      const c = chain();
      const other = selfSigned('other.example.com');
      const rsa = selfSigned('rsa.example.com', { rsa: true });
      const bad = async (pubCert: string, priKey: string) => expectError(await upload(bob, { name: 'bad', pubCert, priKey }), 400, 4000412, 'Cert format is invalid');
      await bad(pair.cert, other.key); // mismatched key
      await bad(rsa.cert, pair.key); // a key of another type
      await bad(`${c.leaf.cert}${c.root.cert}${c.intermediate.cert}`, c.leaf.key); // chain in the wrong order
      await bad(`${c.intermediate.cert}${c.leaf.cert}`, c.leaf.key);
      await bad('garbage', pair.key);
      await bad(pair.cert, 'garbage');
      const lines = pair.cert.split('\n');
      await bad([...lines.slice(0, 2), ...lines.slice(3)].join('\n'), pair.key); // a line missing: truncated DER
      await bad(`text before\n${pair.cert}`, pair.key);
      await bad(pair.cert, pair.key + pair.key); // two keys
      await bad(pair.key, pair.key); // a key where the certificate belongs
      await bad(pair.cert, pair.keyObject.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }) as string);
      await bad(pair.cert, pair.key.replace('-----BEGIN PRIVATE KEY-----\n', '-----BEGIN PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n'));
      await bad('-----BEGIN CERTIFICATE-----\nMIIDBjCCA```公钥内容```sQaRSmg==\n-----END CERTIFICATE-----', '-----BEGIN RSA PRIVATE KEY-----\nMIIEpQIBAA```私钥内容```lCybGco=\n-----END RSA PRIVATE KEY-----');
      await bad(pair.cert + 'x'.repeat(64 * 1024), pair.key);
      assert.deepEqual((await list(bob)).json, []);
    });

    it('checks fields in order: name (4000411, 4000460, 4000414), then pubCert and priKey (4000402, 4000460), then the pair', async () => {
      const bad = async (body: unknown, status: number, code: number, message: string) => expectError(await upload(bob, body), status, code, message);
      await bad({ pubCert: pair.cert, priKey: pair.key }, 400, 4000411, 'Cert name is missing');
      await bad({ name: '', pubCert: pair.cert, priKey: pair.key }, 400, 4000411, 'Cert name is missing');
      await bad({ name: '   ', pubCert: pair.cert, priKey: pair.key }, 400, 4000411, 'Cert name is missing');
      await bad({ name: 42, pubCert: pair.cert, priKey: pair.key }, 400, 4000460, 'Invalid parameter type');
      await bad({ name: 'has space', pubCert: pair.cert, priKey: pair.key }, 400, 4000414, 'Invalid cert name');
      await bad({ name: 'x'.repeat(65), pubCert: pair.cert, priKey: pair.key }, 400, 4000414, 'Invalid cert name');
      await bad({ name: 'ok', priKey: pair.key }, 400, 4000402, 'Missing parameters');
      await bad({ name: 'ok', pubCert: '', priKey: pair.key }, 400, 4000402, 'Missing parameters');
      await bad({ name: 'ok', pubCert: pair.cert }, 400, 4000402, 'Missing parameters');
      await bad({ name: 'ok', pubCert: [pair.cert], priKey: pair.key }, 400, 4000460, 'Invalid parameter type');
      await bad({ name: 'ok', pubCert: pair.cert, priKey: {} }, 400, 4000460, 'Invalid parameter type');
      await bad({ name: 'bad name', pubCert: 'garbage' }, 400, 4000414, 'Invalid cert name');
      await bad({ name: 'ok', pubCert: 'garbage' }, 400, 4000402, 'Missing parameters');
      expectError(await server.request('POST', CERTS, { token: bob.token, raw: '[]', headers: { 'content-type': 'application/json' } }), 422, 4220001, 'Unprocessable entity.');
    });

    it('names are unique per user, exactly (4090410); 20 certificates per user (4000413)', async () => {
      const user = await server.newUser('namer');
      assert.equal((await upload(user, { name: 'dup', pubCert: pair.cert, priKey: pair.key })).status, 200);
      expectError(await upload(user, { name: 'dup', pubCert: pair.cert, priKey: pair.key }), 409, 4090410, 'Duplicate cert name');
      assert.equal((await upload(user, { name: 'DUP', pubCert: pair.cert, priKey: pair.key })).status, 200, 'case-sensitive');
      assert.equal((await upload(bob, { name: 'dup', pubCert: pair.cert, priKey: pair.key })).status, 200, 'per user');
      for (let i = 2; i < 20; i++) assert.equal((await upload(user, { name: `c${i}`, pubCert: pair.cert, priKey: pair.key })).status, 200);
      expectError(await upload(user, { name: 'c20', pubCert: pair.cert, priKey: pair.key }), 400, 4000413, 'Cert num exceed limit');
      expectError(await upload(user, { name: 'dup', pubCert: pair.cert, priKey: pair.key }), 409, 4090410, 'Duplicate cert name');
      const l = (await list(user)).json;
      assert.equal(l.length, 20);
      assert.deepEqual(l.slice(0, 3).map((c: { name: string }) => c.name), ['dup', 'DUP', 'c2'], 'oldest first');
      assert.equal((await del(user, l[0].id)).status, 200);
      assert.equal((await upload(user, { name: 'c20', pubCert: pair.cert, priKey: pair.key })).status, 200);
    });

    it('concurrent uploads of one name: exactly one wins', async () => {
      const user = await server.newUser('racer');
      const results = await Promise.all(Array.from({ length: 4 }, () => upload(user, { name: 'same', pubCert: pair.cert, priKey: pair.key })));
      assert.equal(results.filter((r) => r.status === 200).length, 1);
      for (const r of results.filter((x) => x.status !== 200)) expectError(r, 409, 4090410, 'Duplicate cert name');
    });

    it('update replaces name, chain and key (fingerprint recomputed); 4040410, 4090410, 4000412', async () => {
      const user = await server.newUser('updater');
      const id = (await upload(user, { name: 'first', pubCert: pair.cert, priKey: pair.key })).json.id;
      await upload(user, { name: 'taken', pubCert: pair.cert, priKey: pair.key });
      const before = (await list(user)).json[0];
      await server.advance(1);
      const next = selfSigned('next.example.com');
      const r = await update(user, id.toUpperCase(), { name: 'first', pubCert: next.cert, priKey: next.key });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.text, '');
      const after = (await list(user)).json[0];
      assert.deepEqual([after.id, after.name, after.createtime], [id, 'first', before.createtime]);
      assert.equal(after.fingerPrint, new X509Certificate(next.cert).fingerprint);
      assert.ok(after.updatetime > before.updatetime);
      expectError(await update(user, id, { name: 'taken', pubCert: next.cert, priKey: next.key }), 409, 4090410, 'Duplicate cert name');
      expectError(await update(user, id, { name: 'first', pubCert: next.cert, priKey: pair.key }), 400, 4000412, 'Cert format is invalid');
      expectError(await update(user, '00000000-0000-4000-8000-000000000000', { name: 'x', pubCert: next.cert, priKey: next.key }), 404, 4040410, 'No such cert');
      expectError(await update(bob, id, { name: 'x', pubCert: next.cert, priKey: next.key }), 404, 4040410, 'No such cert');
      // The pair is judged before the lookup (4000412 before 4040410), the name first of all.
      expectError(await update(user, 'nope', { name: 'x', pubCert: next.cert, priKey: pair.key }), 400, 4000412, 'Cert format is invalid');
      expectError(await update(user, 'nope', { pubCert: next.cert, priKey: pair.key }), 400, 4000411, 'Cert name is missing');
      expectError(await update(user, id, { name: '/', pubCert: next.cert, priKey: next.key }), 400, 4000414, 'Invalid cert name');
      expectError(await update(user, id, { name: 'x', priKey: next.key }), 400, 4000402, 'Missing parameters');
      expectError(await update(user, id, { name: 'x', pubCert: 1, priKey: next.key }), 400, 4000460, 'Invalid parameter type');
      assert.equal((await list(user)).json[0].name, 'first');
    });

    it('delete: 4040410 for an unknown or another user’s id, then gone', async () => {
      const user = await server.newUser('deleter');
      const id = (await upload(user, { name: 'gone', pubCert: pair.cert, priKey: pair.key })).json.id;
      expectError(await del(bob, id), 404, 4040410, 'No such cert');
      expectError(await del(user, 'not-a-uuid'), 404, 4040410, 'No such cert');
      assert.equal((await del(user, id)).status, 200);
      expectError(await del(user, id), 404, 4040410, 'No such cert');
      assert.deepEqual((await list(user)).json, []);
    });
  });
}
