/** Response bodies of load-balancers.md ("Objects"), members in the documented order. */
import type { Backend } from '../contracts.ts';
import type { ClusterInput, Protocol } from './rules.ts';
import type { CertRow, LbRow, ListenerRow } from './store.ts';

/** A cluster as stored: `name` is emitted only by the LB detail; fields the protocol ignores are absent. */
export type StoredCluster = ClusterInput & { name: string };

export function clustersOf(row: ListenerRow): StoredCluster[] {
  return JSON.parse(row.clusters) as StoredCluster[];
}

function clusterView(c: StoredCluster, withName: boolean) {
  return {
    ...(withName ? { name: c.name } : {}),
    ...(c.serverName !== undefined ? { serverName: c.serverName } : {}),
    ...(c.certId !== undefined ? { certId: c.certId } : {}),
    ...(c.path !== undefined ? { path: c.path } : {}),
    serviceName: c.serviceName,
    servicePort: c.servicePort,
    ...(c.policy ? { policy: c.policy.mode === 'insert' ? { mode: 'insert', expire: c.policy.expire } : { mode: 'rewrite', cookieName: c.policy.cookieName } } : {}),
  };
}

export function listenerView(row: ListenerRow, withClusterNames: boolean) {
  return {
    name: row.name,
    listenPort: row.listen_port,
    protocol: row.protocol as Protocol,
    createtime: row.created_at,
    updatetime: row.updated_at,
    clusters: clustersOf(row).map((c) => clusterView(c, withClusterNames)),
  };
}

/**
 * `DOWN` when a cluster forwards to a microservice that is gone, lacks the port among its TCP service
 * ports, or is not running; `UP` otherwise (no listeners, CREATING included).
 */
export function instanceStatus(listeners: ListenerRow[], backends: Map<string, Backend>): 'UP' | 'DOWN' {
  for (const l of listeners) {
    for (const c of clustersOf(l)) {
      const b = backends.get(c.serviceName);
      if (!b || !b.up || !b.tcpPorts.includes(c.servicePort)) return 'DOWN';
    }
  }
  return 'UP';
}

/** The create answer: no `instanceStatus`, no `namespace`. */
export function createdView(row: LbRow) {
  return {
    name: row.name, description: row.description, address: row.address, status: row.status,
    chargeMode: row.charge_mode, bandwidthLimit: row.bandwidth_limit, createtime: row.created_at, updatetime: row.updated_at,
  };
}

export function lbView(row: LbRow, status: 'UP' | 'DOWN') {
  return {
    name: row.name, description: row.description, address: row.address, status: row.status, instanceStatus: status,
    chargeMode: row.charge_mode, bandwidthLimit: row.bandwidth_limit, namespace: row.namespace,
    createtime: row.created_at, updatetime: row.updated_at,
  };
}

export function certView(row: CertRow) {
  return { id: row.cert_id, name: row.name, fingerPrint: row.finger_print, createtime: row.created_at, updatetime: row.updated_at };
}
