import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
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
  // WAL lets readers run beside the writer; synchronous=FULL makes every commit durable (fsync per commit).
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  return { db, dialect: 'sqlite', where: `sqlite:${file}`, close: () => db.destroy() };
}

/**
 * Kysely prepares every query afresh; preparing costs more than running most of ours. Statements are
 * reusable (Kysely runs one query at a time on the one connection), so keep them by SQL text. The cache is
 * bounded: queries are built from a fixed set of shapes, but `in (...)` lists vary in length.
 */
function withStatementCache(database: SQLite.Database, limit = 1000) {
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
      return statement;
    },
  };
}

function openPostgres(url: string): Store {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client whose connection the server closed is dropped and replaced on next use; without a
  // listener, pg turns that event into an uncaught exception. Errors of queries still reach their callers.
  pool.on('error', () => undefined);
  // The same for a client that is checked out when the server goes away (a restart, an administrator's
  // termination: 57P01): its running query fails and reaches its caller; the event itself must not end the process.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const safe = new URL(url);
  safe.password = '';
  return { db, dialect: 'postgres', where: safe.toString(), close: () => db.destroy() };
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
