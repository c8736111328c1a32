/**
 * Set-wise writes for due work: many rows in a few statements instead of one query per row (a round trip
 * each on PostgreSQL). Rows go in chunks that stay well under both databases' limits on bound parameters.
 */
import { sql } from 'kysely';
import type { Database } from './tables.ts';
import type { Tx } from './db.ts';

const PARAMETERS_PER_STATEMENT = 10_000;

/** `ids` in lists short enough for one `in (...)` each (none when `ids` is empty). */
export function chunked<T>(ids: T[]): T[][] {
  return chunks(ids, 1);
}

function chunks<T>(rows: T[], width: number): T[][] {
  const size = Math.max(1, Math.floor(PARAMETERS_PER_STATEMENT / width));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** Inserts `rows` with multi-row INSERTs. */
export async function insertMany<T extends keyof Database & string>(tx: Tx, table: T, rows: Array<Record<string, unknown>>): Promise<void> {
  if (rows.length === 0) return;
  for (const part of chunks(rows, Object.keys(rows[0]!).length)) await tx.insertInto(table).values(part as never).execute();
}

export type ColumnType = 'integer' | 'text' | 'double precision';

/**
 * Sets columns of many rows, each to its own values, with `UPDATE … FROM (VALUES …)` (both databases name
 * the VALUES columns column1, column2, …). `columns` gives each column's SQL type (PostgreSQL types the
 * parameters by it); every row carries `id` and those columns.
 */
export async function updateMany<T extends keyof Database & string>(tx: Tx, table: T, columns: Record<string, ColumnType>, rows: Array<{ id: number } & Record<string, unknown>>): Promise<void> {
  if (rows.length === 0) return;
  const names = Object.keys(columns);
  const types = { id: 'integer', ...columns } as Record<string, ColumnType>;
  const target = sql.table(table);
  const sets = sql.join(names.map((name, i) => sql`${sql.id(name)} = v.${sql.raw(`column${i + 2}`)}`));
  for (const part of chunks(rows, names.length + 1)) {
    const values = sql.join(part.map((row) => sql`(${sql.join(['id', ...names].map((name) => sql`cast(${row[name]} as ${sql.raw(types[name]!)})`))})`));
    await sql`update ${target} set ${sets} from (values ${values}) as v where ${target}.id = v.column1`.execute(tx);
  }
}
