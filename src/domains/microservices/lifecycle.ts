/**
 * Status values and the operation × kind × status matrix (microservices.md §2.7), the runtime each server
 * uses, and the due task that completes operations on the server clock and applies arrears.
 */
import { ApiError } from '../../catalog/index.ts';
import type { Services } from '../../services.ts';
import type { Tx } from '../../store/db.ts';
import type { Operation, Pod, Runtime, ServiceTemplate } from '../../runtime/runtime.ts';
import { SimulatedRuntime } from '../../runtime/simulated.ts';
import { containersOf, podsOf, replacePods, type ContainerRow, type ServiceRow } from './store.ts';

export type OperationName = 'update-stateless' | 'update-stateful' | 'update-port' | 'elastic-scale' | 'update-image' | 'specification' | 'restart' | 'restart-container';

const BUSY = new Set(['creating', 'updating', 'scaling', 'restarting']);
const STATELESS_ONLY = new Set<OperationName>(['update-stateless', 'elastic-scale', 'update-image', 'specification']);
const RESTARTS = new Set<OperationName>(['restart', 'restart-container']);

/** Steps 3–5 of §1.3: arrears, then kind, then status. */
export function checkOperable(svc: ServiceRow, op: OperationName): void {
  if (svc.stop_service === 1) throw new ApiError('MICROSERVICE_ABANDONED_DUE_TO_ARREARAGE');
  if (svc.stateful === 1 && STATELESS_ONLY.has(op)) throw new ApiError('STATEFUL_MICROSERVICE_CANT_UPDATE');
  if (svc.stateful === 0 && op === 'update-stateful') throw new ApiError('MICROSERVICE_CANT_OPERATE_IN_CURRENT_STATE');
  if (svc.stateful === 0 && RESTARTS.has(op)) throw new ApiError('STATELESS_MICROSERVICE_CANT_RESTART');
  if (BUSY.has(svc.status) || svc.status === 'create_fail') {
    throw new ApiError(RESTARTS.has(op) ? 'MICROSERVICE_CANT_OPERATE_IN_CURRENT_STATE' : 'MICROSERVICE_CANT_UPDATE_IN_CURRENT_STATE');
  }
}

/** The busy status an operation enters, and the prefix of its `_succ` / `_fail` outcome. */
export function phaseOf(op: Operation): { busy: string; done: string } {
  switch (op.kind) {
    case 'create': return { busy: 'creating', done: 'create' };
    case 'update': return { busy: 'updating', done: 'update' };
    case 'scale': return { busy: 'scaling', done: 'scale' };
    default: return { busy: 'restarting', done: 'restart' };
  }
}

const runtimes = new WeakMap<Services, Runtime>();
const locks = new WeakMap<Services, Set<string>>();

export function runtimeOf(services: Services): Runtime {
  let rt = runtimes.get(services);
  if (!rt) {
    rt = new SimulatedRuntime({ busySeconds: services.config.microserviceBusySeconds ?? 2 });
    runtimes.set(services, rt);
  }
  return rt;
}

/**
 * One mutating request per service (or per namespace + name for create) at a time in this process; a
 * second one is refused with 4000199 and may retry (§1.4). The database constraints stay the real guard.
 */
export async function exclusive<T>(services: Services, key: string, work: () => Promise<T>): Promise<T> {
  let held = locks.get(services);
  if (!held) locks.set(services, (held = new Set()));
  if (held.has(key)) throw new ApiError('MICROSERVICE_SYSTEM_BUSY');
  held.add(key);
  try {
    return await work();
  } finally {
    held.delete(key);
  }
}

export function toTemplate(svc: ServiceRow, namespace: string, containers: ContainerRow[]): ServiceTemplate {
  return {
    serviceId: svc.id, serviceName: svc.service_name, namespace, stateful: svc.stateful === 1, replicas: svc.replicas,
    specAlias: svc.spec_alias, portMaps: JSON.parse(svc.port_maps),
    containers: containers.map((c) => ({
      containerId: Number(c.id), name: c.container_name, image: c.image_path, command: c.command, envs: JSON.parse(c.envs),
      logDirs: JSON.parse(c.log_dirs), cpuWeight: c.cpu_weight, memoryWeight: c.memory_weight, sshKeys: JSON.parse(c.ssh_keys),
      volumes: (JSON.parse(c.volumes) as Array<{ volume_id: number; mount_path: string }>).map((v) => ({ volumeId: v.volume_id, mountPath: v.mount_path })),
    })),
  };
}

export async function templateOf(q: Tx | Services['store']['db'], svc: ServiceRow): Promise<ServiceTemplate> {
  const ns = await q.selectFrom('ms_namespaces').select('namespace').where('id', '=', svc.namespace_id).executeTakeFirst();
  return toTemplate(svc, ns?.namespace ?? '', await containersOf(q, svc.id));
}

/** Hands an operation to the runtime and returns the columns that record it (status, operation, due_at). */
export async function submit(services: Services, template: ServiceTemplate, op: Operation): Promise<{ status: string; operation: string; due_at: string }> {
  const { dueAt } = await runtimeOf(services).submit(template, op, services.clock.now());
  // Internal and never emitted: kept with milliseconds so a busy status lasts exactly what the runtime said.
  return { status: phaseOf(op).busy, operation: JSON.stringify(op), due_at: dueAt.toISOString() };
}

/** Completes the service's operation if the runtime reports it finished; returns the fresh row. */
export async function settle(services: Services, svc: ServiceRow, now = services.clock.now()): Promise<ServiceRow> {
  if (!svc.operation || !svc.due_at || svc.due_at > now.toISOString()) return svc;
  const { db } = services.store;
  const op = JSON.parse(svc.operation) as Operation;
  const template = await templateOf(db, svc);
  const before: Pod[] = (await podsOf(db, svc.id)).map((p) => ({ name: p.name, lanIp: p.lan_ip, dockerIds: JSON.parse(p.docker_ids) }));
  const outcome = await runtimeOf(services).observe(template, op, before, new Date(Date.parse(svc.due_at)), now);
  if (!outcome) return svc;
  const status = `${phaseOf(op).done}_${outcome.ok ? 'succ' : 'fail'}`;
  await db.transaction().execute(async (tx) => {
    // Only the operation we observed is completed: a concurrent settle of the same row changes nothing.
    const r = await tx.updateTable('microservices').set({ status, operation: null, due_at: null, updated_at: services.clock.iso(now) })
      .where('id', '=', svc.id).where('due_at', '=', svc.due_at).executeTakeFirst();
    if (r.numUpdatedRows > 0n && outcome.pods !== before) await replacePods(tx, svc.user_id, svc.id, outcome.pods, svc.due_at!);
  });
  return { ...svc, status, operation: null, due_at: null };
}

async function settleDue(services: Services, now: Date): Promise<void> {
  const rows = await services.store.db.selectFrom('microservices').selectAll()
    .where('due_at', 'is not', null).where('due_at', '<=', now.toISOString()).orderBy('due_at').limit(1000).execute();
  for (const row of rows) await settle(services, { ...row, id: Number(row.id), namespace_id: Number(row.namespace_id) }, now);
}

/** Services of users in arrears are stopped (`stop_service` 1); paying the debt starts them again. */
async function applyArrears(services: Services): Promise<void> {
  let debtors: number[];
  try {
    debtors = await services.resources.billing.usersInArrears();
  } catch (err) {
    services.log.debug({ err }, 'billing unavailable: arrears not applied');
    return;
  }
  const { db } = services.store;
  let toStop = db.selectFrom('microservices').selectAll().where('stop_service', '=', 0);
  toStop = debtors.length ? toStop.where('user_id', 'in', debtors) : toStop.where(({ lit }) => lit(false));
  let toStart = db.selectFrom('microservices').selectAll().where('stop_service', '=', 1);
  if (debtors.length) toStart = toStart.where('user_id', 'not in', debtors);
  for (const [query, stopped] of [[toStop, true], [toStart, false]] as const) {
    for (const row of await query.execute()) {
      const svc = { ...row, id: Number(row.id), namespace_id: Number(row.namespace_id) };
      await runtimeOf(services).setStopped(await templateOf(db, svc), stopped);
      await db.updateTable('microservices').set({ stop_service: stopped ? 1 : 0 }).where('id', '=', svc.id).execute();
    }
  }
}

/** Places this server's services on `runtime` from now on (a Kubernetes runtime, or a test's own). */
export function useRuntime(services: Services, runtime: Runtime): void {
  runtimes.set(services, runtime);
}

/** Registers the domain's due work on the server clock (called once at start-up). */
export function registerMicroservices(services: Services, runtime?: Runtime): void {
  if (runtime) runtimes.set(services, runtime);
  services.clock.onDue('microservices', async (now) => {
    await settleDue(services, now);
    await applyArrears(services);
  });
}
