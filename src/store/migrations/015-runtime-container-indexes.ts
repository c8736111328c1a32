import type { Kysely } from 'kysely';
import type { DialectMigration } from '../dialect.ts';

/**
 * `ms_runtime_containers` is cleared by service whenever a service's pods are replaced (every settled
 * create, scale or restart), and by pod through the cascade of deleting pods or their service; neither
 * column had an index, so each of those was a scan of every runtime container stored.
 */
export const runtimeContainerIndexes: DialectMigration = () => ({
  async up(db: Kysely<any>) {
    await db.schema.createIndex('ms_runtime_containers_service').on('ms_runtime_containers').column('service_id').execute();
    await db.schema.createIndex('ms_runtime_containers_pod').on('ms_runtime_containers').column('pod_id').execute();
  },
});
