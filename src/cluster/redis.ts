/**
 * The Redis connections of one replica (`--redis`): one for commands, one subscribed to the bus.
 * A command never waits for a connection: while Redis is unreachable it fails at once (no offline queue),
 * and a command Redis does not answer fails after COMMAND_TIMEOUT_MS, so a request answers its 5xx well
 * within the handler deadline instead of hanging. ioredis reconnects by itself; nothing restarts.
 */
import type { Redis } from 'ioredis';

/** How long one Redis command may take before it fails (the request then answers its family 5xx). */
export const COMMAND_TIMEOUT_MS = 2000;

export interface RedisConnections {
  commands: Redis;
  subscriber: Redis;
  close(): Promise<void>;
}

/** Connects both; fails (with the cause) when no Redis answers at `url`, so a replica never starts half-shared. */
export async function connectRedis(url: string): Promise<RedisConnections> {
  // Loaded only with --redis: one process alone never pays for parsing it at start.
  const { Redis } = await import('ioredis');
  const options = {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: 5000,
    // Reconnect quickly at first, then every second at most: recovery without a restart.
    retryStrategy: (attempt: number) => Math.min(50 * attempt, 1000),
  };
  const commands = new Redis(url, options);
  const subscriber = new Redis(url, { ...options, commandTimeout: undefined });
  // Connection errors are reported by the commands that fail; the events themselves must not end the process.
  commands.on('error', () => undefined);
  subscriber.on('error', () => undefined);
  const close = async () => {
    commands.disconnect();
    subscriber.disconnect();
  };
  try {
    await commands.connect();
    await subscriber.connect();
  } catch (err) {
    await close();
    throw new RedisUnreachable(url, err);
  }
  return { commands, subscriber, close };
}

/** No Redis answered at start (main.ts turns it into one line naming --redis). */
export class RedisUnreachable extends Error {
  constructor(url: string, cause: unknown) {
    const safe = new URL(url);
    safe.password = '';
    super(`no Redis answers at ${safe.toString()} (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message})`, { cause });
  }
}

/** True when Redis answers PING now (readiness). */
export async function redisReachable(redis: Redis): Promise<boolean> {
  try {
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  }
}
