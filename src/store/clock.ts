import type { Db } from './db.ts';

/**
 * Keeps the test clock's offset in the store (table `test_clock`, one row), so it survives a restart.
 * No row means no offset (a new store); `POST /_opencomb/reset` empties the table and then stores 0.
 */
export function clockOffsetStore(db: Db) {
  return {
    async load(): Promise<number> {
      const row = await db.selectFrom('test_clock').select('offset_ms').where('id', '=', 1).executeTakeFirst();
      return row ? Number(row.offset_ms) : 0;
    },
    async save(offsetMs: number): Promise<void> {
      await db.insertInto('test_clock').values({ id: 1, offset_ms: offsetMs })
        .onConflict((oc) => oc.column('id').doUpdateSet({ offset_ms: offsetMs }))
        .execute();
    },
  };
}
