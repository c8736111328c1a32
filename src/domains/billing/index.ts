/** Billing (docs/billing.md): no routes of its own; meters and balances for the paid domains, accrual on the clock. */
import type { Module } from '../../module.ts';
import type { Services } from '../../services.ts';
import { Ledger } from './ledger.ts';

export function billingModule({ store, clock }: Services): Module {
  const ledger = new Ledger(store, clock);
  return {
    name: 'billing',
    routes: [],
    dueTasks: [{ name: 'billing', run: (now) => ledger.accrue(now) }],
    provides: { billing: ledger },
  };
}
