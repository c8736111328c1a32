/**
 * Replicas under test: N real servers on one throw-away PostgreSQL database and one Redis key prefix,
 * sharing a data folder (so the master key), each on its own ephemeral port. `next()` hands them out
 * round-robin, as a load balancer would.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { startServer } from '../../src/app.ts';
import type { Config } from '../../src/config.ts';
import { databaseUrl, maintenanceQuery } from './postgres.ts';
import { dropKeys, redisForTests } from './redis.ts';
import { PG_URL, pgSkipReason, testConfig, TestServer } from './server.ts';

const redis = await redisForTests();

/** Why replica suites cannot run here, if they cannot (no PostgreSQL, or no Redis). */
export const replicaSkip: string | undefined = pgSkipReason ?? redis.skip;

export class Replicas {
  private turn = 0;
  constructor(readonly servers: TestServer[], readonly config: Config, private readonly cleanup: () => Promise<void>) {}

  /** The next replica, round-robin. */
  next(): TestServer {
    return this.servers[this.turn++ % this.servers.length]!;
  }

  /** Starts one more replica on the same database and Redis prefix. */
  async add(overrides: Partial<Config> = {}): Promise<TestServer> {
    const running = await startServer({ ...this.config, ...overrides }, pino({ level: process.env.OPENCOMB_TEST_LOG ?? 'silent' }));
    const server = new TestServer(running, async () => undefined);
    this.servers.push(server);
    return server;
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.close().catch(() => undefined)));
    await this.cleanup();
  }
}

/** A database and a Redis prefix of their own, and the configuration every replica of them shares. */
export async function replicaDeployment(overrides: Partial<Config> = {}): Promise<{ config: Config; cleanup: () => Promise<void> }> {
  if (replicaSkip) throw new Error(replicaSkip);
  const dataDir = mkdtempSync(join(tmpdir(), `opencomb-test-${process.pid}-`));
  // One master key for all (what OPENCOMB_MASTER_KEY does in production: docs/deploy.md).
  writeFileSync(join(dataDir, 'master.key'), `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  const name = `oc_test_${randomBytes(6).toString('hex')}`;
  await maintenanceQuery(PG_URL, `create database ${name}`);
  const redisPrefix = `oc-test-${randomBytes(6).toString('hex')}:`;
  const config = testConfig({ dataDir, db: databaseUrl(PG_URL, name), redis: redis.url, redisPrefix, ...overrides });
  const cleanup = async () => {
    await maintenanceQuery(PG_URL, `drop database if exists ${name} with (force)`).catch(() => undefined);
    await dropKeys(config.redis!, redisPrefix);
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { config, cleanup };
}

/** `count` replicas started at once on a new deployment. */
export async function startReplicas(count = 3, overrides: Partial<Config> = {}): Promise<Replicas> {
  const { config, cleanup } = await replicaDeployment(overrides);
  const replicas = new Replicas([], config, cleanup);
  try {
    await Promise.all(Array.from({ length: count }, () => replicas.add()));
  } catch (err) {
    await replicas.close();
    throw err;
  }
  return replicas;
}
