import { sql } from 'kysely';
import type { Db, Dialect, Store, Tx } from '../../store/db.ts';
import { prepared, preparedInsert } from '../../store/prepared.ts';
import { numericColumns } from '../../store/transaction.ts';
import type { Pod } from '../../runtime/runtime.ts';
import type { ContainerRef } from '../contracts.ts';
import type { MicroservicesTable, MsContainersTable, MsNamespacesTable } from '../../store/tables/microservices.ts';

export type ServiceRow = MicroservicesTable;
export type ContainerRow = MsContainersTable;
export type NamespaceRow = MsNamespacesTable & { service_count: number };
/** The columns a list item shows, and the due time that says whether it must be settled first. */
export type ListedService = Pick<ServiceRow, 'id' | 'service_name' | 'status' | 'replicas' | 'stateful' | 'port_maps' | 'spec_alias' | 'stop_service' | 'due_at'>;

type Q = Db | Tx;

// The queries of the list endpoint, compiled once (src/store/prepared.ts).
const namespaceById = prepared((db, userId: number, id: number) =>
  db.selectFrom('ms_namespaces').selectAll().where('user_id', '=', userId).where('id', '=', id));
// The page's ids come from the (namespace_id, id) index alone, so a deep offset never reads skipped rows;
// only the listed columns are read (better-sqlite3's cost grows with the columns of each row).
const listPage = prepared((db, namespaceId: number, limit: number, offset: number) =>
  db.selectFrom('microservices')
    .select(['id', 'service_name', 'status', 'replicas', 'stateful', 'port_maps', 'spec_alias', 'stop_service', 'due_at'])
    .where('id', 'in', db.selectFrom('microservices').select('id').where('namespace_id', '=', namespaceId).orderBy('id', 'desc').limit(limit).offset(offset))
    .orderBy('id', 'desc'));

const usageOf = prepared((db, userId: number) =>
  db.selectFrom('ms_usage').select(['services', 'replicas', 'containers']).where('user_id', '=', userId));

const usageMove = prepared((db, userId: number, services: number, replicas: number, containers: number) =>
  db.insertInto('ms_usage').values({ user_id: userId, services, replicas, containers })
    .onConflict((oc) => oc.column('user_id').doUpdateSet((eb) => ({
      services: eb('ms_usage.services', '+', services), replicas: eb('ms_usage.replicas', '+', replicas), containers: eb('ms_usage.containers', '+', containers),
    }))));
const nameTaken = prepared((db, namespaceId: number, name: string) =>
  db.selectFrom('microservices').select('id').where('namespace_id', '=', namespaceId).where('service_name', '=', name));

// The writes of create and delete, compiled once (src/store/prepared.ts).
const insertServiceRow = preparedInsert('microservices', [
  'id', 'user_id', 'namespace_id', 'service_name', 'stateful', 'replicas', 'container_count', 'status', 'spec_alias', 'port_maps',
  'public_net', 'ip_id', 'disk_type', 'bill_info', 'stop_service', 'operation', 'due_at', 'created_at', 'updated_at',
]);
const insertContainerRow = preparedInsert('ms_containers', [
  'id', 'service_id', 'position', 'container_name', 'container_desc', 'image_path', 'command', 'envs', 'log_dirs', 'cpu_weight',
  'memory_weight', 'ssh_keys', 'volumes',
]);
const serviceCountMove = prepared((db, namespaceId: number, by: number) =>
  db.updateTable('ms_namespaces').set((eb) => ({ service_count: eb('service_count', '+', by) })).where('id', '=', namespaceId));
const deleteServiceRow = prepared((db, id: number) =>
  db.deleteFrom('microservices').where('id', '=', id).returning(['user_id', 'replicas', 'container_count']));
const takeId = prepared((db) => db.insertInto('ms_ids').defaultValues().returning('id'));
const clearIds = prepared((db) => db.deleteFrom('ms_ids'));
// The due work's: settling an operation (every create ends with one) reads the service's template and pods and replaces its pods.
const dueRows = prepared((db, nowIso: string, limit: number) =>
  db.selectFrom('microservices').selectAll().where('due_at', 'is not', null).where('due_at', '<=', nowIso).orderBy('due_at').limit(limit));
const operationDone = prepared((db, serviceId: number, dueAt: string, status: string, updatedAt: string) =>
  db.updateTable('microservices').set({ status, operation: null, due_at: null, updated_at: updatedAt }).where('id', '=', serviceId).where('due_at', '=', dueAt)
    .returning('id'));
const platformName = prepared((db, namespaceId: number) => db.selectFrom('ms_namespaces').select('namespace').where('id', '=', namespaceId));
const containersOf = prepared((db, serviceId: number) => db.selectFrom('ms_containers').selectAll().where('service_id', '=', serviceId).orderBy('position'));
const podsOf = prepared((db, serviceId: number) =>
  db.selectFrom('ms_pods').select(['id', 'name', 'lan_ip', 'docker_ids', 'ordinal']).where('service_id', '=', serviceId).orderBy('ordinal'));
const podStarts = prepared((db, serviceId: number) => db.selectFrom('ms_pods').select(['name', 'started_at']).where('service_id', '=', serviceId));
const clearRuntimeContainers = prepared((db, serviceId: number) => db.deleteFrom('ms_runtime_containers').where('service_id', '=', serviceId));
const clearPods = prepared((db, serviceId: number) => db.deleteFrom('ms_pods').where('service_id', '=', serviceId));
const insertPod = preparedInsert('ms_pods', ['service_id', 'ordinal', 'name', 'lan_ip', 'docker_ids', 'started_at'], { returning: ['id'] });
const insertRuntimeContainer = preparedInsert('ms_runtime_containers', ['docker_id', 'user_id', 'service_id', 'pod_id']);

/** Up to this many ids (a create: the service and its containers) are taken one prepared insert each; more (seeding) in multi-row inserts. */
const FEW_IDS = 16;

/** Moves a user's totals in `ms_usage` (the row is made on the first move). */
async function addUsage(db: Q, userId: number, services: number, replicas: number, containers: number): Promise<void> {
  await usageMove.all(db, userId, services, replicas, containers);
}

/** A service row with its numeric columns as numbers (PostgreSQL answers bigint columns as text). */
export function serviceRow(row: MicroservicesTable): ServiceRow {
  return numericColumns(row, 'id', 'namespace_id');
}

/** Takes `n` ids from the one sequence shared by namespaces, services and container definitions (microservices.md §2.1). */
async function allocateIds(q: Q, dialect: Dialect, n: number): Promise<number[]> {
  if (n === 0) return [];
  if (dialect === 'postgres') {
    const { rows } = await sql<{ id: number }>`select nextval(pg_get_serial_sequence('ms_ids', 'id'))::int as id from generate_series(1, ${n})`.execute(q);
    return rows.map((r) => Number(r.id));
  }
  const ids: number[] = [];
  if (n <= FEW_IDS) {
    for (let i = 0; i < n; i++) ids.push(Number((await takeId.first(q))!.id));
    await clearIds.all(q); // AUTOINCREMENT keeps its high-water mark in sqlite_sequence
    return ids;
  }
  for (let i = 0; i < n; i += 500) {
    const rows = await q.insertInto('ms_ids').values(Array.from({ length: Math.min(500, n - i) }, () => ({ id: null as unknown as number })))
      .returning('id').execute();
    ids.push(...rows.map((r) => Number(r.id)));
  }
  await q.deleteFrom('ms_ids').execute(); // AUTOINCREMENT keeps its high-water mark in sqlite_sequence
  return ids;
}

export interface NewNamespace {
  userId: number;
  displayName: string;
  /** Platform name, `<display_name>-<user name>` (microservices.md §2.2). */
  namespace: string;
  createdAt: string;
}

/** Namespaces, services, their containers and pods. Pass a transaction with `.with(tx)`. */
export class MicroserviceStore {
  constructor(private readonly db: Q, private readonly dialect: Dialect) {}

  static of(store: Store): MicroserviceStore {
    return new MicroserviceStore(store.db, store.dialect);
  }

  /** The same operations inside a transaction. */
  with(tx: Tx): MicroserviceStore {
    return new MicroserviceStore(tx, this.dialect);
  }

  /** Takes `n` ids from the sequence shared by namespaces, services and container definitions (microservices.md §2.1). */
  allocateIds(n: number): Promise<number[]> {
    return allocateIds(this.db, this.dialect, n);
  }

  // Namespaces

  async namespaceById(userId: number, id: number): Promise<NamespaceRow | undefined> {
    const row = await namespaceById.first(this.db, userId, id);
    return row && numericColumns(row, 'id', 'service_count');
  }

  async namespaceExists(userId: number, displayName: string): Promise<boolean> {
    const row = await this.db.selectFrom('ms_namespaces').select('id').where('user_id', '=', userId).where('display_name', '=', displayName).executeTakeFirst();
    return row !== undefined;
  }

  async namespaceCount(userId: number): Promise<number> {
    const { count } = await this.db.selectFrom('ms_namespaces').select((eb) => eb.fn.countAll<string | number>().as('count')).where('user_id', '=', userId).executeTakeFirstOrThrow();
    return Number(count);
  }

  /** Inserts a namespace with a fresh id; returns the id. */
  async insertNamespace(ns: NewNamespace): Promise<number> {
    const [id] = await this.allocateIds(1);
    await this.db.insertInto('ms_namespaces').values({
      id: id!, user_id: ns.userId, display_name: ns.displayName, namespace: ns.namespace, service_count: 0, created_at: ns.createdAt,
    }).execute();
    return id!;
  }

  /** The user's namespaces, newest first. */
  async namespaces(userId: number): Promise<Array<{ id: number; display_name: string; namespace: string; service_count: number }>> {
    const rows = await this.db.selectFrom('ms_namespaces').select(['id', 'display_name', 'namespace', 'service_count'])
      .where('user_id', '=', userId).orderBy('id', 'desc').execute();
    return rows.map((r) => numericColumns(r, 'id', 'service_count'));
  }

  /** The user's namespace with this platform (system) name. */
  async namespaceByPlatformName(userId: number, namespace: string): Promise<{ id: number; namespace: string } | undefined> {
    const row = await this.db.selectFrom('ms_namespaces').select(['id', 'namespace']).where('user_id', '=', userId).where('namespace', '=', namespace).executeTakeFirst();
    return row && numericColumns(row, 'id');
  }

  /** The services of a namespace as a load balancer sees them: name, status, port maps, pods recorded. */
  async backendsOf(userId: number, namespaceId: number): Promise<Array<{ service_name: string; status: string; stop_service: number; port_maps: string; pods: number }>> {
    const rows = await this.db.selectFrom('microservices')
      .select((eb) => ['service_name', 'status', 'stop_service', 'port_maps',
        eb.selectFrom('ms_pods').select((p) => p.fn.countAll<string | number>().as('n')).whereRef('ms_pods.service_id', '=', 'microservices.id').as('pods')])
      .where('user_id', '=', userId).where('namespace_id', '=', namespaceId).execute();
    return rows.map((r) => ({ ...r, stop_service: Number(r.stop_service), pods: Number(r.pods ?? 0) }));
  }

  async deleteNamespace(id: number): Promise<void> {
    await this.db.deleteFrom('ms_namespaces').where('id', '=', id).execute();
  }

  /** The platform name of a service's namespace (a namespace with services can't be deleted). */
  async platformNameOf(namespaceId: number): Promise<string> {
    const row = await platformName.first(this.db, namespaceId);
    return row?.namespace ?? '';
  }

  // Services

  async serviceById(userId: number, id: number): Promise<ServiceRow | undefined> {
    const row = await this.db.selectFrom('microservices').selectAll().where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
    return row && serviceRow(row);
  }

  async serviceNameTaken(namespaceId: number, name: string): Promise<boolean> {
    return (await nameTaken.first(this.db, namespaceId, name)) !== undefined;
  }

  /** Stores a new service and its container definitions, and counts it in its namespace and its user's usage. In a transaction. */
  async insertService(service: ServiceRow, containers: ContainerRow[]): Promise<void> {
    await insertServiceRow.run(this.db, service);
    for (const container of containers) await insertContainerRow.run(this.db, container);
    await serviceCountMove.all(this.db, service.namespace_id, 1);
    await addUsage(this.db, service.user_id, 1, service.replicas, service.replicas * service.container_count);
  }

  /** Deletes a service (its containers and pods follow by cascade) and uncounts it; false if it was already gone. In a transaction. */
  async deleteService(svc: ServiceRow): Promise<boolean> {
    // The deleted row's own sizes, not `svc`'s (read earlier), are what leave the user's usage.
    const gone = await deleteServiceRow.first(this.db, svc.id);
    if (!gone) return false;
    await serviceCountMove.all(this.db, svc.namespace_id, -1);
    await addUsage(this.db, gone.user_id, -1, -gone.replicas, -gone.replicas * gone.container_count);
    return true;
  }

  /**
   * A page of a namespace's services, newest first. The page's ids come from the (namespace_id, id) index
   * alone (an index-only scan skips `offset` entries), then only `limit` rows are read: no full scan, no sort.
   * `serviceCount` is the namespace's counter.
   */
  async page(namespaceId: number, serviceCount: number, offset: number, limit: number | undefined): Promise<ListedService[]> {
    if (serviceCount <= offset) return [];
    const rows = await listPage.all(this.db, namespaceId, limit ?? Math.max(serviceCount - offset, 0) + 1, offset);
    return rows.map((row) => ({ ...row, id: Number(row.id) }));
  }

  /**
   * Stores a change handed to the runtime, only if the service is still in the status it was read in and
   * has no operation running; false otherwise.
   */
  async recordOperation(svc: ServiceRow, values: Partial<ServiceRow>, containers: Iterable<[number, Partial<ContainerRow>]>): Promise<boolean> {
    const resized = values.replicas !== undefined || values.container_count !== undefined;
    // The sizes the update replaces, read under the row's lock, so the usage moves by exactly the difference.
    const before = resized ? await this.lockedSizes(svc.id) : undefined;
    const r = await this.db.updateTable('microservices').set(values)
      .where('id', '=', svc.id).where('status', '=', svc.status).where('operation', 'is', null).executeTakeFirst();
    if (r.numUpdatedRows !== 1n) return false;
    if (before) {
      const replicas = values.replicas ?? before.replicas;
      const count = values.container_count ?? before.container_count;
      await addUsage(this.db, svc.user_id, 0, replicas - before.replicas, replicas * count - before.replicas * before.container_count);
    }
    for (const [id, changed] of containers) {
      if (Object.keys(changed).length) await this.db.updateTable('ms_containers').set(changed).where('id', '=', id).where('service_id', '=', svc.id).execute();
    }
    return true;
  }

  /** Completes the operation that fell due at `dueAt`; false if a concurrent settle already did. */
  async completeOperation(serviceId: number, dueAt: string, status: string, updatedAt: string): Promise<boolean> {
    return (await operationDone.first(this.db, serviceId, dueAt, status, updatedAt)) !== undefined;
  }

  /** Services whose operation fell due by `nowIso`, oldest due first, at most `limit`. */
  async dueServices(nowIso: string, limit: number): Promise<ServiceRow[]> {
    return (await dueRows.all(this.db, nowIso, limit)).map(serviceRow);
  }

  /** Running services of users in `debtors` (stop: true), or stopped services of users not in it (stop: false). */
  async servicesToSwitch(debtors: number[], stop: boolean): Promise<ServiceRow[]> {
    let q = this.db.selectFrom('microservices').selectAll().where('stop_service', '=', stop ? 0 : 1);
    if (stop) q = debtors.length ? q.where('user_id', 'in', debtors) : q.where(({ lit }) => lit(false));
    else if (debtors.length) q = q.where('user_id', 'not in', debtors);
    return (await q.execute()).map(serviceRow);
  }

  async setStopped(serviceId: number, stopped: boolean): Promise<void> {
    await this.db.updateTable('microservices').set({ stop_service: stopped ? 1 : 0 }).where('id', '=', serviceId).execute();
  }

  /** Totals over a user's services for the quotas of microservices.md §2.9: one row, kept by insertService, deleteService and recordOperation. */
  async usage(userId: number): Promise<{ services: number; replicas: number; containers: number }> {
    const r = await usageOf.first(this.db, userId);
    return { services: Number(r?.services ?? 0), replicas: Number(r?.replicas ?? 0), containers: Number(r?.containers ?? 0) };
  }

  /** The same totals counted from the services themselves (what `ms_usage` must always equal). */
  async countedUsage(userId: number): Promise<{ services: number; replicas: number; containers: number }> {
    const r = await this.db.selectFrom('microservices')
      .select((eb) => [
        eb.fn.countAll<string | number>().as('services'),
        eb.fn.coalesce(eb.fn.sum<string | number>('replicas'), sql<number>`0`).as('replicas'),
        eb.fn.coalesce(eb.fn.sum<string | number>(sql`replicas * container_count`), sql<number>`0`).as('containers'),
      ])
      .where('user_id', '=', userId).executeTakeFirstOrThrow();
    return { services: Number(r.services), replicas: Number(r.replicas), containers: Number(r.containers) };
  }

  private async lockedSizes(serviceId: number): Promise<{ replicas: number; container_count: number } | undefined> {
    const q = this.db.selectFrom('microservices').select(['replicas', 'container_count']).where('id', '=', serviceId);
    return (this.dialect === 'postgres' ? q.forUpdate() : q).executeTakeFirst();
  }

  // Containers and pods

  containersOf(serviceId: number): Promise<ContainerRow[]> {
    return containersOf.all(this.db, serviceId);
  }

  podsOf(serviceId: number): Promise<Array<{ id: number; name: string; lan_ip: string; docker_ids: string; ordinal: number }>> {
    return podsOf.all(this.db, serviceId);
  }

  /** Replaces the recorded pods of a service (and the runtime-container index used by single-container restart). */
  /**
   * Replaces the recorded pods of a service (and the runtime-container index used by single-container
   * restart). New pods started at `startedAt` (when the operation finished); a pod that stays keeps its start.
   */
  async replacePods(userId: number, serviceId: number, pods: Pod[], startedAt: string): Promise<void> {
    const previous = await podStarts.all(this.db, serviceId);
    const startOf = new Map(previous.map((p) => [p.name, p.started_at]));
    await clearRuntimeContainers.all(this.db, serviceId);
    await clearPods.all(this.db, serviceId);
    let ordinal = 0;
    for (const pod of pods) {
      const [row] = await insertPod.run(this.db, {
        service_id: serviceId, ordinal: ordinal++, name: pod.name, lan_ip: pod.lanIp, docker_ids: JSON.stringify(pod.dockerIds),
        started_at: startOf.get(pod.name) ?? startedAt,
      });
      for (const docker_id of pod.dockerIds) await insertRuntimeContainer.run(this.db, { docker_id, user_id: userId, service_id: serviceId, pod_id: Number(row!.id) });
    }
  }

  /** Whether the user has a namespace of this platform name (`<display_name>-<user_name>`). */
  async ownsPlatformNamespace(userId: number, namespace: string): Promise<boolean> {
    const row = await this.db.selectFrom('ms_namespaces').select('id').where('user_id', '=', userId).where('namespace', '=', namespace).executeTakeFirst();
    return row !== undefined;
  }

  /**
   * One recorded container of the user by the names a client sees (namespace, service, pod, container
   * definition): its runtime id, when its pod started, and whether the service is stopped.
   */
  async recordedContainer(userId: number, ref: ContainerRef): Promise<{ dockerId: string; since: string; stopped: boolean } | undefined> {
    const found = await this.db.selectFrom('ms_pods')
      .innerJoin('microservices', 'microservices.id', 'ms_pods.service_id')
      .innerJoin('ms_namespaces', 'ms_namespaces.id', 'microservices.namespace_id')
      .innerJoin('ms_containers', 'ms_containers.service_id', 'microservices.id')
      .select(['ms_pods.docker_ids', 'ms_pods.started_at', 'ms_containers.position', 'microservices.stop_service', 'microservices.created_at'])
      .where('microservices.user_id', '=', userId)
      .where('ms_namespaces.namespace', '=', ref.namespace)
      .where('microservices.service_name', '=', ref.serviceName)
      .where('ms_pods.name', '=', ref.podName)
      .where('ms_containers.container_name', '=', ref.containerName)
      .executeTakeFirst();
    const dockerId = found && (JSON.parse(found.docker_ids) as string[])[Number(found.position)];
    if (!found || !dockerId) return undefined;
    return { dockerId, since: found.started_at ?? found.created_at, stopped: Number(found.stop_service) === 1 };
  }

  /** The service a runtime container (docker id) of the user belongs to, if any. */
  async serviceOfRuntimeContainer(userId: number, dockerId: string): Promise<number | undefined> {
    const row = await this.db.selectFrom('ms_runtime_containers').select('service_id').where('docker_id', '=', dockerId).where('user_id', '=', userId).executeTakeFirst();
    return row && Number(row.service_id);
  }
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
      await addUsage(tx, opts.userId, n, n, n);
      all.push(...serviceIds);
    });
  }
  // Fresh statistics (and, on PostgreSQL, a visibility map for index-only scans) after a bulk load.
  await sql.raw(dialect === 'postgres' ? 'vacuum analyze microservices' : 'analyze microservices').execute(db);
  return all;
}
