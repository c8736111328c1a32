import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { RateLimiter } from './http/limits.ts';
import type { Sealer } from './identity/sealer.ts';
import type { IdentityStore } from './identity/store.ts';
import type { Store } from './store/db.ts';
import type { MicroserviceDirectory, Resources } from './domains/contracts.ts';

/** What handlers can reach. Domains talk to each other through the interfaces listed here, never over HTTP. */
export interface Services {
  config: Config;
  clock: Clock;
  store: Store;
  sealer: Sealer;
  identity: IdentityStore;
  limiter: RateLimiter;
  log: Logger;
  /** Registry, volumes, IPs and billing as seen by other domains (domains/contracts.ts). */
  resources: Resources;
  /** Namespaces and services as other domains read them (load balancers' backends). */
  directory: MicroserviceDirectory;
  /** Clears every table (operator `POST /_opencomb/reset`); domains register their own cleanup too. */
  resetHooks: Array<() => Promise<void> | void>;
  /** Caches derived from the store's contents, dropped whenever the operator replaces them (reset, restore). */
  storeChangedHooks: Array<() => void>;
}
