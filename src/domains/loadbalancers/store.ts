/** Every query of the load-balancer domain. */
import type { Services } from '../../services.ts';
import type { Db, Tx } from '../../store/db.ts';
import type { CertsTable, ListenersTable, LoadBalancersTable, LbStatus } from '../../store/tables/loadbalancers.ts';

export type LbRow = Omit<LoadBalancersTable, 'id'> & { id: number };
export type ListenerRow = Omit<ListenersTable, 'id'> & { id: number };
export type CertRow = Omit<CertsTable, 'id'> & { id: number };

const lb = (row: LbRow): LbRow => ({ ...row, id: Number(row.id), bandwidth_limit: Number(row.bandwidth_limit) });
const listener = (row: ListenerRow): ListenerRow => ({ ...row, id: Number(row.id), lb_id: Number(row.lb_id), listen_port: Number(row.listen_port) });

async function count(q: Promise<{ n: string | number } | undefined>): Promise<number> {
  return Number((await q)?.n ?? 0);
}

/** The load-balancer tables. Pass a transaction with `.with(tx)` to run the same operations inside it. */
export class LoadBalancerStore {
  constructor(private readonly db: Db | Tx) {}

  /** The same operations inside a transaction. */
  with(tx: Tx): LoadBalancerStore {
    return new LoadBalancerStore(tx);
  }

  // load balancers

  async findLb(userId: number, namespace: string, name: string): Promise<LbRow | undefined> {
    const row = await this.db.selectFrom('nlb_loadbalancers').selectAll().where('user_id', '=', userId).where('namespace', '=', namespace)
      .where('name', '=', name).executeTakeFirst();
    return row && lb(row);
  }

  /** Newest first (ties: the later created first). */
  async listLbs(userId: number, namespace: string | undefined, limit: number, offset: number): Promise<LbRow[]> {
    let query = this.db.selectFrom('nlb_loadbalancers').selectAll().where('user_id', '=', userId);
    if (namespace !== undefined) query = query.where('namespace', '=', namespace);
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute();
    return rows.map(lb);
  }

  countLbs(userId: number): Promise<number> {
    return count(this.db.selectFrom('nlb_loadbalancers').select((eb) => eb.fn.countAll<string | number>().as('n')).where('user_id', '=', userId).executeTakeFirst());
  }

  async insertLb(row: Omit<LoadBalancersTable, 'id'>): Promise<LbRow> {
    return lb(await this.db.insertInto('nlb_loadbalancers').values(row).returningAll().executeTakeFirstOrThrow());
  }

  async updateLb(id: number, patch: Partial<Omit<LoadBalancersTable, 'id'>>): Promise<void> {
    await this.db.updateTable('nlb_loadbalancers').set(patch).where('id', '=', id).execute();
  }

  /** System names of the user's namespaces that hold LBs. */
  async namespacesInUse(userId: number): Promise<Set<string>> {
    const rows = await this.db.selectFrom('nlb_loadbalancers').select('namespace').distinct().where('user_id', '=', userId).execute();
    return new Set(rows.map((r) => r.namespace));
  }

  /** Operator simulation: sets the state of the LB `name` in the namespace `namespace` (any user); false if none. */
  async setLbState(namespace: string, name: string, patch: Pick<LoadBalancersTable, 'status' | 'due_at' | 'updated_at'>): Promise<boolean> {
    const r = await this.db.updateTable('nlb_loadbalancers').set(patch).where('namespace', '=', namespace).where('name', '=', name).executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  /** LBs whose CREATING or DELETING phase has ended by `nowIso` (the caller's only, inside a request). */
  async dueLbs(nowIso: string, userId?: number): Promise<LbRow[]> {
    let query = this.db.selectFrom('nlb_loadbalancers').selectAll().where('due_at', 'is not', null).where('due_at', '<=', nowIso);
    if (userId !== undefined) query = query.where('user_id', '=', userId);
    return (await query.orderBy('due_at').limit(1000).execute()).map(lb);
  }

  /** Ends a phase: only if it is still the one observed (a concurrent settle changes nothing). */
  async finishPhase(row: LbRow, status: LbStatus): Promise<boolean> {
    const r = await this.db.updateTable('nlb_loadbalancers').set({ status, due_at: null, updated_at: row.due_at! })
      .where('id', '=', row.id).where('due_at', '=', row.due_at!).executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  async removeLb(row: LbRow): Promise<boolean> {
    const r = await this.db.deleteFrom('nlb_loadbalancers').where('id', '=', row.id).where('due_at', '=', row.due_at!).executeTakeFirst();
    return r.numDeletedRows > 0n;
  }

  // listeners

  /** Oldest first. */
  async listenersOf(lbId: number): Promise<ListenerRow[]> {
    return (await this.db.selectFrom('nlb_listeners').selectAll().where('lb_id', '=', lbId).orderBy('created_at').orderBy('id').execute()).map(listener);
  }

  async listenersOfMany(lbIds: number[]): Promise<ListenerRow[]> {
    if (lbIds.length === 0) return [];
    return (await this.db.selectFrom('nlb_listeners').selectAll().where('lb_id', 'in', lbIds).orderBy('created_at').orderBy('id').execute()).map(listener);
  }

  async findListener(lbId: number, name: string): Promise<ListenerRow | undefined> {
    const row = await this.db.selectFrom('nlb_listeners').selectAll().where('lb_id', '=', lbId).where('name', '=', name).executeTakeFirst();
    return row && listener(row);
  }

  async insertListener(row: Omit<ListenersTable, 'id'>): Promise<void> {
    await this.db.insertInto('nlb_listeners').values(row).execute();
  }

  async updateListener(id: number, patch: Partial<Omit<ListenersTable, 'id'>>): Promise<void> {
    await this.db.updateTable('nlb_listeners').set(patch).where('id', '=', id).execute();
  }

  async deleteListener(id: number): Promise<void> {
    await this.db.deleteFrom('nlb_listeners').where('id', '=', id).execute();
  }

  /** Whether any listener of the user's LBs (any namespace, any status) uses the certificate. */
  async certInUse(userId: number, certId: string): Promise<boolean> {
    const rows = await this.db.selectFrom('nlb_listeners').innerJoin('nlb_loadbalancers', 'nlb_loadbalancers.id', 'nlb_listeners.lb_id')
      .select('nlb_listeners.cert_ids').where('nlb_loadbalancers.user_id', '=', userId).where('nlb_listeners.cert_ids', '!=', '[]').execute();
    return rows.some((r) => (JSON.parse(r.cert_ids) as string[]).includes(certId));
  }

  // certificates

  /** Oldest first. */
  listCerts(userId: number): Promise<CertRow[]> {
    return this.db.selectFrom('nlb_certs').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
  }

  findCert(userId: number, certId: string): Promise<CertRow | undefined> {
    return this.db.selectFrom('nlb_certs').selectAll().where('user_id', '=', userId).where('cert_id', '=', certId.toLowerCase()).executeTakeFirst();
  }

  async existingCertIds(userId: number, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db.selectFrom('nlb_certs').select('cert_id').where('user_id', '=', userId).where('cert_id', 'in', ids).execute();
    return new Set(rows.map((r) => r.cert_id));
  }

  async certNameTaken(userId: number, name: string, exceptId?: number): Promise<boolean> {
    let query = this.db.selectFrom('nlb_certs').select('id').where('user_id', '=', userId).where('name', '=', name);
    if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
    return (await query.executeTakeFirst()) !== undefined;
  }

  countCerts(userId: number): Promise<number> {
    return count(this.db.selectFrom('nlb_certs').select((eb) => eb.fn.countAll<string | number>().as('n')).where('user_id', '=', userId).executeTakeFirst());
  }

  async insertCert(row: Omit<CertsTable, 'id'>): Promise<void> {
    await this.db.insertInto('nlb_certs').values(row).execute();
  }

  async updateCert(id: number, patch: Partial<Omit<CertsTable, 'id'>>): Promise<void> {
    await this.db.updateTable('nlb_certs').set(patch).where('id', '=', id).execute();
  }

  async deleteCert(id: number): Promise<void> {
    await this.db.deleteFrom('nlb_certs').where('id', '=', id).execute();
  }
}

/** The server's load-balancer store, inside `tx` when given. */
export function lbStore(services: Services, tx?: Tx): LoadBalancerStore {
  const store = new LoadBalancerStore(services.store.db);
  return tx ? store.with(tx) : store;
}
