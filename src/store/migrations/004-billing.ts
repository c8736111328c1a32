import type { Kysely } from 'kysely';
import type { DialectMigration } from '../dialect.ts';
import { idColumn } from './columns.ts';

export const billing: DialectMigration = (dialect) => ({
  async up(db: Kysely<any>) {
    await idColumn(db.schema.createTable('meters'), dialect)
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('resource_id', 'text', (c) => c.notNull())
      .addColumn('hourly_price', 'double precision', (c) => c.notNull())
      .addColumn('since', 'text', (c) => c.notNull())
      .addColumn('anchor_at', 'text', (c) => c.notNull())
      .addColumn('charged_hours', 'integer', (c) => c.notNull())
      .addColumn('next_charge_at', 'text', (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull())
      .addUniqueConstraint('meters_resource', ['user_id', 'kind', 'resource_id'])
      .execute();
    await db.schema.createIndex('meters_due').on('meters').columns(['active', 'next_charge_at']).execute();
    await idColumn(db.schema.createTable('charges'), dialect)
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('resource_id', 'text', (c) => c.notNull())
      .addColumn('amount', 'double precision', (c) => c.notNull())
      .addColumn('hours', 'integer', (c) => c.notNull())
      .addColumn('hourly_price', 'double precision', (c) => c.notNull())
      .addColumn('period_start', 'text', (c) => c.notNull())
      .addColumn('period_end', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('charges_resource').on('charges').columns(['user_id', 'kind', 'resource_id']).execute();
  },
});
