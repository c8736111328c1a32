import type { Kysely } from 'kysely';
import type { DialectMigration } from '../dialect.ts';
import { idColumn } from './columns.ts';

export const identity: DialectMigration = (dialect) => ({
  async up(db: Kysely<any>) {
    await idColumn(db.schema.createTable('users'), dialect)
      .addColumn('user_name', 'text', (c) => c.notNull().unique())
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('normal'))
      .addColumn('balance', 'double precision', (c) => c.notNull().defaultTo(1000))
      .addColumn('certified', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('quotas', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createTable('key_pairs')
      .addColumn('app_key', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('secret_hash', 'text', (c) => c.notNull())
      .addColumn('secret_sealed', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createTable('tokens')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('app_key', 'text', (c) => c.notNull().references('key_pairs.app_key').onDelete('cascade'))
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('tokens_expires_at').on('tokens').column('expires_at').execute();
  },
});
