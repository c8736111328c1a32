import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { ApiError } from '../../catalog/index.ts';
import type { Dialect, Store, Tx } from '../../store/db.ts';
import type { Database } from '../../store/tables.ts';
import { lowestFree, toDotted, toNumber, type Pool } from './pool.ts';
import { IP_TYPES, type Counts, type IpRow, type IpType } from './rules.ts';

/** A plain connection or a transaction: reads run inside the caller's transaction when there is one. */
type Exec = Kysely<Database>;

/** Key of the PostgreSQL advisory lock that serializes address allocation across users ("IP" service 03). */
const POOL_LOCK = 7_300_303;

export interface ListFilter {
  status?: string;
  type?: string;
}

export class IpStore {
  constructor(private readonly dialect: Dialect, private readonly pool: Pool) {}

  static of(store: Store, pool: Pool): IpStore {
    return new IpStore(store.dialect, pool);
  }

  /** Non-released IPs of the user, per type (every status counts against the quota). */
  async counts(exec: Exec, userId: number): Promise<Counts> {
    const rows = await exec.selectFrom('ips').select(['type', (eb) => eb.fn.countAll<string | number>().as('n')])
      .where('user_id', '=', userId).groupBy('type').execute();
    const out: Counts = { nce: 0, nlb: 0 };
    for (const r of rows) if ((IP_TYPES as readonly string[]).includes(r.type)) out[r.type as IpType] = Number(r.n);
    return out;
  }

  /** The user's IP by public id (already normalized). */
  find(exec: Exec, userId: number, ipId: string): Promise<IpRow | undefined> {
    return exec.selectFrom('ips').selectAll().where('user_id', '=', userId).where('ip_id', '=', ipId).executeTakeFirst();
  }

  /** The user's IP by its dotted-quad address (load balancers name their IP by `address`). */
  findByAddress(exec: Exec, userId: number, address: string): Promise<IpRow | undefined> {
    return exec.selectFrom('ips').selectAll().where('user_id', '=', userId).where('ip', '=', address).executeTakeFirst();
  }

  async list(exec: Exec, userId: number, filter: ListFilter, offset: number, limit: number): Promise<{ total: number; rows: IpRow[] }> {
    let q = exec.selectFrom('ips').where('user_id', '=', userId);
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.type) q = q.where('type', '=', filter.type);
    const { total } = await q.select((eb) => eb.fn.countAll<string | number>().as('total')).executeTakeFirstOrThrow();
    const rows = await q.selectAll().orderBy('create_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute();
    return { total: Number(total), rows };
  }

  /**
   * Allocates `counts` IPs for the user in status `available`: the `nlb` IPs first, then the `nce` IPs,
   * each from the lowest free addresses. Throws IP_NOT_ENOUGH when the pool has fewer free addresses.
   * Runs inside the caller's transaction (all or nothing).
   */
  async allocate(tx: Tx, userId: number, counts: Counts, now: string): Promise<IpRow[]> {
    // Two users allocating at once would pick the same lowest addresses: one allocator at a time.
    if (this.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${POOL_LOCK})`.execute(tx);
    const used = await tx.selectFrom('ips').select('ip').execute();
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
        const row = await tx.insertInto('ips').values({
          ip_id: provisional, user_id: userId, type, ip: toDotted(free[next++]!), status: 'available',
          service_type: '', service_id: '', service_name: '', bind_due_at: null, create_at: now, update_at: now,
        }).returningAll().executeTakeFirstOrThrow();
        if (type === 'nlb') {
          row.ip_id = String(row.id);
          await tx.updateTable('ips').set({ ip_id: row.ip_id }).where('id', '=', row.id).execute();
        }
        out.push(row);
      }
    }
    return out;
  }

  async remove(tx: Tx, rowId: number): Promise<void> {
    await tx.deleteFrom('ips').where('id', '=', rowId).execute();
  }

  /** `binding` IPs whose delay has passed become `binded` (the load balancer is WORKING by then). */
  async settleBindings(exec: Exec, now: string): Promise<void> {
    await exec.updateTable('ips').set((eb) => ({ status: 'binded', update_at: eb.ref('bind_due_at').$castTo<string>(), bind_due_at: null }))
      .where('status', '=', 'binding').where('bind_due_at', '<=', now).execute();
  }
}
