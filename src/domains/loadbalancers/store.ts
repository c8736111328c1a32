/** Every query of the load-balancer domain. */
import type { Db, Tx } from '../../store/db.ts';
import type { CertsTable, ListenersTable, LoadBalancersTable, LbStatus } from './tables.ts';

export type LbRow = Omit<LoadBalancersTable, 'id'> & { id: number };
export type ListenerRow = Omit<ListenersTable, 'id'> & { id: number };
export type CertRow = Omit<CertsTable, 'id'> & { id: number };
type Q = Db | Tx;

const lb = (row: LbRow): LbRow => ({ ...row, id: Number(row.id), bandwidth_limit: Number(row.bandwidth_limit) });
const listener = (row: ListenerRow): ListenerRow => ({ ...row, id: Number(row.id), lb_id: Number(row.lb_id), listen_port: Number(row.listen_port) });

async function count(q: Promise<{ n: string | number } | undefined>): Promise<number> {
  return Number((await q)?.n ?? 0);
}

// ---- load balancers

export async function findLb(q: Q, userId: number, namespace: string, name: string): Promise<LbRow | undefined> {
  const row = await q.selectFrom('nlb_loadbalancers').selectAll().where('user_id', '=', userId).where('namespace', '=', namespace)
    .where('name', '=', name).executeTakeFirst();
  return row && lb(row);
}

/** Newest first (ties: the later created first). */
export async function listLbs(q: Q, userId: number, namespace: string | undefined, limit: number, offset: number): Promise<LbRow[]> {
  let query = q.selectFrom('nlb_loadbalancers').selectAll().where('user_id', '=', userId);
  if (namespace !== undefined) query = query.where('namespace', '=', namespace);
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute();
  return rows.map(lb);
}

export function countLbs(q: Q, userId: number): Promise<number> {
  return count(q.selectFrom('nlb_loadbalancers').select((eb) => eb.fn.countAll<string | number>().as('n')).where('user_id', '=', userId).executeTakeFirst());
}

export async function insertLb(tx: Tx, row: Omit<LoadBalancersTable, 'id'>): Promise<LbRow> {
  return lb(await tx.insertInto('nlb_loadbalancers').values(row).returningAll().executeTakeFirstOrThrow());
}

export async function updateLb(tx: Tx, id: number, patch: Partial<Omit<LoadBalancersTable, 'id'>>): Promise<void> {
  await tx.updateTable('nlb_loadbalancers').set(patch).where('id', '=', id).execute();
}

/** Operator simulation: sets the state of the LB `name` in the namespace `namespace` (any user); false if none. */
export async function setLbState(db: Db, namespace: string, name: string, patch: Pick<LoadBalancersTable, 'status' | 'due_at' | 'updated_at'>): Promise<boolean> {
  const r = await db.updateTable('nlb_loadbalancers').set(patch).where('namespace', '=', namespace).where('name', '=', name).executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** LBs whose CREATING or DELETING phase has ended by `nowIso` (the caller's only, inside a request). */
export async function dueLbs(q: Q, nowIso: string, userId?: number): Promise<LbRow[]> {
  let query = q.selectFrom('nlb_loadbalancers').selectAll().where('due_at', 'is not', null).where('due_at', '<=', nowIso);
  if (userId !== undefined) query = query.where('user_id', '=', userId);
  return (await query.orderBy('due_at').limit(1000).execute()).map(lb);
}

/** Ends a phase: only if it is still the one observed (a concurrent settle changes nothing). */
export async function finishPhase(tx: Tx, row: LbRow, status: LbStatus): Promise<boolean> {
  const r = await tx.updateTable('nlb_loadbalancers').set({ status, due_at: null, updated_at: row.due_at! })
    .where('id', '=', row.id).where('due_at', '=', row.due_at!).executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function removeLb(tx: Tx, row: LbRow): Promise<boolean> {
  const r = await tx.deleteFrom('nlb_loadbalancers').where('id', '=', row.id).where('due_at', '=', row.due_at!).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

// ---- listeners

/** Oldest first. */
export async function listenersOf(q: Q, lbId: number): Promise<ListenerRow[]> {
  return (await q.selectFrom('nlb_listeners').selectAll().where('lb_id', '=', lbId).orderBy('created_at').orderBy('id').execute()).map(listener);
}

export async function listenersOfMany(q: Q, lbIds: number[]): Promise<ListenerRow[]> {
  if (lbIds.length === 0) return [];
  return (await q.selectFrom('nlb_listeners').selectAll().where('lb_id', 'in', lbIds).orderBy('created_at').orderBy('id').execute()).map(listener);
}

export async function findListener(q: Q, lbId: number, name: string): Promise<ListenerRow | undefined> {
  const row = await q.selectFrom('nlb_listeners').selectAll().where('lb_id', '=', lbId).where('name', '=', name).executeTakeFirst();
  return row && listener(row);
}

export async function insertListener(tx: Tx, row: Omit<ListenersTable, 'id'>): Promise<void> {
  await tx.insertInto('nlb_listeners').values(row).execute();
}

export async function updateListener(tx: Tx, id: number, patch: Partial<Omit<ListenersTable, 'id'>>): Promise<void> {
  await tx.updateTable('nlb_listeners').set(patch).where('id', '=', id).execute();
}

export async function deleteListener(tx: Tx, id: number): Promise<void> {
  await tx.deleteFrom('nlb_listeners').where('id', '=', id).execute();
}

/** Whether any listener of the user's LBs (any namespace, any status) uses the certificate. */
export async function certInUse(q: Q, userId: number, certId: string): Promise<boolean> {
  const rows = await q.selectFrom('nlb_listeners').innerJoin('nlb_loadbalancers', 'nlb_loadbalancers.id', 'nlb_listeners.lb_id')
    .select('nlb_listeners.cert_ids').where('nlb_loadbalancers.user_id', '=', userId).where('nlb_listeners.cert_ids', '!=', '[]').execute();
  return rows.some((r) => (JSON.parse(r.cert_ids) as string[]).includes(certId));
}

// ---- certificates

/** Oldest first. */
export function listCerts(q: Q, userId: number): Promise<CertRow[]> {
  return q.selectFrom('nlb_certs').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
}

export function findCert(q: Q, userId: number, certId: string): Promise<CertRow | undefined> {
  return q.selectFrom('nlb_certs').selectAll().where('user_id', '=', userId).where('cert_id', '=', certId.toLowerCase()).executeTakeFirst();
}

export async function existingCertIds(q: Q, userId: number, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await q.selectFrom('nlb_certs').select('cert_id').where('user_id', '=', userId).where('cert_id', 'in', ids).execute();
  return new Set(rows.map((r) => r.cert_id));
}

export async function certNameTaken(q: Q, userId: number, name: string, exceptId?: number): Promise<boolean> {
  let query = q.selectFrom('nlb_certs').select('id').where('user_id', '=', userId).where('name', '=', name);
  if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export function countCerts(q: Q, userId: number): Promise<number> {
  return count(q.selectFrom('nlb_certs').select((eb) => eb.fn.countAll<string | number>().as('n')).where('user_id', '=', userId).executeTakeFirst());
}

export async function insertCert(tx: Tx, row: Omit<CertsTable, 'id'>): Promise<void> {
  await tx.insertInto('nlb_certs').values(row).execute();
}

export async function updateCert(tx: Tx, id: number, patch: Partial<Omit<CertsTable, 'id'>>): Promise<void> {
  await tx.updateTable('nlb_certs').set(patch).where('id', '=', id).execute();
}

export async function deleteCert(tx: Tx, id: number): Promise<void> {
  await tx.deleteFrom('nlb_certs').where('id', '=', id).execute();
}
