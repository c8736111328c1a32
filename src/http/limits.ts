/**
 * Frequency limits (core.md §6). Each key (user, endpoint+user, client IP) has a bucket of `rate` tokens
 * that is refilled to the full rate once per second, counted from the bucket's first use. Of N requests
 * arriving within one second, exactly `rate` pass — the documented "300 calls per second" read literally.
 * Real (monotonic) time, not the test clock: limits protect the process from real traffic.
 */
interface Bucket {
  tokens: number;
  windowStart: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Takes one token; false when the bucket is empty. A rate of 0 means unlimited. */
  take(key: string, rate: number): boolean {
    if (rate <= 0) return true;
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket || now - bucket.windowStart >= 1000) {
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
    for (const [key, bucket] of this.buckets) if (now - bucket.windowStart >= 1000) this.buckets.delete(key);
  }
}
