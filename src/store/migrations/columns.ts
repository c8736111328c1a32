import type { CreateTableBuilder } from 'kysely';
import type { Dialect } from '../dialect.ts';

/** A numeric, database-assigned primary key (`id`): SQLite AUTOINCREMENT never reuses a deleted id. */
export function idColumn<T extends string>(table: CreateTableBuilder<T, any>, dialect: Dialect): CreateTableBuilder<T, any> {
  return dialect === 'postgres'
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}
