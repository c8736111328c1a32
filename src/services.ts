import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { RateLimiter } from './http/limits.ts';
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
  limiter: RateLimiter;
  log: Logger;
  /** Registry, volumes, IPs and billing as seen by other domains (domains/contracts.ts). */
  resources: Resources;
  /** The modules' `reset` (operator `POST /_opencomb/reset`, after every table was emptied), in module order. */
  resetHooks: Array<() => Promise<void> | void>;
  /** The modules' `storeChanged`: caches derived from the store, dropped when the operator replaces its contents (reset, restore). */
  storeChangedHooks: Array<() => void>;
}
