/**
 * Frequency limits (core.md §6). Each key (user, endpoint+user, client IP) has a bucket of `rate` tokens
 * that is refilled to the full rate once per second, counted from the bucket's first use. Of N requests
 * arriving within one second, exactly `rate` pass — the documented "300 calls per second" read literally.
 * Real (monotonic) time, not the test clock: limits protect the process from real traffic.
 *
 * One process keeps its buckets in memory (`RateLimiter`); replicas share them in Redis
 * (`RedisRateLimiter`, `--redis`), so a budget is the deployment's, not each replica's.
 */
import type { Redis } from 'ioredis';

export interface Limiter {
  /** Takes one token; false when the bucket is empty. A rate of 0 means unlimited. */
  take(key: string, rate: number): boolean | Promise<boolean>;
  /** Every bucket full again (operator reset). */
  reset(): void | Promise<void>;
}

interface Bucket {
  tokens: number;
  windowStart: number;
}

export class RateLimiter implements Limiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = () => performance.now(), private readonly windowMs = 1000) {}

  /** Takes one token; false when the bucket is empty. A rate of 0 means unlimited. */
  take(key: string, rate: number): boolean {
    if (rate <= 0) return true;
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket || now - bucket.windowStart >= this.windowMs) {
      if (this.buckets.size > 50_000) this.sweep(now);
      bucket = { tokens: rate, windowStart: now };
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens <= 0) return false;
    bucket.tokens -= 1;
    return true;
  }

  reset(): void {
    this.buckets.clear();
  }

  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) if (now - bucket.windowStart >= this.windowMs) this.buckets.delete(key);
  }
}

/**
 * The same buckets in Redis, one atomic script per take: the first take of a window creates the counter
 * with a one-second expiry (the window, counted from the bucket's first use as above); a take is granted
 * while the counter is within the rate. Of N requests reaching any replicas within one window, `rate` pass.
 * Redis unreachable: the take fails and the request answers its family 5xx (docs/deploy.md).
 */
const TAKE_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2])) end
if n > tonumber(ARGV[1]) then return 0 end
return 1`;

export class RedisRateLimiter implements Limiter {
  constructor(private readonly redis: Redis, private readonly prefix: string, private readonly windowMs = 1000) {
    redis.defineCommand('opencombTake', { numberOfKeys: 1, lua: TAKE_SCRIPT });
  }

  async take(key: string, rate: number): Promise<boolean> {
    if (rate <= 0) return true;
    const granted = await (this.redis as Redis & { opencombTake(key: string, rate: number, windowMs: number): Promise<number> }).opencombTake(`${this.prefix}rate:${key}`, rate, this.windowMs);
    return granted === 1;
  }

  /** Deletes every bucket of this deployment (its key prefix). */
  async reset(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${escapeGlob(this.prefix)}rate:*`, 'COUNT', 1000);
      if (keys.length) await this.redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
