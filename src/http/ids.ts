/**
 * A path id typed `long` (core.md §2.3): a positive decimal integer up to 2^53−1, otherwise `undefined` —
 * which then answers the domain's "No such ..." exactly as an unknown id would.
 */
export function parseId(segment: string | undefined): number | undefined {
  if (!segment || !/^\d{1,16}$/.test(segment)) return undefined;
  const n = Number(segment);
  return n > 0 && Number.isSafeInteger(n) ? n : undefined;
}
