/** Documented pay-as-you-go prices (volumes-and-ips.md, Overview), in CNY. */
export const PRICES = {
  /** Cloud volume, per GB and hour. */
  volumePerGbHour: 0.0007,
  /** Public IP (nce or nlb), per hour, bound or not. */
  ipPerHour: 0.004,
} as const;

/** A paid operation needs at least this balance (volumes-and-ips.md "Proposed (account balance)"). */
export const MIN_BALANCE_FOR_PURCHASE = 50;

/**
 * Money is kept to a millionth of a CNY: every price times a whole number of hours is exact at that
 * precision, and rounding each stored amount stops binary floating-point noise from accumulating.
 */
export function roundCny(amount: number): number {
  return Math.round(amount * 1e6) / 1e6;
}

export function volumeHourlyPrice(sizeGb: number): number {
  return roundCny(sizeGb * PRICES.volumePerGbHour);
}
