/**
 * What the microservices domain keeps per server, in memory: the runtime services are placed on, the
 * requests in progress per service, and which users already have their `default` namespace.
 */
import { ApiError } from '../../catalog/index.ts';
import type { AuthUser } from '../../identity/auth.ts';
import type { Services } from '../../services.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { SimulatedRuntime } from '../../runtime/simulated.ts';
import { isUniqueViolation } from '../../store/db.ts';
import { platformName } from './common.ts';
import { MicroserviceStore } from './store.ts';

export class Microservices {
  /** Where services are placed (simulated; a test, or later Kubernetes, puts its own: docs/runtime.md). */
  runtime: Runtime;
  readonly store: MicroserviceStore;
  /** Keys of the mutating requests in progress (see `exclusive`). */
  private readonly busy = new Set<string>();
  /**
   * Users known to have their `default` namespace: it can't be deleted, so once seen it stays, and every
   * call of the domain can skip the lookup. Cleared when the operator resets or restores the store.
   */
  private readonly haveDefault = new Set<number>();

  constructor(readonly services: Services) {
    this.runtime = new SimulatedRuntime({ busySeconds: services.config.microserviceBusySeconds ?? 2 });
    this.store = MicroserviceStore.of(services.store);
  }

  /**
   * One mutating request per service (or per namespace + name for create) at a time in this process; a
   * second one is refused with 4000199 and may retry (microservices.md §1.4). The database constraints stay the real guard.
   */
  async exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
    if (this.busy.has(key)) throw new ApiError('MICROSERVICE_SYSTEM_BUSY');
    this.busy.add(key);
    try {
      return await work();
    } finally {
      this.busy.delete(key);
    }
  }

  /** Every user has a `default` namespace, created the first time any endpoint of this domain is called. */
  async ensureDefaultNamespace(user: Pick<AuthUser, 'id' | 'user_name'>): Promise<void> {
    if (this.haveDefault.has(user.id)) return;
    if (!(await this.store.namespaceExists(user.id, 'default'))) {
      const { store, clock } = this.services;
      const created = { userId: user.id, displayName: 'default', namespace: platformName('default', user.user_name), createdAt: clock.iso() };
      try {
        await store.db.transaction().execute((tx) => this.store.with(tx).insertNamespace(created));
      } catch (err) {
        if (!isUniqueViolation(err)) throw err; // a concurrent first call created it
      }
    }
    this.haveDefault.add(user.id);
  }

  /** The store's contents were replaced: what was known about them no longer holds. */
  forgetCaches(): void {
    this.haveDefault.clear();
  }
}
