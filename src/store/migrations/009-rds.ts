import type { Kysely } from 'kysely';
import type { DialectMigration } from '../dialect.ts';
import { idColumn } from './columns.ts';

/** RDS instances and what they hold; everything below an instance goes with it (cascade). */
export const rds: DialectMigration = (dialect) => ({
  async up(db: Kysely<any>) {
    await idColumn(db.schema.createTable('rds_instances'), dialect)
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('engine_version', 'text', (c) => c.notNull())
      .addColumn('cpu', 'integer', (c) => c.notNull())
      .addColumn('memory_gb', 'integer', (c) => c.notNull())
      .addColumn('disk_size', 'integer', (c) => c.notNull())
      .addColumn('port', 'integer', (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull().unique())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('charge_type', 'text', (c) => c.notNull())
      .addColumn('order_confirmed', 'integer', (c) => c.notNull())
      .addColumn('preferred_backup_window', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('ready_at', 'text')
      .addColumn('gone_at', 'text')
      .addUniqueConstraint('rds_instances_user_name', ['user_id', 'name'])
      .execute();
    await db.schema.createIndex('rds_instances_status').on('rds_instances').columns(['status', 'ready_at']).execute();
    await idColumn(db.schema.createTable('rds_snapshots'), dialect)
      .addColumn('instance_id', 'integer', (c) => c.notNull().references('rds_instances.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('ready_at', 'text', (c) => c.notNull())
      .addColumn('size_kb', 'integer', (c) => c.notNull())
      .addUniqueConstraint('rds_snapshots_instance_name', ['instance_id', 'name'])
      .execute();
    await idColumn(db.schema.createTable('rds_databases'), dialect)
      .addColumn('instance_id', 'integer', (c) => c.notNull().references('rds_instances.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('character_set', 'text', (c) => c.notNull())
      .addUniqueConstraint('rds_databases_instance_name', ['instance_id', 'name'])
      .execute();
    await idColumn(db.schema.createTable('rds_accounts'), dialect)
      .addColumn('instance_id', 'integer', (c) => c.notNull().references('rds_instances.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('ip_list', 'text', (c) => c.notNull())
      .addUniqueConstraint('rds_accounts_instance_name', ['instance_id', 'name'])
      .execute();
    await idColumn(db.schema.createTable('rds_grants'), dialect)
      .addColumn('account_id', 'integer', (c) => c.notNull().references('rds_accounts.id').onDelete('cascade'))
      .addColumn('database_id', 'integer', (c) => c.notNull().references('rds_databases.id').onDelete('cascade'))
      .addColumn('privilege', 'text', (c) => c.notNull())
      .addUniqueConstraint('rds_grants_account_database', ['account_id', 'database_id'])
      .execute();
    await db.schema.createTable('rds_nonces')
      .addColumn('app_key', 'text', (c) => c.notNull())
      .addColumn('nonce', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('rds_nonces_pk', ['app_key', 'nonce'])
      .execute();
    await db.schema.createIndex('rds_nonces_expires').on('rds_nonces').column('expires_at').execute();
  },
});
