/**
 * Billing's own amounts. Each domain knows the price of what it sells (volumes/rules.ts, ips/rules.ts,
 * microservices/specs.ts) and hands it to `Billing.meter`.
 */

/** A paid operation needs at least this balance (volumes-and-ips.md "Proposed (account balance)"). */
export const MIN_BALANCE_FOR_PURCHASE = 50;

/**
 * Money is kept to a millionth of a CNY: every price times a whole number of hours is exact at that
 * precision, and rounding each stored amount stops binary floating-point noise from accumulating.
 */
export function roundCny(amount: number): number {
  return Math.round(amount * 1e6) / 1e6;
}
