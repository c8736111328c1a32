import type { Kysely } from 'kysely';
import type { DialectMigration } from '../dialect.ts';
import { idColumn } from './columns.ts';

/** Namespaces, microservices, their container definitions, pods and runtime containers. */
export const microservices: DialectMigration = (dialect) => ({
  async up(db: Kysely<any>) {
    await idColumn(db.schema.createTable('ms_ids'), dialect).execute();
    await db.schema.createTable('ms_namespaces')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('namespace', 'text', (c) => c.notNull())
      .addColumn('service_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('ms_namespaces_user_name', ['user_id', 'display_name'])
      .execute();
    await db.schema.createTable('microservices')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('namespace_id', 'integer', (c) => c.notNull().references('ms_namespaces.id'))
      .addColumn('service_name', 'text', (c) => c.notNull())
      .addColumn('stateful', 'integer', (c) => c.notNull())
      .addColumn('replicas', 'integer', (c) => c.notNull())
      .addColumn('container_count', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('spec_alias', 'text', (c) => c.notNull())
      .addColumn('port_maps', 'text', (c) => c.notNull())
      .addColumn('public_net', 'text', (c) => c.notNull())
      .addColumn('ip_id', 'text')
      .addColumn('disk_type', 'integer', (c) => c.notNull())
      .addColumn('bill_info', 'text', (c) => c.notNull())
      .addColumn('stop_service', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('operation', 'text')
      .addColumn('due_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('microservices_namespace_name', ['namespace_id', 'service_name'])
      .execute();
    // The list pages by (namespace_id, id desc): one index range scan per page.
    await db.schema.createIndex('microservices_namespace_id').on('microservices').columns(['namespace_id', 'id']).execute();
    await db.schema.createIndex('microservices_user').on('microservices').columns(['user_id', 'stop_service']).execute();
    await db.schema.createIndex('microservices_due').on('microservices').column('due_at').execute();
    await db.schema.createTable('ms_containers')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('service_id', 'integer', (c) => c.notNull().references('microservices.id').onDelete('cascade'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('container_name', 'text', (c) => c.notNull())
      .addColumn('container_desc', 'text')
      .addColumn('image_path', 'text', (c) => c.notNull())
      .addColumn('command', 'text')
      .addColumn('envs', 'text', (c) => c.notNull())
      .addColumn('log_dirs', 'text', (c) => c.notNull())
      .addColumn('cpu_weight', 'integer', (c) => c.notNull())
      .addColumn('memory_weight', 'integer', (c) => c.notNull())
      .addColumn('ssh_keys', 'text', (c) => c.notNull())
      .addColumn('volumes', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('ms_containers_service').on('ms_containers').columns(['service_id', 'position']).execute();
    await idColumn(db.schema.createTable('ms_pods'), dialect)
      .addColumn('service_id', 'integer', (c) => c.notNull().references('microservices.id').onDelete('cascade'))
      .addColumn('ordinal', 'integer', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('lan_ip', 'text', (c) => c.notNull())
      .addColumn('docker_ids', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('ms_pods_service').on('ms_pods').columns(['service_id', 'ordinal']).execute();
    await db.schema.createTable('ms_runtime_containers')
      .addColumn('docker_id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'integer', (c) => c.notNull())
      .addColumn('service_id', 'integer', (c) => c.notNull().references('microservices.id').onDelete('cascade'))
      .addColumn('pod_id', 'integer', (c) => c.notNull().references('ms_pods.id').onDelete('cascade'))
      .execute();
  },
});
