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
import { sql } from 'kysely';
import { lockUser, type Db, type Dialect, type Store, type Tx } from '../../store/db.ts';
import { insertMany, updateMany } from '../../store/batch.ts';
import { prepared, preparedInsert } from '../../store/prepared.ts';
import type { ChargesTable, MetersTable } from '../../store/tables/billing.ts';
import { MIN_BALANCE_FOR_PURCHASE, roundCny } from './prices.ts';

const HOUR_MS = 3_600_000;

type MeterRow = Omit<MetersTable, 'id'> & { id: number };
type ChargeRow = Omit<ChargesTable, 'id'>;

/** `meter_totals` counts whole millionths of a CNY (hourly prices are rounded to them), so its sums never drift. */
const MICRO = 1_000_000;

const frozenOf = prepared((db, userId: number) => db.selectFrom('meter_totals').select('frozen_micro').where('user_id', '=', userId));
const frozenMove = prepared((db, userId: number, micro: number) =>
  db.insertInto('meter_totals').values({ user_id: userId, frozen_micro: micro })
    .onConflict((oc) => oc.column('user_id').doUpdateSet((eb) => ({ frozen_micro: eb('meter_totals.frozen_micro', '+', micro) }))));
const balanceOf = prepared((db, userId: number) => db.selectFrom('users').select('balance').where('id', '=', userId));
const balanceSet = prepared((db, userId: number, balance: number) => db.updateTable('users').set({ balance }).where('id', '=', userId));

// A meter's own queries: every create, resize and delete of a metered resource runs them.
const meterOf = prepared((db, userId: number, kind: string, resourceId: string) =>
  db.selectFrom('meters').selectAll().where('user_id', '=', userId).where('kind', '=', kind).where('resource_id', '=', resourceId));
const insertMeter = preparedInsert('meters',
  ['user_id', 'kind', 'resource_id', 'hourly_price', 'since', 'anchor_at', 'charged_hours', 'next_charge_at', 'active'], { returning: ['id'] });
const meterPriceSet = prepared((db, id: number, price: number) => db.updateTable('meters').set({ hourly_price: price }).where('id', '=', id));
const meterRestart = prepared((db, id: number, price: number, nowIso: string) =>
  db.updateTable('meters').set({ hourly_price: price, anchor_at: nowIso, charged_hours: 0, next_charge_at: nowIso, active: 1 }).where('id', '=', id));
const meterCharged = prepared((db, id: number, chargedHours: number, nextChargeAt: string) =>
  db.updateTable('meters').set({ charged_hours: chargedHours, next_charge_at: nextChargeAt }).where('id', '=', id));
const meterStop = prepared((db, id: number) => db.updateTable('meters').set({ active: 0 }).where('id', '=', id));
const insertCharge = preparedInsert('charges',
  ['user_id', 'kind', 'resource_id', 'amount', 'hours', 'hourly_price', 'period_start', 'period_end', 'created_at']);

/** Moves a user's frozen total by `amount` CNY (the row is made on the first move). */
async function addFrozen(tx: Tx, userId: number, amount: number): Promise<void> {
  const micro = Math.round(amount * MICRO);
  if (micro !== 0) await frozenMove.all(tx, userId, micro);
}

/** What is owed on `meter` at `now`: every hour started and not charged yet, as one charge; none if nothing is. */
function chargeDue(meter: MeterRow, now: Date): { charge: ChargeRow; charged_hours: number; next_charge_at: string } | undefined {
  const anchor = Date.parse(meter.anchor_at);
  const started = Math.floor((now.getTime() - anchor) / HOUR_MS) + 1;
  const hours = started - meter.charged_hours;
  if (hours <= 0) return undefined;
  const periodEnd = formatIso(new Date(anchor + started * HOUR_MS));
  return {
    charge: {
      user_id: meter.user_id, kind: meter.kind, resource_id: meter.resource_id, amount: roundCny(hours * meter.hourly_price), hours,
      hourly_price: meter.hourly_price, period_start: meter.next_charge_at, period_end: periodEnd, created_at: formatIso(now),
    },
    charged_hours: started,
    next_charge_at: periodEnd,
  };
}

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
    const due = chargeDue(meter, now);
    if (!due) return;
    await insertCharge.run(tx, due.charge);
    await meterCharged.all(tx, meter.id, due.charged_hours, due.next_charge_at);
    const user = await balanceOf.first(tx, meter.user_id);
    if (!user) throw new Error(`catchUp: no user ${meter.user_id}`);
    await balanceSet.all(tx, meter.user_id, roundCny(user.balance - due.charge.amount));
    meter.charged_hours = due.charged_hours;
    meter.next_charge_at = due.next_charge_at;
  }

  private findMeter(tx: Tx, userId: number, kind: string, resourceId: string): Promise<MeterRow | undefined> {
    return meterOf.first(tx, userId, kind, resourceId);
  }

  /**
   * Accrual (the `billing` due task), set-wise: the same charges catchUp would write meter by meter, in id
   * order, from one read of the due meters and of their owners' balances and one write per kind (charges,
   * meters, balances), all in one transaction. On PostgreSQL the owners are locked first, as meter() and
   * unmeter() lock their user before touching a meter, and only their meters are charged.
   */
  async accrue(now: Date): Promise<void> {
    const { db, dialect } = this;
    const nowIso = formatIso(now);
    await db.transaction().execute(async (tx) => {
      const dueOwners = tx.selectFrom('meters').select('user_id').where('active', '=', 1).where('next_charge_at', '<=', nowIso);
      const owners = tx.selectFrom('users').select(['id', 'balance']).where('id', 'in', dueOwners).orderBy('id');
      const users = await (dialect === 'postgres' ? owners.forUpdate() : owners).execute();
      if (users.length === 0) return;
      let dueMeters = tx.selectFrom('meters').selectAll().where('active', '=', 1).where('next_charge_at', '<=', nowIso);
      if (dialect === 'postgres') dueMeters = dueMeters.where(sql<boolean>`user_id = any(${users.map((u) => u.id)})`);
      const balances = new Map(users.map((u) => [u.id, u.balance]));
      const charges: ChargeRow[] = [];
      const meters: Array<{ id: number; charged_hours: number; next_charge_at: string }> = [];
      for (const meter of await dueMeters.orderBy('id').execute()) {
        const due = chargeDue(meter, now);
        if (!due) continue;
        charges.push(due.charge);
        meters.push({ id: meter.id, charged_hours: due.charged_hours, next_charge_at: due.next_charge_at });
        balances.set(meter.user_id, roundCny(balances.get(meter.user_id)! - due.charge.amount));
      }
      await insertMany(tx, 'charges', charges);
      await updateMany(tx, 'meters', { charged_hours: 'integer', next_charge_at: 'text' }, meters);
      await updateMany(tx, 'users', { balance: 'double precision' }, users.map((u) => ({ id: u.id, balance: balances.get(u.id)! })));
    });
  }

  async balance(userId: number, tx?: Tx) {
    const row = await balanceOf.first(tx ?? this.db, userId);
    return row?.balance ?? 0;
  }

  async requireBalance(tx: Tx, userId: number, code: ErrorName) {
    const row = await balanceOf.first(tx, userId);
    if (!row || row.balance < MIN_BALANCE_FOR_PURCHASE) throw new ApiError(code);
  }

  /** One row, kept by meter() and unmeter() in the transaction that changes a meter. */
  async frozen(userId: number, tx?: Tx) {
    const row = await frozenOf.first(tx ?? this.db, userId);
    return Number(row?.frozen_micro ?? 0) / MICRO;
  }

  /** The same amount summed over the active meters themselves (what `meter_totals` must always equal). */
  async countedFrozen(userId: number, tx?: Tx) {
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
      await meterPriceSet.all(tx, existing.id, price);
      await addFrozen(tx, userId, price - existing.hourly_price);
      return;
    }
    let meter: MeterRow;
    if (existing) {
      await meterRestart.all(tx, existing.id, price, nowIso);
      meter = { ...existing, hourly_price: price, anchor_at: nowIso, charged_hours: 0, next_charge_at: nowIso, active: 1 };
    } else {
      const row = { user_id: userId, kind, resource_id: resourceId, hourly_price: price, since: nowIso, anchor_at: nowIso, charged_hours: 0, next_charge_at: nowIso, active: 1 };
      const [inserted] = await insertMeter.run(tx, row);
      meter = { id: inserted!.id, ...row };
    }
    await addFrozen(tx, userId, price);
    await this.catchUp(tx, meter, now); // the first hour is charged when it starts: now
  }

  async unmeter(tx: Tx, userId: number, kind: string, resourceId: string) {
    await lockUser(tx, this.dialect, userId);
    const meter = await this.findMeter(tx, userId, kind, resourceId);
    if (!meter || meter.active !== 1) return;
    await this.catchUp(tx, meter, this.clock.now());
    await meterStop.all(tx, meter.id);
    await addFrozen(tx, userId, -meter.hourly_price);
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
