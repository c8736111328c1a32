import { sql, type Kysely } from 'kysely';
import type { DialectMigration } from '../dialect.ts';

/** The test clock's offset from real time: one row (id 1), so a restart resumes at the time tests moved to. */
export const testClock: DialectMigration = () => ({
  async up(db: Kysely<any>) {
    await db.schema.createTable('test_clock')
      .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
      .addColumn('offset_ms', 'double precision', (c) => c.notNull())
      .execute();
  },
});
