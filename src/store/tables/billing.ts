import type { Generated } from 'kysely';

/** One running resource billed by the hour (`kind` + `resource_id` name it, e.g. `volume` + `19893`). */
export interface MetersTable {
  id: Generated<number>;
  user_id: number;
  kind: string;
  resource_id: string;
  /** CNY per hour at the current size/price. */
  hourly_price: number;
  /** When metering of this resource first started (reported by `accrued().since`). */
  since: string;
  /** Start of the current metering run; hours are counted from here. */
  anchor_at: string;
  /** Started hours of the current run already charged. */
  charged_hours: number;
  /** `anchor_at + charged_hours` hours: the next hour boundary that needs a charge. */
  next_charge_at: string;
  /** 1 while the resource runs; 0 once unmetered (the row stays for `accrued`). */
  active: number;
}

/** One charge written by accrual: the balance was lowered by `amount` in the same transaction. */
export interface ChargesTable {
  id: Generated<number>;
  user_id: number;
  kind: string;
  resource_id: string;
  amount: number;
  hours: number;
  hourly_price: number;
  period_start: string;
  period_end: string;
  created_at: string;
}

/** Sum of the active meters' hourly prices per user, in whole millionths of a CNY, kept by meter() and unmeter(). */
export interface MeterTotalsTable {
  user_id: number;
  frozen_micro: number | string;
}

export interface BillingTables {
  meter_totals: MeterTotalsTable;
  meters: MetersTable;
  charges: ChargesTable;
}
