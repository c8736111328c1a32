import type { Route } from './http/route.ts';
import { identityRoutes } from './identity/routes.ts';
import { secretKeyRoutes } from './domains/keys/routes.ts';
import { registryRoutes } from './domains/registry/routes.ts';
import { operatorRoutes } from './operator/routes.ts';
import { ipRoutes } from './domains/ips/routes.ts';
import { volumeRoutes } from './domains/volumes/routes.ts';
import { microservicesRoutes } from './domains/microservices/index.ts';
import { loadBalancerRoutes } from './domains/loadbalancers/index.ts';

/** Every route of the public API and the operator API. A new domain adds its list here. */
export const apiRoutes: Route[] = [
  ...identityRoutes,
  ...secretKeyRoutes,
  ...registryRoutes,
  ...operatorRoutes,
  ...ipRoutes,
  ...volumeRoutes,
  ...microservicesRoutes,
  ...loadBalancerRoutes,
];
