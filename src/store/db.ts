import { fsync, mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import SQLite from 'better-sqlite3';
import { createRequire } from 'node:module';
import type pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql, type DialectAdapter, type QueryResult, type Transaction } from 'kysely';
import type { Database } from './tables.ts';
import type { Dialect } from './dialect.ts';
import { migrateToLatest } from './migrate.ts';

export type { Dialect };
export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;

export interface Store {
  db: Db;
  dialect: Dialect;
  /** Human-readable location, for the start-up line (never contains a password). */
  where: string;
  /**
   * Resolves once every write committed so far is on disk; undefined when that is already so (most reads:
   * no promise to wait for). The pipeline awaits it before answering, so an acknowledged write survives a
   * crash; concurrent requests share one disk flush (group commit).
   */
  durable(): Promise<void> | undefined;
  close(): Promise<void>;
}

/** The SQLite file `openStore` opens for these settings; undefined for PostgreSQL and `:memory:`. */
export function sqliteFile(dbOption: string | undefined, dataDir: string): string | undefined {
  if (dbOption === ':memory:' || (dbOption && /^postgres(ql)?:\/\//.test(dbOption))) return undefined;
  return dbOption ?? join(dataDir, 'opencomb.db');
}

/** `postgres://...` (or `postgresql://`) selects PostgreSQL; anything else is an SQLite file path. */
export async function openStore(dbOption: string | undefined, dataDir: string): Promise<Store> {
  const store = dbOption && /^postgres(ql)?:\/\//.test(dbOption)
    ? openPostgres(dbOption)
    : openSqlite(dbOption ?? join(dataDir, 'opencomb.db'));
  await migrateToLatest(store.db, store.dialect);
  return store;
}

function openSqlite(file: string): Store {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new SQLite(file);
  // WAL lets readers run beside the writer. synchronous=NORMAL: a commit is written to the WAL but not
  // flushed to disk; `durable()` flushes it (one fsync for every commit made since the last one) before
  // the request that made it is answered. With FULL each commit would pay its own fsync, one at a time on
  // the one connection.
  // One process owns the file while it runs (store/locks.ts refuses a second), so SQLite's own locks are
  // taken once and kept: in WAL mode every transaction would otherwise lock and unlock the shared-memory
  // index with system calls, a read's main cost (8 → 2 µs per small query here). Set before the first read,
  // so the WAL index lives in the process's memory and no `-shm` file is used. Other programs cannot open
  // the file until the server stops (docs/architecture.md "Performance").
  database.pragma('locking_mode = EXCLUSIVE');
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const flush = file === ':memory:' ? undefined : new WalFlush(`${file}-wal`);
  const statements = withStatementCache(database, () => flush?.wrote());
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });
  sqliteOf.set(db.getExecutor().adapter, { database, prepare: statements.prepare });
  return { db, dialect: 'sqlite', where: `sqlite:${file}`, durable: () => flush?.durable(), close: () => db.destroy() };
}

/** The one connection behind each SQLite store's Kysely, by the dialect adapter its executors share. */
const sqliteOf = new WeakMap<DialectAdapter, { database: SQLite.Database; prepare: (text: string) => SQLite.Statement }>();

/** What running a query returns, as Kysely's SQLite driver shapes it. */
export type DirectResult = QueryResult<unknown>;

/**
 * Runs compiled SQL on the SQLite connection at once, synchronously, when that is exactly what Kysely would
 * do after its queue: for a transaction's own queries (the open transaction is the caller's: Kysely holds
 * the connection for a transaction's whole life), or for a query outside any transaction while no
 * transaction is open. Undefined otherwise (PostgreSQL, or another request's transaction is open), and the
 * caller goes through Kysely. It skips Kysely's connection queue and its promises, which cost more than
 * running a small prepared statement (src/store/prepared.ts); the statement cache and the group commit's
 * write count are the same as Kysely's path.
 */
export function runNow(db: Db | Tx, text: string, parameters: readonly unknown[]): DirectResult | undefined {
  const sqlite = sqliteOf.get(db.getExecutor().adapter);
  if (!sqlite || (!db.isTransaction && sqlite.database.inTransaction)) return undefined;
  const statement = sqlite.prepare(text);
  if (statement.reader) return { rows: statement.all(parameters) };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
}

/** True when `runEachNow` would run on `db` now (SQLite, outside any transaction, none open). */
export function canRunEachNow(db: Db | Tx): boolean {
  const sqlite = sqliteOf.get(db.getExecutor().adapter);
  return sqlite !== undefined && !db.isTransaction && !sqlite.database.inTransaction;
}

/**
 * Runs one compiled statement once per parameter list, in one transaction of its own, at once and
 * synchronously on a free SQLite connection (as `runNow`). False when that is not possible (PostgreSQL, a
 * transaction open): the caller uses a Kysely transaction. On a failure nothing of it is stored.
 */
export function runEachNow(db: Db | Tx, text: string, parameterLists: ReadonlyArray<readonly unknown[]>): boolean {
  if (!canRunEachNow(db)) return false;
  const sqlite = sqliteOf.get(db.getExecutor().adapter)!;
  const statement = sqlite.prepare(text);
  sqlite.prepare('begin').run();
  try {
    for (const parameters of parameterLists) statement.run(parameters);
    sqlite.prepare('commit').run();
  } catch (err) {
    if (sqlite.database.inTransaction) sqlite.prepare('rollback').run();
    throw err;
  }
  return true;
}

/**
 * Group commit for SQLite: counts statements that may have written, and makes them durable with one
 * fsync of the WAL file shared by every request waiting at that moment. An fsync covers exactly the
 * writes counted before it started (better-sqlite3 runs a statement to completion synchronously, so a
 * counted write is in the WAL — or, inside a transaction, reaches it with the COMMIT, itself counted).
 */
class WalFlush {
  private written = 0;
  private synced = 0;
  private running: Promise<void> | undefined;
  private fd: number | undefined;

  constructor(private readonly path: string) {}

  wrote(): void {
    this.written++;
  }

  durable(): Promise<void> | undefined {
    return this.synced < this.written ? this.until(this.written) : undefined;
  }

  private async until(target: number): Promise<void> {
    while (this.synced < target) {
      this.running ??= this.flush();
      await this.running;
    }
  }

  private async flush(): Promise<void> {
    const upto = this.written;
    try {
      // The WAL exists from the first write on, and stays (same file) while the connection is open.
      this.fd ??= openSync(this.path, 'r');
      const fd = this.fd;
      await new Promise<void>((resolve, reject) => fsync(fd, (err) => (err ? reject(err) : resolve())));
      this.synced = Math.max(this.synced, upto);
    } finally {
      this.running = undefined;
    }
  }
}

/**
 * Kysely prepares every query afresh; preparing costs more than running most of ours. Statements are
 * reusable (Kysely runs one query at a time on the one connection), so keep them by SQL text. The cache is
 * bounded: queries are built from a fixed set of shapes, but `in (...)` lists vary in length.
 */
function withStatementCache(database: SQLite.Database, wrote: () => void, limit = 1000) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    prepare(text: string) {
      let statement = cache.get(text);
      if (!statement) {
        if (cache.size >= limit) cache.clear();
        statement = database.prepare(text);
        cache.set(text, statement);
      }
      // Kysely runs every statement right after preparing it. Anything but a plain read may write (COMMIT
      // counts: SQLite calls it read-only, yet it is what puts a transaction's pages in the WAL).
      if (!(statement.reader && statement.readonly)) wrote();
      return statement;
    },
  };
}

function openPostgres(url: string): Store {
  // Loaded only for PostgreSQL (it costs a tenth of a second of every start on SQLite).
  const { Pool } = createRequire(import.meta.url)('pg') as typeof pg;
  const pool = new Pool({ connectionString: url, max: 10 });
  // An idle client whose connection the server closed is dropped and replaced on next use; without a
  // listener, pg turns that event into an uncaught exception. Errors of queries still reach their callers.
  pool.on('error', () => undefined);
  // The same for a client that is checked out when the server goes away (a restart, an administrator's
  // termination: 57P01): its running query fails and reaches its caller; the event itself must not end the process.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const safe = new URL(url);
  safe.password = '';
  // PostgreSQL flushes its WAL before a commit returns (synchronous_commit, on by default) and already
  // shares one flush among concurrent commits.
  return { db, dialect: 'postgres', where: safe.toString(), durable: () => undefined, close: () => db.destroy() };
}

/** True when the database refused a row because a UNIQUE constraint already holds that value. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string } | null;
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e?.code === '23505';
}

/**
 * Serializes writers of one user's resources inside a transaction (quota counts, name checks).
 * PostgreSQL: a row lock on the user. SQLite: the single connection already serializes transactions.
 */
export async function lockUser(tx: Tx, dialect: Dialect, userId: number): Promise<void> {
  if (dialect === 'postgres') await sql`select id from users where id = ${userId} for update`.execute(tx);
}
