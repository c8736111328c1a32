import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Store } from '../store/db.ts';
import type { Resources } from './contracts.ts';
import { createImageLookup } from './registry/lookup.ts';
import { createVolumeBinding } from './volumes/binding.ts';
import { createIpBinding } from './ips/binding.ts';
import { createBilling } from '../billing/billing.ts';

export interface ResourceDeps {
  store: Store;
  clock: Clock;
  config: Config;
}

/** Assembles the resources' internal interfaces (contracts.ts) for the domains that reference them. */
export function createResources(deps: ResourceDeps): Resources {
  // Billing first: the IP domain stops an IP's meter when a consumer releases it.
  const billing = createBilling(deps);
  return {
    images: createImageLookup(deps),
    volumes: createVolumeBinding(deps),
    ips: createIpBinding({ ...deps, billing }),
    billing,
  };
}
