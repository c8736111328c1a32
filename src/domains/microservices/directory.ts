/**
 * The namespaces and services of this domain as other domains read them (contracts.ts
 * `MicroserviceDirectory`): load balancers resolve their `namespace` header and their backends here.
 */
import type { Services } from '../../services.ts';
import type { Backend, MicroserviceDirectory } from '../contracts.ts';
import { ensureDefaultNamespace } from './common.ts';
import type { PortMap } from './rules.ts';

export function createDirectory(services: Services): MicroserviceDirectory {
  const { db } = services.store;
  return {
    async findNamespace(owner, systemName) {
      await ensureDefaultNamespace(services, owner);
      const row = await db.selectFrom('ms_namespaces').select(['id', 'namespace'])
        .where('user_id', '=', owner.id).where('namespace', '=', systemName).executeTakeFirst();
      return row && { id: Number(row.id), namespace: row.namespace };
    },

    async namespaces(owner) {
      await ensureDefaultNamespace(services, owner);
      const rows = await db.selectFrom('ms_namespaces').select(['id', 'namespace']).where('user_id', '=', owner.id).execute();
      return rows.map((r) => ({ id: Number(r.id), namespace: r.namespace }));
    },

    async backends(owner, namespaceId) {
      const rows = await db.selectFrom('microservices')
        .select((eb) => ['service_name', 'status', 'stop_service', 'port_maps',
          eb.selectFrom('ms_pods').select((p) => p.fn.countAll<string | number>().as('n')).whereRef('ms_pods.service_id', '=', 'microservices.id').as('pods')])
        .where('user_id', '=', owner.id).where('namespace_id', '=', namespaceId).execute();
      const out = new Map<string, Backend>();
      for (const r of rows) {
        const ports = (JSON.parse(r.port_maps) as PortMap[]).filter((m) => m.protocol === 'TCP').map((m) => m.port);
        const up = r.status.endsWith('_succ') && Number(r.stop_service) === 0 && Number(r.pods ?? 0) > 0;
        out.set(r.service_name, { name: r.service_name, tcpPorts: ports, up });
      }
      return out;
    },
  };
}
