/** The load-balancer domain (load-balancers.md): LBs, listeners with their clusters, certificates. */
import type { Module } from '../../module.ts';
import type { Services } from '../../services.ts';
import { certRoutes } from './cert-routes.ts';
import { settleDue } from './lifecycle.ts';
import { listenerRoutes } from './listener-routes.ts';
import { loadBalancerRoutes } from './routes.ts';
import { lbStore } from './store.ts';

/** Listed after microservices (its directory), IPs and billing, which it consumes. */
export function loadBalancersModule(services: Services): Module {
  return {
    name: 'loadbalancers',
    routes: [...loadBalancerRoutes, ...listenerRoutes, ...certRoutes],
    // CREATING → WORKING and DELETING → removed on the server clock.
    dueTasks: [{ name: 'loadbalancers', run: (now) => settleDue(services, undefined, now) }],
    provides: {
      // Ended deletions are settled first: an LB that is gone no longer holds its namespace.
      loadBalancers: {
        async namespacesInUse(userId, tx) {
          if (!tx) await settleDue(services, userId);
          return lbStore(services, tx).namespacesInUse(userId);
        },
      },
    },
  };
}
