/**
 * Three replicas on one PostgreSQL database and one Redis (test/helpers/replicas.ts), requests spread
 * round-robin: they behave as one server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectError, startTestServer, type Res, type TestServer, type TestUser } from '../helpers/server.ts';
import { replicaSkip, startReplicas, type Replicas } from '../helpers/replicas.ts';

const HOUR = 3600;

describe('replicas share state', { skip: replicaSkip }, () => {
  let replicas: Replicas;
  let user: TestUser;

  before(async () => {
    replicas = await startReplicas(3, { volumeCreateDelaySeconds: 1 });
    user = await replicas.next().newUser('alice');
  });
  after(() => replicas?.close());

  test('a token and a create on one replica are seen by the next at once', async () => {
    for (const server of replicas.servers) assert.equal((await server.request('GET', '/api/v1/secret-keys', { token: user.token })).status, 200);
    const created = await replicas.next().request('POST', '/api/v1/cloud-volumes', { token: user.token, body: { volume_name: 'seen', size: 10 } });
    assert.equal(created.status, 200, created.text);
    const seen = await replicas.next().request('GET', `/api/v1/cloud-volumes/${created.json.id}`, { token: user.token });
    assert.equal(seen.status, 200, seen.text);
    assert.equal(seen.json.name ?? seen.json.volume_name, 'seen');
  });

  test('a clock advance on one replica completes the transitions it releases, seen by every replica', async () => {
    const created = await replicas.next().request('POST', '/api/v1/cloud-volumes', { token: user.token, body: { volume_name: 'settles', size: 10 } });
    assert.equal(created.status, 200, created.text);
    const now = await replicas.next().advance(5);
    for (const server of replicas.servers) {
      const r = await server.request('GET', `/api/v1/cloud-volumes/${created.json.id}`, { token: user.token });
      assert.equal(r.json.status, 'create_succ', `on ${server.url}`);
      // Every replica's clock shows the advanced time (whole seconds; real time moves it on a little).
      const clock = await server.operator('POST', '/clock', { advance_seconds: 0 });
      assert.ok(Date.parse(clock.json.now) >= Date.parse(now), `${clock.json.now} before ${now} on ${server.url}`);
    }
  });

  test('a token expired by an advance on one replica is refused by every replica', async () => {
    const bob = await replicas.next().newUser('bob');
    await replicas.next().advance(86_400 + 60);
    for (const server of replicas.servers) {
      expectError(await server.request('GET', '/api/v1/secret-keys', { token: bob.token }), 401, 4010001, 'Unauthorized user.');
    }
    user = { ...user, token: await replicas.next().token(user.app_key, user.app_secret) };
  });

  test('a key pair disabled on one replica: its token is refused by every replica at once (each had it cached)', async () => {
    const dave = await replicas.next().newUser('dave');
    for (const server of replicas.servers) assert.equal((await server.request('GET', '/api/v1/secret-keys', { token: dave.token })).status, 200);
    const disabled = await replicas.next().operator('PATCH', `/keys/${dave.app_key}`, { enabled: false });
    assert.equal(disabled.status, 200, disabled.text);
    for (const server of replicas.servers) {
      expectError(await server.request('GET', '/api/v1/secret-keys', { token: dave.token }), 401, 4010001, 'Unauthorized user.');
    }
  });

  test('50 concurrent creates of one name spread over the replicas: one winner', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () =>
      replicas.next().request('POST', '/api/v1/cloud-volumes', { token: user.token, body: { volume_name: 'race', size: 10 } })));
    assert.equal(results.filter((r) => r.status === 200).length, 1);
    for (const r of results.filter((x) => x.status !== 200)) expectError(r, 409, 4090201, 'Duplicate cloud volume name.');
  });

  test('billing over 10 simulated hours, advanced an hour at a time on alternating replicas, is charged exactly once', async () => {
    // The same steps on one server are the reference.
    const single = await startTestServer('postgres', { volumeCreateDelaySeconds: 1 });
    try {
      const run = async (servers: () => TestServer) => {
        const carol = await servers().newUser('carol');
        const r = await servers().request('POST', '/api/v1/cloud-volumes', { token: carol.token, body: { volume_name: 'billed', size: 100 } });
        assert.equal(r.status, 200, r.text);
        for (let hour = 0; hour < 10; hour++) await servers().advance(HOUR);
        const server = servers();
        const id = (await server.services.identity.findUserByName('carol'))!.id;
        return server.services.resources.billing.balance(id);
      };
      const alone = await run(() => single);
      const shared = await run(() => replicas.next());
      assert.equal(shared, alone);
      assert.equal(alone, 999.23, 'eleven started hours at 0.07 (the reference server charges as documented)');
    } finally {
      await single.close();
    }
  });
});

describe('rate limits are the deployment\'s, not each replica\'s', { skip: replicaSkip }, () => {
  let replicas: Replicas;
  before(async () => {
    // A window of a minute instead of a second: what is measured is that the replicas share one budget, and
    // 400 requests from this busy test process may take longer than a second to send.
    replicas = await startReplicas(3, { limits: { perUser: 0, privateKey: 0, perIp: 300 }, rateWindowMs: 60_000 });
  });
  after(() => replicas?.close());

  test('400 simultaneous requests over 3 replicas against a budget of 300 per window: 300 ± 1 % pass', async () => {
    // The token endpoint takes from the per-IP bucket before anything else; an empty body then answers 4000112.
    const answers: Res[] = await Promise.all(Array.from({ length: 400 }, () => replicas.next().request('POST', '/api/v1/token', { body: {} })));
    const throttled = answers.filter((r) => r.status === 403);
    for (const r of throttled) expectError(r, 403, 4030001, 'Api freq out of limit.');
    const passed = answers.length - throttled.length;
    console.log(`# ${passed} of 400 passed a budget of 300 per window over 3 replicas`);
    assert.ok(passed >= 297 && passed <= 303, `${passed} passed`);
  });
});
