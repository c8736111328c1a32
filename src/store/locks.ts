/**
 * PostgreSQL advisory locks, held on one connection of this process's own (not the pool's: a pooled
 * connection returned with a lock still held would hand it to an unrelated query). A lock lives as long as
 * that connection: when the process dies, however abruptly, PostgreSQL drops the connection and the lock
 * with it, so another replica takes over the work at once (docs/deploy.md). Advisory locks are per database.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import SQLite from 'better-sqlite3';
import type pg from 'pg';

/** The locks opencomb takes (arbitrary constants, the same in every replica). */
export const LOCK = {
  /** One pass of due work at a time over the whole deployment. */
  dueWork: 0x6f63_0001,
  /** The start-up identity: replicas starting at once on an empty database create one user, not several. */
  bootstrap: 0x6f63_0002,
  /** Without Redis, one process per database (docs/deploy.md). */
  singleProcess: 0x6f63_0003,
} as const;

/** A PostgreSQL store without Redis that another process already serves (refused at start: docs/deploy.md). */
export class AnotherProcess extends Error {}

export class AdvisoryLocks {
  private session: Promise<pg.Client> | undefined;
  /** The lock queries run one at a time on the one connection, in call order. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly url: string) {}

  /**
   * Runs `work` holding lock `key`. `wait: false` gives up at once when another process holds it (then
   * `work` does not run and the answer is false).
   */
  async run(key: number, wait: boolean, work: () => Promise<void>): Promise<boolean> {
    const got = await this.serial(async (client) => {
      const { rows } = wait
        ? await client.query('select pg_advisory_lock($1) is not null as got', [key])
        : await client.query('select pg_try_advisory_lock($1) as got', [key]);
      return rows[0].got === true;
    });
    if (!got) return false;
    try {
      await work();
    } finally {
      // A lost connection released the lock already; nothing to undo then.
      await this.serial((client) => client.query('select pg_advisory_unlock($1)', [key])).catch(() => undefined);
    }
    return true;
  }

  /** Takes `key` for as long as this process lives (or until close); false when another process holds it. */
  hold(key: number): Promise<boolean> {
    return this.serial(async (client) => (await client.query('select pg_try_advisory_lock($1) as got', [key])).rows[0].got === true);
  }

  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (session) await session.then((c) => c.end(), () => undefined);
  }

  private serial<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => use(await this.client()));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The lock connection, opened on first use and again after it was lost (a PostgreSQL restart). */
  private client(): Promise<pg.Client> {
    if (this.session) return this.session;
    // pg is loaded only for PostgreSQL: parsing it was a quarter of every SQLite start's CPU.
    const { Client } = createRequire(import.meta.url)('pg') as typeof pg;
    const client = new Client({ connectionString: this.url, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
    const opened: Promise<pg.Client> = client.connect().then(() => client);
    const lost = () => {
      if (this.session === opened) this.session = undefined;
    };
    client.on('error', lost);
    client.on('end', lost);
    opened.catch(lost);
    this.session = opened;
    return opened;
  }
}

/**
 * One process per SQLite store: `<file>.lock` (an SQLite file of its own, in exclusive locking mode) stays
 * locked while this process runs. The lock is the operating system's, so it goes with the process however
 * it ends. A second server on the same store fails here with SQLITE_BUSY (startup.ts explains it) instead of
 * writing beside the first; tools that open the store itself (a backup, the bench's seeding) are not held off.
 * Returns the release.
 */
export function lockSqliteStore(file: string): () => void {
  mkdirSync(dirname(file), { recursive: true });
  const lock = new SQLite(`${file}.lock`);
  try {
    lock.pragma('busy_timeout = 0');
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE; COMMIT'); // exclusive locking mode keeps the lock after the commit
  } catch (err) {
    lock.close();
    throw err;
  }
  return () => lock.close();
}
