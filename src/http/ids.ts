/**
 * The largest id either store hands out: ids are PostgreSQL `integer` columns, and the operator's id seed
 * stops short of this (docs/operator.md), so both stores stay within it.
 */
export const MAX_ID = 2_147_483_647;

/**
 * A path id typed `long` (core.md §2.3): a positive decimal integer, otherwise `undefined` — which then
 * answers the domain's "No such ..." exactly as an unknown id would. An id above `MAX_ID` names nothing
 * (and is never sent to PostgreSQL, which would refuse it as out of range).
 */
export function parseId(segment: string | undefined): number | undefined {
  if (!segment || !/^\d{1,16}$/.test(segment)) return undefined;
  const n = Number(segment);
  return n > 0 && n <= MAX_ID ? n : undefined;
}
