/** The registry domain (keys-and-registry.md, Part B): repositories and builds; image lookup for other domains. */
import type { Module } from '../../module.ts';
import type { Services } from '../../services.ts';
import { createImageLookup } from './lookup.ts';
import { registryRoutes } from './routes.ts';
import { RepositoryStore } from './store.ts';

export function registryModule(services: Services): Module {
  const repositories = new RepositoryStore(services.store);
  return {
    name: 'registry',
    routes: registryRoutes,
    // Builds finish on the server clock.
    dueTasks: [{ name: 'registry-builds', run: async (now) => { await repositories.settle(now); } }],
    provides: { images: createImageLookup(services) },
  };
}
