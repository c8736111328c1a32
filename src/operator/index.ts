/** The operator API (`/_opencomb`, docs/operator.md) as a module: users, keys, reset, snapshots, clock, faults. */
import type { Module } from '../module.ts';
import type { Services } from '../services.ts';
import { faultRoutes, FaultRules, type FaultBook } from './faults.ts';
import { operatorRoutes } from './routes.ts';
import { SharedFaultRules, SharedSnapshotShelf } from './shared.ts';
import { SnapshotShelf } from './state.ts';

export interface OperatorModule extends Module {
  /** The fault rules the pipeline consults (core.md §11); installed through `/_opencomb/faults`. */
  readonly faults: FaultBook;
}

export function operatorModule({ config, redis, bus }: Services): OperatorModule {
  // Replicas keep fault rules and snapshots in Redis (shared.ts); one process keeps them in memory.
  const faults = redis ? new SharedFaultRules(redis.commands, redis.prefix, bus) : new FaultRules();
  const snapshots = redis ? new SharedSnapshotShelf(redis.commands, redis.prefix) : new SnapshotShelf();
  return {
    name: 'operator',
    faults,
    // The fault routes exist only with fault injection (otherwise these paths are unknown).
    routes: [...operatorRoutes(snapshots), ...(config.faultInjection ? faultRoutes(faults) : [])],
    reset: () => faults.clear(),
  };
}
