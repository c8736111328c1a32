import { sql, type Kysely } from 'kysely';
import type { DialectMigration } from '../dialect.ts';

/**
 * Per-user totals that quota and billing checks read on every purchase, kept by the writes that move them
 * (microservices.md §2.9): `ms_usage` by the microservices store, `meter_totals` by the ledger. Reading a
 * row instead of summing every service or meter keeps a create O(1) however many a user has.
 * Filled here from what is already stored.
 */
export const usageCounters: DialectMigration = () => ({
  async up(db: Kysely<any>) {
    await db.schema.createTable('ms_usage')
      .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
      .addColumn('services', 'integer', (c) => c.notNull())
      .addColumn('replicas', 'integer', (c) => c.notNull())
      .addColumn('containers', 'integer', (c) => c.notNull())
      .execute();
    await sql`insert into ms_usage (user_id, services, replicas, containers)
      select user_id, count(*), sum(replicas), sum(replicas * container_count) from microservices group by user_id`.execute(db);
    // Whole millionths of a CNY (prices are rounded to them, roundCny): integer sums never drift.
    await db.schema.createTable('meter_totals')
      .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
      .addColumn('frozen_micro', 'bigint', (c) => c.notNull())
      .execute();
    await sql`insert into meter_totals (user_id, frozen_micro)
      select user_id, sum(cast(round(hourly_price * 1000000) as bigint)) from meters where active = 1 group by user_id`.execute(db);
  },
});
