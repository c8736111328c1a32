/**
 * How this process meets the other replicas of a deployment (docs/deploy.md):
 * - SQLite: one process (the store file is locked: store/db.ts); everything stays in memory as it always was.
 * - PostgreSQL without Redis: still one process per database, enforced by an advisory lock held for the
 *   process's life — a second one is refused at start, since rate limits, the clock and operator state
 *   would otherwise split between them.
 * - PostgreSQL with Redis (`--redis`): any number of replicas. Rate-limit buckets live in Redis; operator
 *   actions reach every replica through the bus; one pass of due work runs at a time (an advisory lock).
 */
import { sql } from 'kysely';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { alone, type ClockPeers } from '../clock.ts';
import type { Config } from '../config.ts';
import { RateLimiter, RedisRateLimiter, type Limiter } from '../http/limits.ts';
import type { Store } from '../store/db.ts';
import { AdvisoryLocks, AnotherProcess, LOCK } from '../store/locks.ts';
import { LocalBus, RedisBus, type Bus } from './bus.ts';
import { ClusterGate } from './gate.ts';
import { StoreGate, type Gate } from '../http/gate.ts';
import { connectRedis, redisReachable, type RedisConnections } from './redis.ts';

export interface Cluster {
  bus: Bus;
  limiter: Limiter;
  /** How the clock meets the other replicas (nothing to do for one process). */
  peers: ClockPeers;
  /** Runs `work` while no other process of this database runs it (the start-up identity). */
  once(work: () => Promise<void>): Promise<void>;
  health(): Promise<{ store: boolean; redis?: boolean }>;
  /** The store gate: this process's, or (replicas) one whose exclusive use holds every replica's. */
  gate: Gate;
  /** Replicas: the Redis connection for shared state, and the deployment's key prefix. */
  redis?: { commands: Redis; prefix: string };
  close(): Promise<void>;
}

/** How long a readiness check waits for the store to answer. */
const HEALTH_TIMEOUT_MS = 2000;

export async function joinCluster(config: Config, store: Store, log: Logger): Promise<Cluster> {
  const storeHealth = () => answersWithin(sql`select 1`.execute(store.db), HEALTH_TIMEOUT_MS);
  if (store.dialect !== 'postgres') {
    return {
      bus: new LocalBus(), limiter: new RateLimiter(undefined, config.rateWindowMs), peers: alone, once: (work) => work(), gate: new StoreGate(),
      health: async () => ({ store: await storeHealth() }), close: async () => undefined,
    };
  }
  const locks = new AdvisoryLocks(config.db!);
  const once = async (work: () => Promise<void>) => void (await locks.run(LOCK.bootstrap, true, work));
  if (!config.redis) {
    if (!(await locks.hold(LOCK.singleProcess).catch(async (err) => { await locks.close(); throw err; }))) {
      await locks.close();
      throw new AnotherProcess('another opencomb process serves this database');
    }
    return {
      bus: new LocalBus(), limiter: new RateLimiter(undefined, config.rateWindowMs), peers: alone, once, gate: new StoreGate(),
      health: async () => ({ store: await storeHealth() }), close: () => locks.close(),
    };
  }
  let redis: RedisConnections;
  try {
    redis = await connectRedis(config.redis);
  } catch (err) {
    await locks.close();
    throw err;
  }
  const bus = new RedisBus(redis.commands, redis.subscriber, config.redisPrefix, log);
  await bus.start();
  return {
    bus,
    limiter: new RedisRateLimiter(redis.commands, config.redisPrefix, config.rateWindowMs),
    peers: {
      // Told or not, every replica reloads the offset on its next tick: a lost announcement delays, never loses.
      announce: () => bus.broadcast('clock').catch((err: unknown) => log.warn({ err }, 'could not tell the replicas that the clock moved')),
      claim: async (wait, pass) => void (await locks.run(LOCK.dueWork, wait, pass)),
    },
    once,
    gate: new ClusterGate(new StoreGate(), bus, redis.commands, config.redisPrefix, log),
    redis: { commands: redis.commands, prefix: config.redisPrefix },
    health: async () => {
      const [storeUp, redisUp] = await Promise.all([storeHealth(), redisReachable(redis.commands)]);
      return { store: storeUp, redis: redisUp };
    },
    close: async () => {
      await redis.close();
      await locks.close();
    },
  };
}

async function answersWithin(query: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), ms); });
  try {
    return await Promise.race([query.then(() => true, () => false), late]);
  } finally {
    clearTimeout(timer);
  }
}
