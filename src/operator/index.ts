/** The operator API (`/_opencomb`, docs/operator.md) as a module: users, keys, reset, snapshots, clock, faults. */
import type { Module } from '../module.ts';
import type { Services } from '../services.ts';
import { faultRoutes, FaultRules } from './faults.ts';
import { operatorRoutes, SnapshotShelf } from './routes.ts';

export interface OperatorModule extends Module {
  /** The fault rules the pipeline consults (core.md §11); installed through `/_opencomb/faults`. */
  readonly faults: FaultRules;
}

export function operatorModule({ config }: Services): OperatorModule {
  const faults = new FaultRules();
  return {
    name: 'operator',
    faults,
    // The fault routes exist only with fault injection (otherwise these paths are unknown).
    routes: [...operatorRoutes(new SnapshotShelf()), ...(config.faultInjection ? faultRoutes(faults) : [])],
    reset: () => faults.clear(),
  };
}
