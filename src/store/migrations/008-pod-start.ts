import type { Kysely } from 'kysely';
import type { DialectMigration } from '../dialect.ts';

/** When each pod started: a container's metric series begins there (monitoring.md). */
export const podStart: DialectMigration = () => ({
  async up(db: Kysely<any>) {
    await db.schema.alterTable('ms_pods').addColumn('started_at', 'text').execute();
  },
});
