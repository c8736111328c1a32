/** The RDS domain: simulated managed MySQL (rds.md), its signed requests and its operator endpoints. */
import type { Services } from '../../services.ts';
import { rdsOperatorRoutes } from './operator.ts';
import { rdsRoutes } from './routes.ts';
import { hasDueWork, pruneNonces, settle } from './store.ts';

export const routes = [...rdsRoutes, ...rdsOperatorRoutes];

/** Registers the domain's due work: finished creations, backups and deletions; expired nonces. */
export function registerRds(services: Services): void {
  services.clock.onDue('rds', async (now) => {
    const iso = services.clock.iso(now);
    if (await hasDueWork(services.store.db, iso)) await settle(services.store.db, iso);
    await pruneNonces(services.store.db, now.toISOString());
  });
}
