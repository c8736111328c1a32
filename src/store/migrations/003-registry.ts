import type { Kysely } from 'kysely';
import type { DialectMigration } from '../dialect.ts';
import { idColumn } from './columns.ts';

export const registry: DialectMigration = (dialect) => ({
  async up(db: Kysely<any>) {
    await idColumn(db.schema.createTable('repositories'), dialect)
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('repo_name', 'text', (c) => c.notNull())
      .addColumn('open_level', 'integer', (c) => c.notNull())
      .addColumn('ci_support', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('base_desc', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('detail_desc', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('repositories_user_name', ['user_id', 'repo_name'])
      .execute();
    await idColumn(db.schema.createTable('repository_tags'), dialect)
      .addColumn('repo_id', 'integer', (c) => c.notNull().references('repositories.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('result', 'integer', (c) => c.notNull())
      .addColumn('result_reason', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('dockerfile', 'text', (c) => c.notNull())
      .addColumn('accepted_at', 'text', (c) => c.notNull())
      .addColumn('building_at', 'text', (c) => c.notNull())
      .addColumn('finish_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('repository_tags_repo_name', ['repo_id', 'name'])
      .execute();
    await db.schema.createIndex('repository_tags_status').on('repository_tags').column('status').execute();
  },
});
