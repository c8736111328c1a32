/**
 * The microservices side of the `Workloads` contract (contracts.ts): the monitoring domain reads the
 * caller's namespaces and containers through it, and the container metrics come from the runtime that
 * runs them.
 */
import type { Workloads } from '../contracts.ts';
import type { Services } from '../../services.ts';
import { runtimeOf } from './lifecycle.ts';

/** `services` is read when a request arrives (the workloads are created while the services are assembled). */
export function microserviceWorkloads(services: () => Services): Workloads {
  return {
    async ownsNamespace(owner, namespace) {
      const row = await services().store.db.selectFrom('ms_namespaces').select('id')
        .where('user_id', '=', owner.id).where('namespace', '=', namespace).executeTakeFirst();
      return row !== undefined;
    },

    async samples(owner, ref, metric, from, to) {
      const s = services();
      const found = await s.store.db.selectFrom('ms_pods')
        .innerJoin('microservices', 'microservices.id', 'ms_pods.service_id')
        .innerJoin('ms_namespaces', 'ms_namespaces.id', 'microservices.namespace_id')
        .innerJoin('ms_containers', 'ms_containers.service_id', 'microservices.id')
        .select(['ms_pods.docker_ids', 'ms_pods.started_at', 'ms_containers.position', 'microservices.stop_service', 'microservices.created_at'])
        .where('microservices.user_id', '=', owner.id)
        .where('ms_namespaces.namespace', '=', ref.namespace)
        .where('microservices.service_name', '=', ref.serviceName)
        .where('ms_pods.name', '=', ref.podName)
        .where('ms_containers.container_name', '=', ref.containerName)
        .executeTakeFirst();
      // A stopped service (arrears) runs no containers, so they report nothing.
      if (!found || found.stop_service === 1) return [];
      const dockerId = (JSON.parse(found.docker_ids) as string[])[Number(found.position)];
      if (!dockerId) return [];
      const since = new Date(found.started_at ?? found.created_at);
      return runtimeOf(s).samples(dockerId, metric, from, to, since);
    },
  };
}
