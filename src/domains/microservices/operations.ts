/**
 * Shared steps of the service endpoints: target lookup (step 2 of microservices.md §1.3), billing checks (microservices.md §2.9), and
 * handing a change to the runtime while storing it (a refused hand-over stores nothing).
 */
import { ApiError, type ErrorName } from '../../catalog/index.ts';
import { NONE, translating } from '../../errors.ts';
import type { AuthUser } from '../../identity/auth.ts';
import { parseId } from '../../http/ids.ts';
import type { Services } from '../../services.ts';
import { lockUser, type Tx } from '../../store/db.ts';
import type { Operation } from '../../runtime/runtime.ts';
import type { Microservices } from './domain.ts';
import { settle, submit, toTemplate } from './lifecycle.ts';
import { hourlyPrice } from './specs.ts';
import type { ContainerRow, ServiceRow } from './store.ts';
import type { PublicNet } from './rules.ts';

export const METER_KIND = 'microservice';

/** The caller's service by path id (settled if its operation is due), or 4040141. */
export async function loadService(ms: Microservices, user: AuthUser, rawId: string | undefined): Promise<ServiceRow> {
  await ms.ensureDefaultNamespace(user);
  const id = parseId(rawId);
  const svc = id === undefined ? undefined : await ms.store.serviceById(user.id, id);
  if (!svc) throw new ApiError('NO_SUCH_MICROSERVICE');
  return settle(ms, svc);
}

export function priceOf(s: { spec_alias: string; replicas: number; public_net: string | PublicNet }): number {
  const net = typeof s.public_net === 'string' ? (JSON.parse(s.public_net) as PublicNet) : s.public_net;
  return hourlyPrice(s.spec_alias, s.replicas, net);
}

/**
 * microservices.md §2.9: balance ≥ 50 CNY (4030148), then one hour of the added price must fit in what is not frozen
 * (4030147). Read inside the caller's transaction, under the user's lock, so that concurrent purchases
 * are judged one after the other.
 */
export async function checkBilling(services: Services, tx: Tx, userId: number, addedPrice: number): Promise<void> {
  const { billing } = services.resources;
  await lockUser(tx, services.store.dialect, userId);
  await billing.requireBalance(tx, userId, 'MICROSERVICE_ACCOUNT_BALANCE_INSUFFICIENT');
  if ((await billing.balance(userId, tx)) - (await billing.frozen(userId, tx)) < addedPrice) throw new ApiError('MICROSERVICE_FROZEN_FEE_FAIL');
}

export interface Change {
  /** New values of the service row. */
  patch?: Partial<Pick<ServiceRow, 'replicas' | 'spec_alias' | 'port_maps' | 'public_net'>>;
  /** New values per container definition id. */
  containers?: Map<number, Partial<Pick<ContainerRow, 'envs' | 'log_dirs' | 'cpu_weight' | 'memory_weight' | 'image_path'>>>;
  /**
   * Quota and billing checks (microservices.md §1.3 step 7): judged before the hand-over to the runtime (step 8), so a
   * refused request never reaches the backend, and again in the storing transaction (a concurrent change
   * may have used the room meanwhile).
   */
  checks?: (tx: Tx) => Promise<void>;
  /** Extra writes in the storing transaction (meters). */
  inTx?: (tx: Tx) => Promise<void>;
  /** The code answered when the runtime refuses the operation. */
  failCode: ErrorName;
}

/**
 * Submits `op` for the changed service to the runtime, then stores the change and the busy status in one
 * transaction — only if the service is still in the status it was read in (otherwise 4000199).
 */
export async function applyOperation(ms: Microservices, svc: ServiceRow, op: Operation, change: Change): Promise<void> {
  const { services, store } = ms;
  const { db } = services.store;
  const namespace = await store.platformNameOf(svc.namespace_id);
  const containers = (await store.containersOf(svc.id)).map((c) => ({ ...c, ...change.containers?.get(Number(c.id)) }));
  const next = { ...svc, ...change.patch };
  if (change.checks) await db.transaction().execute((tx) => change.checks!(tx));
  const record = await translating({ failure: change.failCode, keep: NONE }, () => submit(ms, toTemplate(next, namespace, containers), op));
  await db.transaction().execute(async (tx) => {
    await change.checks?.(tx);
    await change.inTx?.(tx);
    const stored = await store.with(tx).recordOperation(svc, { ...change.patch, ...record, updated_at: services.clock.iso() }, change.containers ?? []);
    if (!stored) throw new ApiError('MICROSERVICE_SYSTEM_BUSY');
  });
}

/** Runs a call into another subsystem; anything but a catalog error becomes `code`. */
export function via<T>(code: ErrorName, work: () => Promise<T>): Promise<T> {
  return translating({ failure: code }, work);
}
