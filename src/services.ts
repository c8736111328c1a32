import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Gate } from './http/gate.ts';
import type { Limiter } from './http/limits.ts';
import type { Bus } from './cluster/bus.ts';
import type { Redis } from 'ioredis';
import type { Sealer } from './identity/sealer.ts';
import type { IdentityStore } from './identity/store.ts';
import type { Store } from './store/db.ts';
import type { Resources } from './domains/contracts.ts';

/** What handlers can reach. Domains talk to each other through the interfaces listed here, never over HTTP. */
export interface Services {
  config: Config;
  clock: Clock;
  store: Store;
  sealer: Sealer;
  identity: IdentityStore;
  limiter: Limiter;
  /** Runs an operator action's consequences on every replica (cluster/bus.ts; in place for one process). */
  bus: Bus;
  /** Replicas (`--redis`): the connection for shared operator state, and this deployment's key prefix. */
  redis?: { commands: Redis; prefix: string };
  /** Whether each shared part answers now (`/healthz`): the store, and Redis when replicas share it. */
  health(): Promise<{ store: boolean; redis?: boolean }>;
  /** Requests and due work hold it shared; reset, restore and id seeding exclusive (http/gate.ts). */
  gate: Gate;
  log: Logger;
  /** Registry, volumes, IPs and billing as seen by other domains (domains/contracts.ts). */
  resources: Resources;
  /** The modules' `reset` (operator `POST /_opencomb/reset`, after every table was emptied), in module order. */
  resetHooks: Array<() => Promise<void> | void>;
  /** The modules' `storeChanged`: caches derived from the store, dropped when the operator replaces its contents (reset, restore). */
  storeChangedHooks: Array<() => void>;
}
