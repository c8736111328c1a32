import { sql } from 'kysely';
import type { Db, Dialect, Store, Tx } from '../../store/db.ts';
import type { Pod } from '../../runtime/runtime.ts';
import type { MicroservicesTable, MsContainersTable, MsNamespacesTable } from './tables.ts';

export type ServiceRow = MicroservicesTable;
export type ContainerRow = MsContainersTable;
export type NamespaceRow = MsNamespacesTable & { service_count: number };

type Q = Db | Tx;

/** Takes `n` ids from the one sequence shared by namespaces, services and container definitions (§2.1). */
export async function allocateIds(q: Q, dialect: Dialect, n: number): Promise<number[]> {
  if (n === 0) return [];
  if (dialect === 'postgres') {
    const { rows } = await sql<{ id: number }>`select nextval(pg_get_serial_sequence('ms_ids', 'id'))::int as id from generate_series(1, ${n})`.execute(q);
    return rows.map((r) => Number(r.id));
  }
  const ids: number[] = [];
  for (let i = 0; i < n; i += 500) {
    const rows = await q.insertInto('ms_ids').values(Array.from({ length: Math.min(500, n - i) }, () => ({ id: null as unknown as number })))
      .returning('id').execute();
    ids.push(...rows.map((r) => Number(r.id)));
  }
  await q.deleteFrom('ms_ids').execute(); // AUTOINCREMENT keeps its high-water mark in sqlite_sequence
  return ids;
}

export function podsOf(q: Q, serviceId: number): Promise<Array<{ id: number; name: string; lan_ip: string; docker_ids: string; ordinal: number }>> {
  return q.selectFrom('ms_pods').select(['id', 'name', 'lan_ip', 'docker_ids', 'ordinal']).where('service_id', '=', serviceId).orderBy('ordinal').execute();
}

export function containersOf(q: Q, serviceId: number): Promise<ContainerRow[]> {
  return q.selectFrom('ms_containers').selectAll().where('service_id', '=', serviceId).orderBy('position').execute();
}

/**
 * Replaces the recorded pods of a service (and the runtime-container index used by single-container restart).
 * New pods started at `startedAt` (when the operation finished); a pod that stays keeps its own start.
 */
export async function replacePods(tx: Tx, userId: number, serviceId: number, pods: Pod[], startedAt: string): Promise<void> {
  const previous = await tx.selectFrom('ms_pods').select(['name', 'started_at']).where('service_id', '=', serviceId).execute();
  const startOf = new Map(previous.map((p) => [p.name, p.started_at]));
  await tx.deleteFrom('ms_runtime_containers').where('service_id', '=', serviceId).execute();
  await tx.deleteFrom('ms_pods').where('service_id', '=', serviceId).execute();
  let ordinal = 0;
  for (const pod of pods) {
    const row = await tx.insertInto('ms_pods').values({
      service_id: serviceId, ordinal: ordinal++, name: pod.name, lan_ip: pod.lanIp, docker_ids: JSON.stringify(pod.dockerIds),
      started_at: startOf.get(pod.name) ?? startedAt,
    }).returning('id').executeTakeFirstOrThrow();
    if (pod.dockerIds.length) {
      await tx.insertInto('ms_runtime_containers').values(pod.dockerIds.map((docker_id) => ({ docker_id, user_id: userId, service_id: serviceId, pod_id: Number(row.id) }))).execute();
    }
  }
}

export async function namespaceById(q: Q, userId: number, id: number): Promise<NamespaceRow | undefined> {
  const row = await q.selectFrom('ms_namespaces').selectAll().where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
  return row && { ...row, id: Number(row.id), service_count: Number(row.service_count) };
}

export async function serviceById(q: Q, userId: number, id: number): Promise<ServiceRow | undefined> {
  const row = await q.selectFrom('microservices').selectAll().where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
  return row && { ...row, id: Number(row.id), namespace_id: Number(row.namespace_id) };
}

/** Totals over a user's services for the quotas of §2.9. */
export async function usage(q: Q, userId: number): Promise<{ services: number; replicas: number; containers: number }> {
  const r = await q.selectFrom('microservices')
    .select((eb) => [
      eb.fn.countAll<string | number>().as('services'),
      eb.fn.coalesce(eb.fn.sum<string | number>('replicas'), sql<number>`0`).as('replicas'),
      eb.fn.coalesce(eb.fn.sum<string | number>(sql`replicas * container_count`), sql<number>`0`).as('containers'),
    ])
    .where('user_id', '=', userId).executeTakeFirstOrThrow();
  return { services: Number(r.services), replicas: Number(r.replicas), containers: Number(r.containers) };
}

export interface SeedOptions {
  userId: number;
  namespaceId: number;
  count: number;
  /** Rows per INSERT statement and transaction (default 1000). */
  batchSize?: number;
  /** Name prefix; services are named `<prefix><n>` (default `svc-`). */
  prefix?: string;
  /** ISO time for created_at/updated_at (default: now). */
  now?: string;
}

/**
 * Bulk-inserts `count` settled (`create_succ`) stateless services with one container each into one
 * namespace, straight through the store, in batches — for seeding benchmarks (100 000 rows in seconds).
 * The services have no pods recorded; list and quota queries see them like any other service.
 */
export async function seedServices(store: Store, opts: SeedOptions): Promise<number[]> {
  const { db, dialect } = store;
  const batch = opts.batchSize ?? 1000;
  const prefix = opts.prefix ?? 'svc-';
  const now = opts.now ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const all: number[] = [];
  for (let start = 0; start < opts.count; start += batch) {
    const n = Math.min(batch, opts.count - start);
    await db.transaction().execute(async (tx) => {
      const ids = await allocateIds(tx, dialect, n * 2);
      const serviceIds = ids.slice(0, n);
      await tx.insertInto('microservices').values(serviceIds.map((id, i) => ({
        id, user_id: opts.userId, namespace_id: opts.namespaceId, service_name: `${prefix}${start + i}`, stateful: 0, replicas: 1,
        container_count: 1, status: 'create_succ', spec_alias: 'C1M1S20', port_maps: '[]',
        public_net: JSON.stringify({ used: false, type: 'flow', bandwidth: 0 }), ip_id: null, disk_type: 2, bill_info: 'default',
        stop_service: 0, operation: null, due_at: null, created_at: now, updated_at: now,
      }))).execute();
      await tx.insertInto('ms_containers').values(serviceIds.map((service_id, i) => ({
        id: ids[n + i]!, service_id, position: 0, container_name: 'main', container_desc: null, image_path: 'hub.c.163.com/public/nginx:1.10',
        command: null, envs: '[]', log_dirs: '[]', cpu_weight: 100, memory_weight: 100, ssh_keys: '[]', volumes: '[]',
      }))).execute();
      await tx.updateTable('ms_namespaces').set((eb) => ({ service_count: eb('service_count', '+', n) })).where('id', '=', opts.namespaceId).execute();
      all.push(...serviceIds);
    });
  }
  // Fresh statistics (and, on PostgreSQL, a visibility map for index-only scans) after a bulk load.
  await sql.raw(dialect === 'postgres' ? 'vacuum analyze microservices' : 'analyze microservices').execute(db);
  return all;
}
