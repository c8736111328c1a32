import type { Route } from './http/route.ts';
import { identityRoutes } from './identity/routes.ts';
import { secretKeyRoutes } from './domains/keys/routes.ts';
import { operatorRoutes } from './operator/routes.ts';
import { ipRoutes } from './domains/ips/routes.ts';
import { volumeRoutes } from './domains/volumes/routes.ts';

/** Every route of the public API and the operator API. A new domain adds its list here. */
export const apiRoutes: Route[] = [
  ...identityRoutes,
  ...secretKeyRoutes,
  ...operatorRoutes,
  ...ipRoutes,
  ...volumeRoutes,
];
