import type { ApiError, ErrorName } from '../catalog/index.ts';
import { translating } from '../errors.ts';
import { lockUser, type Store, type Tx } from './db.ts';

/**
 * Runs `work` in one transaction under the user's lock, so that name checks, quota counts and the writes
 * that follow see the user's concurrent requests one after the other. A unique violation (a concurrent
 * create of the same name won the race) answers `duplicate`; anything thrown leaves the store unchanged.
 */
export function inUserTransaction<T>(store: Store, userId: number, work: (tx: Tx) => Promise<T>, duplicate?: ErrorName | ApiError): Promise<T> {
  return translating({ duplicate }, () => store.db.transaction().execute(async (tx) => {
    await lockUser(tx, store.dialect, userId);
    return work(tx);
  }));
}

/** A row with the named columns as numbers (PostgreSQL answers bigint and counted columns as text). */
export function numericColumns<R extends object, K extends keyof R>(row: R, ...columns: K[]): Omit<R, K> & { [P in K]: number } {
  const out = { ...row } as Record<string, unknown>;
  for (const c of columns) out[c as string] = Number(row[c]);
  return out as Omit<R, K> & { [P in K]: number };
}
