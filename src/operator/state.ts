/**
 * Test control beyond reset (core.md §11): snapshots of the whole store (every table, the id sequences and
 * the clock's offset) kept in memory and restored in one transaction, and seeding where ids start.
 * Tables are found in the database itself, so every domain's tables are included without registration.
 */
import { sql } from 'kysely';
import type { Store, Tx } from '../store/db.ts';

export interface Snapshot {
  /** In creation order, so rows are restored before the rows that reference them. */
  tables: Array<{ name: string; rows: unknown[] }>;
  sequences: Array<{ name: string; value: number | null }>;
  clockOffsetMs: number;
}

const ident = (name: string) => sql.id(name);

/** How many snapshots a server keeps, and how many bytes of JSON they may take in all (docs/operator.md). */
export const SNAPSHOT_LIMITS = { count: 16, bytes: 256 * 1024 * 1024 };

/**
 * The snapshots of one server, in memory, each kept as its JSON text (compact, and its size is known).
 * Bounded by SNAPSHOT_LIMITS: one more is refused, nothing is evicted, so an id a test holds stays valid.
 */
/** Where snapshots are kept: this process's memory (`SnapshotShelf`), or Redis for replicas (`SharedSnapshotShelf`). */
export interface Shelf {
  /** The new snapshot's id, or `undefined` when the shelf is full (count or bytes). */
  add(snapshot: Snapshot): number | undefined | Promise<number | undefined>;
  get(id: number): Snapshot | undefined | Promise<Snapshot | undefined>;
  delete(id: number): boolean | Promise<boolean>;
}

export class SnapshotShelf implements Shelf {
  private nextId = 1;
  private bytes = 0;
  private readonly byId = new Map<number, string>();

  get full(): boolean {
    return this.byId.size >= SNAPSHOT_LIMITS.count;
  }

  /** The new snapshot's id, or `undefined` when it does not fit in what is left of the byte budget. */
  add(snapshot: Snapshot): number | undefined {
    if (this.full) return undefined;
    const text = JSON.stringify(snapshot);
    const size = Buffer.byteLength(text);
    if (this.bytes + size > SNAPSHOT_LIMITS.bytes) return undefined;
    const id = this.nextId++;
    this.byId.set(id, text);
    this.bytes += size;
    return id;
  }

  get(id: number): Snapshot | undefined {
    const text = this.byId.get(id);
    return text === undefined ? undefined : JSON.parse(text) as Snapshot;
  }

  delete(id: number): boolean {
    const text = this.byId.get(id);
    if (text === undefined) return false;
    this.bytes -= Buffer.byteLength(text);
    return this.byId.delete(id);
  }
}

/** Table names in creation order (migrations create referenced tables first). */
async function tableNames(db: Store['db'] | Tx, dialect: Store['dialect']): Promise<string[]> {
  if (dialect === 'postgres') {
    const { rows } = await sql<{ name: string }>`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'r' and n.nspname = current_schema() and c.relname not like 'kysely_%' order by c.oid`.execute(db);
    return rows.map((r) => r.name);
  }
  const { rows } = await sql<{ name: string }>`select name from sqlite_master where type = 'table'
    and name not like 'kysely_%' and name not like 'sqlite_%' order by rowid`.execute(db);
  return rows.map((r) => r.name);
}

export async function takeSnapshot(store: Store, clockOffsetMs: number): Promise<Snapshot> {
  const { db, dialect } = store;
  // One consistent view of every table (SQLite's single connection already gives one).
  const transaction = dialect === 'postgres' ? db.transaction().setIsolationLevel('repeatable read') : db.transaction();
  return transaction.execute(async (tx) => {
    const tables: Snapshot['tables'] = [];
    for (const name of await tableNames(tx, dialect)) {
      // PostgreSQL: rows as JSON, restored by json_populate_recordset, so every column type round-trips.
      const { rows } = dialect === 'postgres'
        ? await sql<{ row: unknown }>`select row_to_json(t) as row from ${ident(name)} t`.execute(tx)
        : await sql<unknown>`select * from ${ident(name)}`.execute(tx);
      tables.push({ name, rows: dialect === 'postgres' ? (rows as Array<{ row: unknown }>).map((r) => r.row) : rows });
    }
    const sequences = dialect === 'postgres'
      ? (await sql<{ name: string; value: string | null }>`select sequencename as name, last_value as value from pg_sequences
          where schemaname = current_schema()`.execute(tx)).rows.map((r) => ({ name: r.name, value: r.value === null ? null : Number(r.value) }))
      : await sqliteSequences(tx);
    return { tables, sequences, clockOffsetMs };
  });
}

async function sqliteSequences(tx: Tx): Promise<Snapshot['sequences']> {
  const exists = await sql<{ n: number }>`select count(*) as n from sqlite_master where name = 'sqlite_sequence'`.execute(tx);
  if (Number(exists.rows[0]?.n) === 0) return [];
  return (await sql<{ name: string; seq: number }>`select name, seq from sqlite_sequence`.execute(tx)).rows.map((r) => ({ name: r.name, value: r.seq }));
}

/** Puts every table back as it was in the snapshot, in one transaction (concurrent requests see before or after). */
export async function restoreSnapshot(store: Store, snapshot: Snapshot): Promise<void> {
  const { db, dialect } = store;
  await db.transaction().execute(async (tx) => {
    const current = await tableNames(tx, dialect);
    if (dialect === 'postgres') {
      if (current.length) await sql`truncate ${sql.join(current.map(ident))} restart identity cascade`.execute(tx);
      for (const { name, rows } of snapshot.tables) {
        if (!current.includes(name) || rows.length === 0) continue;
        await sql`insert into ${ident(name)} select * from json_populate_recordset(null::${ident(name)}, ${JSON.stringify(rows)}::json)`.execute(tx);
      }
      for (const { name, value } of snapshot.sequences) {
        if (value === null) await sql`select setval(${`"${name}"`}::regclass, 1, false)`.execute(tx);
        else await sql`select setval(${`"${name}"`}::regclass, ${value}, true)`.execute(tx);
      }
      return;
    }
    for (const name of [...current].reverse()) await sql`delete from ${ident(name)}`.execute(tx);
    for (const { name, rows } of snapshot.tables) {
      if (!current.includes(name) || rows.length === 0) continue;
      const columns = Object.keys(rows[0] as object);
      const perChunk = Math.max(1, Math.floor(30_000 / columns.length));
      for (let i = 0; i < rows.length; i += perChunk) {
        const values = rows.slice(i, i + perChunk).map((row) => sql`(${sql.join(columns.map((c) => (row as Record<string, unknown>)[c]))})`);
        await sql`insert into ${ident(name)} (${sql.join(columns.map(ident))}) values ${sql.join(values)}`.execute(tx);
      }
    }
    if ((await sqliteSequences(tx)).length || snapshot.sequences.length) {
      await sql`delete from sqlite_sequence`.execute(tx);
      for (const { name, value } of snapshot.sequences) await sql`insert into sqlite_sequence (name, seq) values (${name}, ${value})`.execute(tx);
    }
  });
}

/**
 * Makes the next id of each table with a numeric id sequence (or only `table`) at least `nextId`. A seed only
 * ever moves a sequence forward: never at or below an id in use, nor below the sequence's own next value (an
 * uncommitted insert may hold an id above every committed one). The route runs it holding the store gate
 * exclusively, so no insert runs meanwhile. Returns the tables touched; `undefined` when `table` has no such id.
 */
export async function seedIds(store: Store, nextId: number, table?: string): Promise<string[] | undefined> {
  const { db, dialect } = store;
  return db.transaction().execute(async (tx) => {
    const sequenced = dialect === 'postgres'
      ? (await sql<{ name: string }>`select t.name from (select c.relname as name, c.oid from pg_class c
          join pg_namespace n on n.oid = c.relnamespace join pg_attribute a on a.attrelid = c.oid and a.attname = 'id' and not a.attisdropped
          where c.relkind = 'r' and n.nspname = current_schema() and c.relname not like 'kysely%' offset 0) t
          where pg_get_serial_sequence(quote_ident(t.name), 'id') is not null order by t.oid`.execute(tx)).rows.map((r) => r.name)
      : (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'kysely_%'
          and name not like 'sqlite_%' and lower(sql) like '%autoincrement%' order by rowid`.execute(tx)).rows.map((r) => r.name);
    const targets = table === undefined ? sequenced : sequenced.filter((n) => n === table);
    if (table !== undefined && targets.length === 0) return undefined;
    for (const name of targets) {
      const { rows } = await sql<{ max: number | string | null }>`select max(id) as max from ${ident(name)}`.execute(tx);
      const next = Math.max(nextId, Number(rows[0]?.max ?? 0) + 1, await sequenceNext(tx, dialect, name));
      if (dialect === 'postgres') {
        await sql`select setval(pg_get_serial_sequence(${`"${name}"`}, 'id'), ${next}, false)`.execute(tx);
      } else {
        await sql`delete from sqlite_sequence where name = ${name}`.execute(tx);
        await sql`insert into sqlite_sequence (name, seq) values (${name}, ${next - 1})`.execute(tx);
      }
    }
    return targets;
  });
}

/** The id the table's sequence would hand out next. */
async function sequenceNext(tx: Tx, dialect: Store['dialect'], table: string): Promise<number> {
  if (dialect === 'postgres') {
    const { rows } = await sql<{ seq: string }>`select pg_get_serial_sequence(${`"${table}"`}, 'id') as seq`.execute(tx);
    const state = await sql<{ last_value: string; is_called: boolean }>`select last_value, is_called from ${sql.raw(rows[0]!.seq)}`.execute(tx);
    const { last_value, is_called } = state.rows[0]!;
    return Number(last_value) + (is_called ? 1 : 0);
  }
  const { rows } = await sql<{ seq: number }>`select seq from sqlite_sequence where name = ${table}`.execute(tx);
  return Number(rows[0]?.seq ?? 0) + 1;
}
