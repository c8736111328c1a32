/** The RDS domain: simulated managed MySQL (rds.md), its signed requests and its operator endpoints. */
import type { Module } from '../../module.ts';
import type { Services } from '../../services.ts';
import { rdsOperatorRoutes } from './operator.ts';
import { rdsRoutes } from './routes.ts';
import { RdsStore } from './store.ts';

export function rdsModule(services: Services): Module {
  const { store, clock } = services;
  const rds = new RdsStore(store.db);
  return {
    name: 'rds',
    routes: [...rdsRoutes, ...rdsOperatorRoutes],
    // Creations, backups and deletions finish on the server clock; used nonces leave the replay window.
    dueTasks: [{
      name: 'rds',
      async run(now) {
        const iso = clock.iso(now);
        if (await rds.hasDueWork(iso)) await rds.settle(iso);
        await rds.pruneNonces(now.toISOString());
      },
    }],
  };
}
