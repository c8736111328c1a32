import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { ApiError } from '../../catalog/index.ts';
import type { Db, Dialect, Store, Tx } from '../../store/db.ts';
import { lowestFree, toDotted, toNumber, type Pool } from './pool.ts';
import { IP_TYPES, type Counts, type IpRow, type IpType } from './rules.ts';


/** Key of the PostgreSQL advisory lock that serializes address allocation across users ("IP" service 03). */
const POOL_LOCK = 7_300_303;

export interface ListFilter {
  status?: string;
  type?: string;
}

/** The IPs table and the address pool. Pass a transaction with `.with(tx)`. */
export class IpStore {
  constructor(private readonly db: Db | Tx, private readonly dialect: Dialect, private readonly pool: Pool) {}

  static of(store: Store, pool: Pool): IpStore {
    return new IpStore(store.db, store.dialect, pool);
  }

  /** The same operations inside a transaction. */
  with(tx: Tx): IpStore {
    return new IpStore(tx, this.dialect, this.pool);
  }

  /** Non-released IPs of the user, per type (every status counts against the quota). */
  async counts(userId: number): Promise<Counts> {
    const rows = await this.db.selectFrom('ips').select(['type', (eb) => eb.fn.countAll<string | number>().as('n')])
      .where('user_id', '=', userId).groupBy('type').execute();
    const out: Counts = { nce: 0, nlb: 0 };
    for (const r of rows) if ((IP_TYPES as readonly string[]).includes(r.type)) out[r.type as IpType] = Number(r.n);
    return out;
  }

  /** The user's IP by public id (already normalized). */
  find(userId: number, ipId: string): Promise<IpRow | undefined> {
    return this.db.selectFrom('ips').selectAll().where('user_id', '=', userId).where('ip_id', '=', ipId).executeTakeFirst();
  }

  /** The user's IP by its dotted-quad address (load balancers name their IP by `address`). */
  findByAddress(userId: number, address: string): Promise<IpRow | undefined> {
    return this.db.selectFrom('ips').selectAll().where('user_id', '=', userId).where('ip', '=', address).executeTakeFirst();
  }

  async list(userId: number, filter: ListFilter, offset: number, limit: number): Promise<{ total: number; rows: IpRow[] }> {
    let q = this.db.selectFrom('ips').where('user_id', '=', userId);
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.type) q = q.where('type', '=', filter.type);
    const { total } = await q.select((eb) => eb.fn.countAll<string | number>().as('total')).executeTakeFirstOrThrow();
    const rows = await q.selectAll().orderBy('create_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute();
    return { total: Number(total), rows };
  }

  /**
   * Allocates `counts` IPs for the user in status `available`: the `nlb` IPs first, then the `nce` IPs,
   * each from the lowest free addresses. Throws IP_NOT_ENOUGH when the pool has fewer free addresses.
   * Runs inside the caller's transaction (`.with(tx)`: all or nothing).
   */
  async allocate(userId: number, counts: Counts, now: string): Promise<IpRow[]> {
    // Two users allocating at once would pick the same lowest addresses: one allocator at a time.
    if (this.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${POOL_LOCK})`.execute(this.db);
    const used = await this.db.selectFrom('ips').select('ip').execute();
    const total = counts.nlb + counts.nce;
    const free = lowestFree(this.pool, used.map((r) => toNumber(r.ip) ?? -1), total);
    if (!free) throw new ApiError('IP_NOT_ENOUGH');
    const out: IpRow[] = [];
    const order: IpType[] = ['nlb', 'nce'];
    let next = 0;
    for (const type of order) {
      for (let i = 0; i < counts[type]; i++) {
        // nce ids are UUIDs; nlb ids are the allocation counter, known only after the insert.
        const provisional = type === 'nce' ? randomUUID() : `#pending:${randomUUID()}`;
        const row = await this.db.insertInto('ips').values({
          ip_id: provisional, user_id: userId, type, ip: toDotted(free[next++]!), status: 'available',
          service_type: '', service_id: '', service_name: '', bind_due_at: null, create_at: now, update_at: now,
        }).returningAll().executeTakeFirstOrThrow();
        if (type === 'nlb') {
          row.ip_id = String(row.id);
          await this.db.updateTable('ips').set({ ip_id: row.ip_id }).where('id', '=', row.id).execute();
        }
        out.push(row);
      }
    }
    return out;
  }

  async remove(rowId: number): Promise<void> {
    await this.db.deleteFrom('ips').where('id', '=', rowId).execute();
  }

  /** Records a binding to a consumer, or its end (`service_*` empty). */
  async setBinding(rowId: number, values: { status: string; bind_due_at: string | null; service_type: string; service_id: string; service_name: string; update_at: string }): Promise<void> {
    await this.db.updateTable('ips').set(values).where('id', '=', rowId).execute();
  }

  /** `binding` IPs whose delay has passed become `binded` (the load balancer is WORKING by then). */
  async settleBindings(now: string): Promise<void> {
    await this.db.updateTable('ips').set((eb) => ({ status: 'binded', update_at: eb.ref('bind_due_at').$castTo<string>(), bind_due_at: null }))
      .where('status', '=', 'binding').where('bind_due_at', '<=', now).execute();
  }
}
