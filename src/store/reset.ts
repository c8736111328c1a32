import { sql } from 'kysely';
import type { Store } from './db.ts';

/** Empties every table and restarts ids (operator `POST /_opencomb/reset`); the schema stays. */
export async function truncateAll(store: Store): Promise<void> {
  const { db, dialect } = store;
  if (dialect === 'postgres') {
    const { rows } = await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = current_schema() and tablename not like 'kysely_%'`.execute(db);
    if (rows.length) await sql.raw(`truncate ${rows.map((r) => `"${r.tablename}"`).join(', ')} restart identity cascade`).execute(db);
    return;
  }
  // Newest tables first: a table can only reference tables created before it.
  const { rows } = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'kysely_%' and name not like 'sqlite_%' order by rowid desc`.execute(db);
  await db.transaction().execute(async (tx) => {
    for (const { name } of rows) await sql.raw(`delete from "${name}"`).execute(tx);
    const seq = await sql<{ n: number }>`select count(*) as n from sqlite_master where name = 'sqlite_sequence'`.execute(tx);
    if (Number(seq.rows[0]?.n) > 0) await sql`delete from sqlite_sequence`.execute(tx);
  });
}
