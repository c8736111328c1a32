/**
 * The namespaces and services of this domain as other domains read them (contracts.ts
 * `MicroserviceDirectory`): load balancers resolve their `namespace` header and their backends here.
 */
import type { Backend, MicroserviceDirectory } from '../contracts.ts';
import type { Microservices } from './domain.ts';
import type { PortMap } from './rules.ts';

export function createDirectory(domain: Microservices): MicroserviceDirectory {
  const { store } = domain;
  return {
    async findNamespace(owner, systemName) {
      await domain.ensureDefaultNamespace(owner);
      return store.namespaceByPlatformName(owner.id, systemName);
    },

    async namespaces(owner) {
      await domain.ensureDefaultNamespace(owner);
      return (await store.namespaces(owner.id)).map((n) => ({ id: n.id, namespace: n.namespace }));
    },

    async backends(owner, namespaceId) {
      const out = new Map<string, Backend>();
      for (const r of await store.backendsOf(owner.id, namespaceId)) {
        const tcpPorts = (JSON.parse(r.port_maps) as PortMap[]).filter((m) => m.protocol === 'TCP').map((m) => m.port);
        // Running: settled successfully, not stopped for arrears, with a pod.
        const up = r.status.endsWith('_succ') && r.stop_service === 0 && r.pods > 0;
        out.set(r.service_name, { name: r.service_name, tcpPorts, up });
      }
      return out;
    },
  };
}
