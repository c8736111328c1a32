/** The microservices domain: namespaces, specs, service images and microservices (microservices.md). */
import type { Module } from '../../module.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import type { Services } from '../../services.ts';
import { Microservices } from './domain.ts';
import { createDirectory } from './directory.ts';
import { applyArrears, settleDue } from './lifecycle.ts';
import { namespaceRoutes } from './namespaces.ts';
import { microserviceRoutes } from './routes.ts';
import { microserviceWorkloads } from './workloads.ts';

export { seedServices, type SeedOptions } from './store.ts';

export interface MicroservicesModule extends Module {
  readonly domain: Microservices;
}

/**
 * Listed after every module it consumes (keys, registry, billing, volumes, IPs): its due work reads billing's
 * arrears. Provides the caller's workloads to monitoring.
 */
export function microservicesModule(services: Services): MicroservicesModule {
  const domain = new Microservices(services);
  return {
    name: 'microservices',
    domain,
    routes: [...namespaceRoutes(domain), ...microserviceRoutes(domain)],
    dueTasks: [{
      name: 'microservices',
      async run(now) {
        await settleDue(domain, now);
        await applyArrears(domain);
      },
    }],
    storeChanged: () => domain.forgetCaches(),
    provides: { workloads: microserviceWorkloads(domain), directory: createDirectory(domain) },
  };
}

/** Places a server's services on `runtime` from now on (a Kubernetes runtime, or a test's own). */
export function useRuntime(modules: readonly Module[], runtime: Runtime): void {
  const found = modules.find((m): m is MicroservicesModule => m.name === 'microservices');
  if (!found) throw new Error('the server has no microservices module');
  found.domain.runtime = runtime;
}
