import type { Kysely } from 'kysely';
import type { DialectMigration } from '../dialect.ts';
import { idColumn } from './columns.ts';

export const ips: DialectMigration = (dialect) => ({
  async up(db: Kysely<any>) {
    await idColumn(db.schema.createTable('ips'), dialect)
      .addColumn('ip_id', 'text', (c) => c.notNull().unique())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('type', 'text', (c) => c.notNull())
      // One address is never held by two existing IPs: the database enforces it.
      .addColumn('ip', 'text', (c) => c.notNull().unique())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('service_type', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('service_id', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('service_name', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('bind_due_at', 'text')
      .addColumn('create_at', 'text', (c) => c.notNull())
      .addColumn('update_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('ips_user_created').on('ips').columns(['user_id', 'create_at', 'id']).execute();
    await db.schema.createIndex('ips_bind_due').on('ips').column('bind_due_at').execute();
    await db.schema.createTable('ip_arrears')
      .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
      .addColumn('since', 'text', (c) => c.notNull())
      .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
});
