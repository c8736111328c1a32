/**
 * The Redis the replica tests use: the one at `OPENCOMB_TEST_REDIS_URL` (default 127.0.0.1:6379) when it
 * answers; otherwise a private `redis-server` from PATH on a free port, stopped when the test process ends;
 * otherwise none, and the suites that need one are skipped with the reason. Each test deployment uses a
 * key prefix of its own, so runs never collide. Tests that stop Redis start a private one and stop that.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from './postgres.ts';

export const DEFAULT_REDIS_URL = process.env.OPENCOMB_TEST_REDIS_URL || 'redis://127.0.0.1:6379';

/** Undefined when a Redis answers PING at `url`; otherwise why not. */
export async function whyNoRedis(url: string): Promise<string | undefined> {
  const client = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 2000, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (err) {
    return `no Redis answers at ${url} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  } finally {
    client.disconnect();
  }
}

export const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

/** A redis-server of this test process on a free loopback port, which a test may stop and start again. */
export class PrivateRedis {
  private child: ChildProcess | undefined;
  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.start();
    return redis;
  }

  async start(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    this.child = child;
    // Not a reason to keep the test process alive: it is killed when that process exits.
    child.unref();
    process.once('exit', () => child.kill('SIGKILL'));
    for (let i = 0; i < 100; i++) {
      if (!(await whyNoRedis(this.url))) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server did not answer on port ${this.port}`);
  }

  /** Stops this server (only this one: its own process id). */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
}

let shared: Promise<{ url?: string; skip?: string }> | undefined;

/** The Redis for this test process, or why there is none. */
export function redisForTests(): Promise<{ url?: string; skip?: string }> {
  shared ??= (async () => {
    const down = await whyNoRedis(DEFAULT_REDIS_URL);
    if (!down) return { url: DEFAULT_REDIS_URL };
    if (!hasRedisServer) return { skip: `${down}, and no redis-server on PATH to start one` };
    try {
      return { url: (await PrivateRedis.start()).url };
    } catch (err) {
      return { skip: `${down}, and ${(err as Error).message}` };
    }
  })();
  return shared;
}

/** Deletes every key under `prefix` (a test deployment's). */
export async function dropKeys(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // a stopped private Redis has nothing left to drop
  } finally {
    client.disconnect();
  }
}

