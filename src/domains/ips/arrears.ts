import type { Billing } from '../contracts.ts';
import type { Store } from '../../store/db.ts';
import { formatIso } from '../../clock.ts';
import { chunked, insertMany } from '../../store/batch.ts';

/** volumes-and-ips.md, IP status table: `disabled` after one day of arrears, cleared when paid. */
export const ARREARS_GRACE_MS = 86_400_000;

/**
 * Watches accounts in arrears (balance below zero, as billing reports it). The grace period starts at
 * the first clock tick that sees the arrears; once it has passed, every IP of the account becomes
 * `disabled` (a bound IP keeps its binding). When the balance is no longer negative, the IPs return to
 * the state their binding implies.
 */
export class ArrearsWatch {
  constructor(private readonly store: Store, private readonly billing: Billing) {}

  /** Set-wise: one statement per kind of change (watch, disable, restore, forget), in one transaction. */
  async run(now: Date): Promise<void> {
    const { db } = this.store;
    const nowIso = formatIso(now);
    const inArrears = new Set(await this.billing.usersInArrears());
    await db.transaction().execute(async (tx) => {
      const watched = await tx.selectFrom('ip_arrears').selectAll().execute();
      const known = new Set(watched.map((w) => w.user_id));
      await insertMany(tx, 'ip_arrears', [...inArrears].filter((id) => !known.has(id)).map((id) => ({ user_id: id, since: nowIso, disabled: 0 })));
      const paid = watched.filter((w) => !inArrears.has(w.user_id));
      const overdue = watched.filter((w) => inArrears.has(w.user_id) && !w.disabled && Date.parse(w.since) + ARREARS_GRACE_MS <= now.getTime()).map((w) => w.user_id);
      // Back to what the binding says: a pending load-balancer bind, a bound IP, or a free one.
      for (const users of chunked(paid.filter((w) => w.disabled).map((w) => w.user_id))) {
        await tx.updateTable('ips').set((eb) => ({
          status: eb.case()
            .when('bind_due_at', '>', nowIso).then('binding')
            .when('service_id', '!=', '').then('binded')
            .else('available').end(),
          bind_due_at: eb.case().when('bind_due_at', '>', nowIso).then(eb.ref('bind_due_at')).else(null).end(),
          update_at: nowIso,
        })).where('user_id', 'in', users).where('status', '=', 'disabled').execute();
      }
      for (const users of chunked(paid.map((w) => w.user_id))) await tx.deleteFrom('ip_arrears').where('user_id', 'in', users).execute();
      for (const users of chunked(overdue)) {
        await tx.updateTable('ips').set({ status: 'disabled', update_at: nowIso }).where('user_id', 'in', users).execute();
        await tx.updateTable('ip_arrears').set({ disabled: 1 }).where('user_id', 'in', users).execute();
      }
    });
  }
}
