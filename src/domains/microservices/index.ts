/** The microservices domain: namespaces, specs, service images and microservices (microservices.md). */
import { namespaceRoutes } from './namespaces.ts';
import { microserviceRoutes } from './routes.ts';

export const microservicesRoutes = [...namespaceRoutes, ...microserviceRoutes];
export { registerMicroservices, useRuntime } from './lifecycle.ts';
export { seedServices, type SeedOptions } from './store.ts';
export { microserviceWorkloads } from './workloads.ts';
