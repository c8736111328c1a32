import type { Kysely } from 'kysely';
import type { DialectMigration } from '../dialect.ts';

/** The due `billing` work looks up services by `stop_service` every tick; without an index that is a table scan. */
export const servicesStopIndex: DialectMigration = () => ({
  async up(db: Kysely<any>) {
    await db.schema.createIndex('microservices_stop_service').on('microservices').columns(['stop_service', 'user_id']).execute();
  },
});
