import type { Db, Tx } from './db.ts';

/**
 * Keeps the test clock's offset in the store (table `test_clock`, one row), so it survives a restart.
 * No row means no offset (a new store); `POST /_opencomb/reset` empties the table and then stores 0.
 */
export class ClockStore {
  constructor(private readonly db: Db | Tx) {}

  /** The same operations inside a transaction. */
  with(tx: Tx): ClockStore {
    return new ClockStore(tx);
  }

  async load(): Promise<number> {
    const row = await this.db.selectFrom('test_clock').select('offset_ms').where('id', '=', 1).executeTakeFirst();
    return row ? Number(row.offset_ms) : 0;
  }

  async save(offsetMs: number): Promise<void> {
    await this.db.insertInto('test_clock').values({ id: 1, offset_ms: offsetMs })
      .onConflict((oc) => oc.column('id').doUpdateSet({ offset_ms: offsetMs }))
      .execute();
  }
}
