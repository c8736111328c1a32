import type { DialectMigration } from '../dialect.ts';
import { identity } from './001-identity.ts';
import { secretKeys } from './002-secret-keys.ts';
import { registry } from './003-registry.ts';
import { ips } from './006-ips.ts';
import { billing } from './004-billing.ts';
import { volumes } from './005-volumes.ts';
import { microservices } from './007-microservices.ts';
import { podStart } from './008-pod-start.ts';
import { rds } from './009-rds.ts';
import { testClock } from './010-test-clock.ts';
import { legacyContainersApps } from './011-legacy-containers-apps.ts';
import { loadbalancers } from './012-loadbalancers.ts';
import { usageCounters } from './013-usage-counters.ts';
import { servicesStopIndex } from './014-services-stop-index.ts';
import { runtimeContainerIndexes } from './015-runtime-container-indexes.ts';

/** The migration history, applied in key order. Append only: never edit a migration that has shipped. */
export const migrations: Record<string, DialectMigration> = {
  '001-identity': identity,
  '002-secret-keys': secretKeys,
  '003-registry': registry,
  '006-ips': ips,
  '004-billing': billing,
  '005-volumes': volumes,
  '007-microservices': microservices,
  '008-pod-start': podStart,
  '009-rds': rds,
  '010-test-clock': testClock,
  '011-legacy-containers-apps': legacyContainersApps,
  '012-loadbalancers': loadbalancers,
  '013-usage-counters': usageCounters,
  '014-services-stop-index': servicesStopIndex,
  '015-runtime-container-indexes': runtimeContainerIndexes,
};
