/**
 * The microservices side of the `Workloads` contract (contracts.ts): the monitoring domain reads the
 * caller's namespaces and containers through it, and the container metrics come from the runtime that
 * runs them.
 */
import type { Workloads } from '../contracts.ts';
import type { Microservices } from './domain.ts';

export function microserviceWorkloads(ms: Microservices): Workloads {
  return {
    ownsNamespace: (owner, namespace) => ms.store.ownsPlatformNamespace(owner.id, namespace),

    async samples(owner, ref, metric, from, to) {
      const container = await ms.store.recordedContainer(owner.id, ref);
      // A stopped service (arrears) runs no containers, so they report nothing.
      if (!container || container.stopped) return [];
      return ms.runtime.samples(container.dockerId, metric, from, to, new Date(container.since));
    },
  };
}
