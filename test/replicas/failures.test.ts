/**
 * A shared part down (docs/deploy.md): Redis stopped under two replicas answers the catalog 5xx with a
 * request id at once, /healthz names the part, and everything recovers when Redis is back, without a
 * restart. The Redis stopped here is a private one of this test, never the machine's.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectError } from '../helpers/server.ts';
import { hasRedisServer, PrivateRedis } from '../helpers/redis.ts';
import { replicaSkip, startReplicas, type Replicas } from '../helpers/replicas.ts';

const skip = replicaSkip ?? (hasRedisServer ? undefined : 'no redis-server on PATH to start a private Redis');

describe('Redis stops under the replicas', { skip }, () => {
  let redis: PrivateRedis;
  let replicas: Replicas;
  before(async () => {
    redis = await PrivateRedis.start();
    replicas = await startReplicas(2, { redis: redis.url, limits: { perUser: 1000, privateKey: 1000, perIp: 1000 } });
  });
  after(async () => {
    await replicas?.close();
    await redis?.stop();
  });

  test('requests answer 5000007 while it is down, /healthz names it, and both recover when it is back', async () => {
    const user = await replicas.next().newUser('alice');
    await redis.stop();
    for (const server of replicas.servers) {
      // Rate limits live in Redis: a request that cannot take from its bucket fails, it does not pass unlimited.
      expectError(await server.request('GET', '/api/v1/secret-keys', { token: user.token }), 500, 5000007, 'Nce internal server error.');
      const health = await server.request('GET', '/healthz', { headers: { accept: 'application/problem+json' } });
      assert.equal(health.status, 500);
      assert.equal(health.json.code, 5000007);
      assert.equal(health.json.param, 'redis');
    }
    await redis.start();
    for (const server of replicas.servers) {
      // ioredis reconnects by itself; the first requests after the restart may still find it reconnecting.
      let r = await server.request('GET', '/healthz');
      for (let i = 0; i < 100 && r.status !== 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        r = await server.request('GET', '/healthz');
      }
      assert.equal(r.text, '{"status":"ok","store":"ok","redis":"ok"}');
      assert.equal((await server.request('GET', '/api/v1/secret-keys', { token: user.token })).status, 200);
    }
    // The bus works again too: an advance on one replica is seen by the other before it answers.
    const now = await replicas.servers[0]!.advance(3600);
    const other = await replicas.servers[1]!.operator('POST', '/clock', { advance_seconds: 0 });
    assert.ok(Date.parse(other.json.now) >= Date.parse(now));
  });
});
