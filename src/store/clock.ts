import type { Db, Dialect, Tx } from './db.ts';

/**
 * Keeps the test clock's offset in the store (table `test_clock`, one row), so it survives a restart.
 * No row means no offset (a new store); `POST /_opencomb/reset` empties the table and then stores 0.
 */
export class ClockStore {
  constructor(private readonly db: Db, private readonly dialect: Dialect) {}

  async load(): Promise<number> {
    const row = await this.db.selectFrom('test_clock').select('offset_ms').where('id', '=', 1).executeTakeFirst();
    return row ? Number(row.offset_ms) : 0;
  }

  /**
   * Reads, changes and stores the offset in one transaction with the row locked, so changes made at once
   * (by replicas on one database) add up instead of overwriting each other. Returns the stored offset.
   */
  async change(next: (offsetMs: number) => number): Promise<number> {
    return this.db.transaction().execute(async (tx) => {
      await tx.insertInto('test_clock').values({ id: 1, offset_ms: 0 }).onConflict((oc) => oc.column('id').doNothing()).execute();
      const read = tx.selectFrom('test_clock').select('offset_ms').where('id', '=', 1);
      const row = await (this.dialect === 'postgres' ? read.forUpdate() : read).executeTakeFirstOrThrow();
      const offsetMs = next(Number(row.offset_ms));
      await tx.updateTable('test_clock').set({ offset_ms: offsetMs }).where('id', '=', 1).execute();
      return offsetMs;
    });
  }
}
