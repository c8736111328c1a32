import type { Kysely } from 'kysely';
import type { DialectMigration } from '../dialect.ts';
import { idColumn } from './columns.ts';

export const loadbalancers: DialectMigration = (dialect) => ({
  async up(db: Kysely<any>) {
    await idColumn(db.schema.createTable('nlb_loadbalancers'), dialect)
      .addColumn('uuid', 'text', (c) => c.notNull().unique())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('namespace', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('charge_mode', 'text', (c) => c.notNull())
      .addColumn('bandwidth_limit', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('due_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      // Concurrent creates of one name in one namespace: the database lets exactly one win.
      .addUniqueConstraint('nlb_loadbalancers_ns_name', ['user_id', 'namespace', 'name'])
      .execute();
    await db.schema.createIndex('nlb_loadbalancers_due').on('nlb_loadbalancers').column('due_at').execute();
    await idColumn(db.schema.createTable('nlb_listeners'), dialect)
      .addColumn('lb_id', 'integer', (c) => c.notNull().references('nlb_loadbalancers.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('protocol', 'text', (c) => c.notNull())
      .addColumn('listen_port', 'integer', (c) => c.notNull())
      .addColumn('clusters', 'text', (c) => c.notNull())
      .addColumn('cert_ids', 'text', (c) => c.notNull())
      .addColumn('pending_until', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('nlb_listeners_lb_name', ['lb_id', 'name'])
      .addUniqueConstraint('nlb_listeners_lb_port', ['lb_id', 'listen_port'])
      .execute();
    // `id` orders certificates created in the same millisecond; `cert_id` is the public UUID.
    await idColumn(db.schema.createTable('nlb_certs'), dialect)
      .addColumn('cert_id', 'text', (c) => c.notNull().unique())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('finger_print', 'text', (c) => c.notNull())
      .addColumn('pub_cert', 'text', (c) => c.notNull())
      .addColumn('pri_key_sealed', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('nlb_certs_user_name', ['user_id', 'name'])
      .execute();
  },
});
