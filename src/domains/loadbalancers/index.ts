/** The load-balancer domain (load-balancers.md): LBs, listeners with their clusters, certificates. */
import { loadBalancerRoutes as lbRoutes } from './routes.ts';
import { listenerRoutes } from './listener-routes.ts';
import { certRoutes } from './cert-routes.ts';

export const loadBalancerRoutes = [...lbRoutes, ...listenerRoutes, ...certRoutes];
export { registerLoadBalancers } from './lifecycle.ts';
