import type { AuthUser } from '../http/route.ts';

/** Entries kept at most (the oldest are dropped first) and for at most this long (real time). */
const MAX_ENTRIES = 10_000;
const MAX_AGE_MS = 10_000;

interface Entry {
  user: AuthUser;
  /** The token's `expires_at` (ISO, milliseconds): checked against the test clock on every hit. */
  expiresAt: string;
  storedAt: number;
}

/**
 * Token → caller, so an authorized request need not ask the store who it is (the lookup and its
 * join were most of an authenticated GET's store time).
 *
 * Exact: whatever changes what a lookup would answer — a user's status, certification or quotas, a key
 * pair disabled or deleted, the store's contents replaced — calls `forgetUser` or `forgetAll` once the
 * change is committed, and a lookup that began before a forget is not stored (its answer may predate the
 * change). Those two methods are the only way an entry leaves early, so a deployment of several servers
 * over one store has exactly two calls to relay. Token expiry is compared with the clock on every hit, so
 * moving the test clock past it takes effect at once. The age bound only limits how long a change made
 * behind the server's back (another program writing the database) can go unseen.
 */
export class TokenCache {
  private readonly entries = new Map<string, Entry>();
  /** Counts forgets: a lookup stores its answer only if none happened while it ran. */
  private generation = 0;

  /**
   * Keyed by the token as sent (lower-cased), so a hit needs no hash: the store keeps only digests (a copy
   * of the database reveals no usable token), while a token in this process's memory is no more exposed
   * than the request carrying it.
   */
  get(token: string, nowIso: string): AuthUser | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.expiresAt <= nowIso || performance.now() - entry.storedAt > MAX_AGE_MS) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.user;
  }

  /** Call before the store lookup; hand the value to `put`. */
  begin(): number {
    return this.generation;
  }

  put(token: string, user: AuthUser, expiresAt: string, begun: number): void {
    if (begun !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { user, expiresAt, storedAt: performance.now() });
  }

  /** The user's status, certification, quotas or key pairs changed (committed). */
  forgetUser(userId: number): void {
    this.generation++;
    for (const [token, entry] of this.entries) if (entry.user.id === userId) this.entries.delete(token);
  }

  /** The store's contents were replaced (reset, snapshot restore). */
  forgetAll(): void {
    this.generation++;
    this.entries.clear();
  }
}
