import type { Kysely } from 'kysely';
import type { DialectMigration } from '../dialect.ts';
import { idColumn } from './columns.ts';

/** The beta API's single containers and apps (legacy-containers-apps.md); names unique per user. */
export const legacyContainersApps: DialectMigration = (dialect) => ({
  async up(db: Kysely<any>) {
    await idColumn(db.schema.createTable('legacy_containers'), dialect)
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('desc', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('charge_type', 'integer', (c) => c.notNull())
      .addColumn('spec_id', 'integer', (c) => c.notNull())
      .addColumn('image_type', 'integer', (c) => c.notNull())
      .addColumn('image_id', 'integer', (c) => c.notNull())
      .addColumn('image_path', 'text', (c) => c.notNull())
      .addColumn('ssh_key_ids', 'text', (c) => c.notNull())
      .addColumn('env_var', 'text', (c) => c.notNull())
      .addColumn('use_public_network', 'integer', (c) => c.notNull())
      .addColumn('network_charge_type', 'integer')
      .addColumn('bandwidth', 'integer')
      .addColumn('public_ip', 'text')
      .addColumn('pods', 'text', (c) => c.notNull())
      .addColumn('operation', 'text')
      .addColumn('due_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('legacy_containers_user_name', ['user_id', 'name'])
      .execute();
    await db.schema.createIndex('legacy_containers_due').on('legacy_containers').column('due_at').execute();
    await idColumn(db.schema.createTable('legacy_apps'), dialect)
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('desc', 'text', (c) => c.notNull())
      .addColumn('domain', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('replicas', 'integer', (c) => c.notNull())
      .addColumn('spec_id', 'integer', (c) => c.notNull())
      .addColumn('image_type', 'integer', (c) => c.notNull())
      .addColumn('image_id', 'integer', (c) => c.notNull())
      .addColumn('image_path', 'text', (c) => c.notNull())
      .addColumn('env_var', 'text', (c) => c.notNull())
      .addColumn('version_control', 'text')
      .addColumn('vc_password_sealed', 'text')
      .addColumn('docker_file_type', 'integer', (c) => c.notNull())
      .addColumn('custom_docker_file', 'text')
      .addColumn('volumes', 'text', (c) => c.notNull())
      .addColumn('hook_id', 'text', (c) => c.notNull().unique())
      .addColumn('public_ip', 'text')
      .addColumn('pods', 'text', (c) => c.notNull())
      .addColumn('operation', 'text')
      .addColumn('due_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('legacy_apps_user_name', ['user_id', 'name'])
      .execute();
    await db.schema.createIndex('legacy_apps_due').on('legacy_apps').column('due_at').execute();
  },
});
