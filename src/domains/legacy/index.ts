/**
 * The beta API (legacy-containers-apps.md): single containers, apps (clusters), their watch and web hook.
 * One domain: containers and apps share the name and image rules, the runtime hand-over and the
 * family-00 codes. Consumes keys (ssh_key_ids) and the registry (image lists, save as image).
 */
import type { Module } from '../../module.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import type { Services } from '../../services.ts';
import { appRoutes } from './apps.ts';
import { containerRoutes } from './containers.ts';
import { Legacy } from './lifecycle.ts';

export interface LegacyModule extends Module {
  readonly domain: Legacy;
}

export function legacyModule(services: Services): LegacyModule {
  const domain = new Legacy(services);
  return {
    name: 'legacy',
    domain,
    routes: [...containerRoutes(domain), ...appRoutes(domain)],
    dueTasks: [{
      name: 'legacy',
      async run(now) {
        await domain.settle(now);
        domain.feed.expire(now.getTime());
      },
    }],
    // Every app may have changed: the watchers answer with what the store now holds.
    storeChanged: () => domain.feed.publishAll(),
  };
}

/** Runs a server's containers and apps on `runtime` from now on (a Kubernetes runtime, or a test's own). */
export function useLegacyRuntime(modules: readonly Module[], runtime: Runtime): void {
  const found = modules.find((m): m is LegacyModule => m.name === 'legacy');
  if (!found) throw new Error('the server has no legacy module');
  found.domain.runtime = runtime;
}

/** The domain of a running server (tests measure its change feed). */
export function legacyDomain(modules: readonly Module[]): Legacy {
  const found = modules.find((m): m is LegacyModule => m.name === 'legacy');
  if (!found) throw new Error('the server has no legacy module');
  return found.domain;
}
