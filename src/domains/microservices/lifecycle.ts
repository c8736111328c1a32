/**
 * Status values and the operation × kind × status matrix (microservices.md §2.7), handing operations to
 * the runtime, and the due work that completes operations on the server clock and applies arrears.
 */
import { ApiError } from '../../catalog/index.ts';
import type { Operation, Pod, ServiceTemplate } from '../../runtime/runtime.ts';
import type { Tx } from '../../store/db.ts';
import type { Microservices } from './domain.ts';
import type { ContainerRow, MicroserviceStore, ServiceRow } from './store.ts';

export type OperationName = 'update-stateless' | 'update-stateful' | 'update-port' | 'elastic-scale' | 'update-image' | 'specification' | 'restart' | 'restart-container';

const BUSY = new Set(['creating', 'updating', 'scaling', 'restarting']);
const STATELESS_ONLY = new Set<OperationName>(['update-stateless', 'elastic-scale', 'update-image', 'specification']);
const RESTARTS = new Set<OperationName>(['restart', 'restart-container']);

/** Steps 3–5 of microservices.md §1.3: arrears, then kind, then status. */
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

export async function templateOf(store: MicroserviceStore, svc: ServiceRow): Promise<ServiceTemplate> {
  return toTemplate(svc, await store.platformNameOf(svc.namespace_id), await store.containersOf(svc.id));
}

/** Hands an operation to the runtime and returns the columns that record it (status, operation, due_at). */
export async function submit(ms: Microservices, template: ServiceTemplate, op: Operation): Promise<{ status: string; operation: string; due_at: string }> {
  const { dueAt } = await ms.runtime.submit(template, op, ms.services.clock.now());
  // Internal and never emitted: kept with milliseconds so a busy status lasts exactly what the runtime said.
  return { status: phaseOf(op).busy, operation: JSON.stringify(op), due_at: dueAt.toISOString() };
}

/** What the runtime reported for a service whose operation fell due: to be recorded by `complete`. */
interface Observed {
  svc: ServiceRow;
  status: string;
  /** Undefined when the pods did not change. */
  pods: Pod[] | undefined;
}

/** Asks the runtime whether the service's due operation has finished; undefined when nothing is to record. */
async function observe(ms: Microservices, svc: ServiceRow, now: Date): Promise<Observed | undefined> {
  if (!svc.operation || !svc.due_at || svc.due_at > now.toISOString()) return undefined;
  const op = JSON.parse(svc.operation) as Operation;
  const template = await templateOf(ms.store, svc);
  const before: Pod[] = (await ms.store.podsOf(svc.id)).map((p) => ({ name: p.name, lanIp: p.lan_ip, dockerIds: JSON.parse(p.docker_ids) }));
  const outcome = await ms.runtime.observe(template, op, before, new Date(Date.parse(svc.due_at)), now);
  if (!outcome) return undefined;
  return { svc, status: `${phaseOf(op).done}_${outcome.ok ? 'succ' : 'fail'}`, pods: outcome.pods !== before ? outcome.pods : undefined };
}

/** Records an observed outcome. Only the operation observed is completed: a concurrent settle of the same row changes nothing. */
async function complete(ms: Microservices, tx: Tx, { svc, status, pods }: Observed, now: Date): Promise<void> {
  const store = ms.store.with(tx);
  const completed = await store.completeOperation(svc.id, svc.due_at!, status, ms.services.clock.iso(now));
  if (completed && pods) await store.replacePods(svc.user_id, svc.id, pods, svc.due_at!);
}

/** Completes the service's operation if the runtime reports it finished; returns the fresh row. */
export async function settle(ms: Microservices, svc: ServiceRow, now = ms.services.clock.now()): Promise<ServiceRow> {
  const observed = await observe(ms, svc, now);
  if (!observed) return svc;
  await ms.services.store.db.transaction().execute((tx) => complete(ms, tx, observed, now));
  return { ...svc, status: observed.status, operation: null, due_at: null };
}

/**
 * Operations completed by one transaction of the due task. A transaction's cost is mostly the pages its
 * commit writes, and the completions of one pass share most of theirs (the tails of the pods and runtime
 * tables, their indexes, the id sequence): under a stream of creates, one commit per service was a third of
 * every page the store wrote. Bounded, so requests waiting for the store are not held back long.
 */
const COMPLETIONS_PER_COMMIT = 100;

/** Completes every operation that fell due (the `microservices` due task, with `applyArrears`). */
export async function settleDue(ms: Microservices, now: Date): Promise<void> {
  const observed: Observed[] = [];
  for (const svc of await ms.store.dueServices(now.toISOString(), 1000)) {
    const outcome = await observe(ms, svc, now);
    if (outcome) observed.push(outcome);
  }
  for (let i = 0; i < observed.length; i += COMPLETIONS_PER_COMMIT) {
    const chunk = observed.slice(i, i + COMPLETIONS_PER_COMMIT);
    await ms.services.store.db.transaction().execute(async (tx) => {
      for (const outcome of chunk) await complete(ms, tx, outcome, now);
    });
  }
}

/** Services of users in arrears are stopped (`stop_service` 1); paying the debt starts them again. */
export async function applyArrears(ms: Microservices): Promise<void> {
  const { services } = ms;
  let debtors: number[];
  try {
    debtors = await services.resources.billing.usersInArrears();
  } catch (err) {
    services.log.debug({ err }, 'billing unavailable: arrears not applied');
    return;
  }
  for (const stopped of [true, false]) {
    for (const svc of await ms.store.servicesToSwitch(debtors, stopped)) {
      await ms.runtime.setStopped(await templateOf(ms.store, svc), stopped);
      await ms.store.setStopped(svc.id, stopped);
    }
  }
}
