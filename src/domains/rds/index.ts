/** The RDS domain: simulated managed MySQL (rds.md), its signed requests and its operator endpoints. */
import type { Services } from '../../services.ts';
import { rdsOperatorRoutes } from './operator.ts';
import { rdsRoutes } from './routes.ts';
import { RdsStore } from './store.ts';

export const routes = [...rdsRoutes, ...rdsOperatorRoutes];

/** Registers the domain's due work: finished creations, backups and deletions; expired nonces. */
export function registerRds(services: Services): void {
  services.clock.onDue('rds', async (now) => {
    const rds = new RdsStore(services.store.db);
    const iso = services.clock.iso(now);
    if (await rds.hasDueWork(iso)) await rds.settle(iso);
    await rds.pruneNonces(now.toISOString());
  });
}
