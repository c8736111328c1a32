/**
 * Pay-as-you-go billing on the server clock (docs/billing.md). A running resource has a meter; an hour
 * of a meter is charged as soon as it starts (the first at `meter()`, the next at each hour boundary,
 * written by the `billing` due task). Each charge is one row of `charges`, written in the same
 * transaction that lowers the user's balance, so the cost a resource reports is the sum of what was
 * really charged.
 */
import { ApiError, type ErrorName } from '../../catalog/index.ts';
import type { Billing } from '../contracts.ts';
import { formatIso, type Clock } from '../../clock.ts';
import { lockUser, type Db, type Dialect, type Store, type Tx } from '../../store/db.ts';
import type { MetersTable } from '../../store/tables/billing.ts';
import { MIN_BALANCE_FOR_PURCHASE, roundCny } from './prices.ts';

const HOUR_MS = 3_600_000;

type MeterRow = Omit<MetersTable, 'id'> & { id: number };

/** Billing's store and the `Billing` contract other domains use (contracts.ts). */
export class Ledger implements Billing {
  private readonly db: Db;
  private readonly dialect: Dialect;

  constructor(store: Store, private readonly clock: Clock) {
    this.db = store.db;
    this.dialect = store.dialect;
  }

  /** Charges every hour of `meter` that has started by `now` and is not charged yet. */
  private async catchUp(tx: Tx, meter: MeterRow, now: Date): Promise<void> {
    const anchor = Date.parse(meter.anchor_at);
    const started = Math.floor((now.getTime() - anchor) / HOUR_MS) + 1;
    const hours = started - meter.charged_hours;
    if (hours <= 0) return;
    const amount = roundCny(hours * meter.hourly_price);
    const periodEnd = formatIso(new Date(anchor + started * HOUR_MS));
    await tx.insertInto('charges').values({
      user_id: meter.user_id, kind: meter.kind, resource_id: meter.resource_id, amount, hours,
      hourly_price: meter.hourly_price, period_start: meter.next_charge_at, period_end: periodEnd, created_at: formatIso(now),
    }).execute();
    await tx.updateTable('meters').set({ charged_hours: started, next_charge_at: periodEnd }).where('id', '=', meter.id).execute();
    const user = await tx.selectFrom('users').select('balance').where('id', '=', meter.user_id).executeTakeFirstOrThrow();
    await tx.updateTable('users').set({ balance: roundCny(user.balance - amount) }).where('id', '=', meter.user_id).execute();
    meter.charged_hours = started;
    meter.next_charge_at = periodEnd;
  }

  private findMeter(tx: Tx, userId: number, kind: string, resourceId: string): Promise<MeterRow | undefined> {
    return tx.selectFrom('meters').selectAll().where('user_id', '=', userId).where('kind', '=', kind)
      .where('resource_id', '=', resourceId).executeTakeFirst();
  }

  /** Accrual (the `billing` due task): every meter whose next hour has started gets its charge, one transaction per meter. */
  async accrue(now: Date): Promise<void> {
    const { db, dialect } = this;
    const due = await db.selectFrom('meters').select(['id', 'user_id']).where('active', '=', 1)
      .where('next_charge_at', '<=', formatIso(now)).orderBy('id').execute();
    for (const { id, user_id } of due) {
      await db.transaction().execute(async (tx) => {
        await lockUser(tx, dialect, user_id);
        const meter = await tx.selectFrom('meters').selectAll().where('id', '=', id).where('active', '=', 1).executeTakeFirst();
        if (meter) await this.catchUp(tx, meter, now);
      });
    }
  }

  async balance(userId: number, tx?: Tx) {
    const row = await (tx ?? this.db).selectFrom('users').select('balance').where('id', '=', userId).executeTakeFirst();
    return row?.balance ?? 0;
  }

  async requireBalance(tx: Tx, userId: number, code: ErrorName) {
    const row = await tx.selectFrom('users').select('balance').where('id', '=', userId).executeTakeFirst();
    if (!row || row.balance < MIN_BALANCE_FOR_PURCHASE) throw new ApiError(code);
  }

  async frozen(userId: number, tx?: Tx) {
    const row = await (tx ?? this.db).selectFrom('meters').select((eb) => eb.fn.sum<number | string | null>('hourly_price').as('total'))
      .where('user_id', '=', userId).where('active', '=', 1).executeTakeFirst();
    return roundCny(Number(row?.total ?? 0));
  }

  async meter(tx: Tx, userId: number, kind: string, resourceId: string, hourlyPrice: number, at?: Date) {
    await lockUser(tx, this.dialect, userId);
    const now = at ?? this.clock.now();
    const nowIso = formatIso(now);
    const price = roundCny(hourlyPrice);
    const existing = await this.findMeter(tx, userId, kind, resourceId);
    if (existing?.active === 1) {
      // A price change (resize): the hours already started stay charged at the old price; the next
      // hour that starts is charged at the new one.
      await this.catchUp(tx, existing, now);
      await tx.updateTable('meters').set({ hourly_price: price }).where('id', '=', existing.id).execute();
      return;
    }
    let meter: MeterRow;
    if (existing) {
      await tx.updateTable('meters').set({ hourly_price: price, anchor_at: nowIso, charged_hours: 0, next_charge_at: nowIso, active: 1 })
        .where('id', '=', existing.id).execute();
      meter = { ...existing, hourly_price: price, anchor_at: nowIso, charged_hours: 0, next_charge_at: nowIso, active: 1 };
    } else {
      const row = { user_id: userId, kind, resource_id: resourceId, hourly_price: price, since: nowIso, anchor_at: nowIso, charged_hours: 0, next_charge_at: nowIso, active: 1 };
      const { id } = await tx.insertInto('meters').values(row).returning('id').executeTakeFirstOrThrow();
      meter = { id, ...row };
    }
    await this.catchUp(tx, meter, now); // the first hour is charged when it starts: now
  }

  async unmeter(tx: Tx, userId: number, kind: string, resourceId: string) {
    await lockUser(tx, this.dialect, userId);
    const meter = await this.findMeter(tx, userId, kind, resourceId);
    if (!meter || meter.active !== 1) return;
    await this.catchUp(tx, meter, this.clock.now());
    await tx.updateTable('meters').set({ active: 0 }).where('id', '=', meter.id).execute();
  }

  async accrued(userId: number, kind: string, resourceId: string) {
    const { db } = this;
    const meter = await db.selectFrom('meters').select('since').where('user_id', '=', userId).where('kind', '=', kind)
      .where('resource_id', '=', resourceId).executeTakeFirst();
    if (!meter) return undefined;
    const row = await db.selectFrom('charges').select((eb) => eb.fn.sum<number | string | null>('amount').as('total'))
      .where('user_id', '=', userId).where('kind', '=', kind).where('resource_id', '=', resourceId).executeTakeFirst();
    return { amount: roundCny(Number(row?.total ?? 0)), since: meter.since };
  }

  async usersInArrears() {
    const rows = await this.db.selectFrom('users').select('id').where('balance', '<', 0).orderBy('id').execute();
    return rows.map((r) => r.id);
  }
}
