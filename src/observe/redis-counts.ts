/**
 * Coverage counts shared by replicas (`--redis`, docs/deploy.md): one Redis hash, a field per cell,
 * incremented with HINCRBY. An answer never waits for Redis: it adds to this replica's pending counts,
 * which are sent in one pipeline every FLUSH_MS. A report first asks every replica over the bus to send
 * what it holds, so it counts every answer given before it was asked; a clear asks every replica to drop
 * what it holds, then deletes the hash.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Bus } from '../cluster/bus.ts';
import type { CoverageCounts } from './coverage.ts';

/** How often a replica sends its pending counts without being asked. */
export const FLUSH_MS = 250;

export class RedisCounts implements CoverageCounts {
  private pending = new Map<string, number>();
  private readonly key: string;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly redis: Redis, prefix: string, private readonly bus: Bus, private readonly log: Logger) {
    this.key = `${prefix}coverage`;
    bus.on('coverage-flush', () => this.flush());
    bus.on('coverage-drop', () => {
      this.pending = new Map();
    });
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  add(cell: string): void {
    this.pending.set(cell, (this.pending.get(cell) ?? 0) + 1);
  }

  async read(): Promise<Map<string, number>> {
    await this.bus.broadcast('coverage-flush');
    const fields = await this.redis.hgetall(this.key);
    return new Map(Object.entries(fields).map(([cell, n]) => [cell, Number(n)]));
  }

  async clear(): Promise<void> {
    await this.bus.broadcast('coverage-drop');
    await this.redis.del(this.key);
  }

  /** Sends the pending counts; when Redis cannot take them they stay pending for the next flush. */
  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const sending = this.pending;
    this.pending = new Map();
    const pipeline = this.redis.pipeline();
    for (const [cell, n] of sending) pipeline.hincrby(this.key, cell, n);
    try {
      const results = await pipeline.exec();
      if (results?.some(([err]) => err)) throw results.find(([err]) => err)![0];
    } catch (err) {
      for (const [cell, n] of sending) this.pending.set(cell, (this.pending.get(cell) ?? 0) + n);
      this.log.warn({ err }, 'coverage counts not sent to Redis; kept for the next try');
    }
  }

  /** Sends what is pending and stops the timer (the server is closing). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
