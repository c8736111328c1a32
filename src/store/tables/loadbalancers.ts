import type { Generated } from 'kysely';

/**
 * Tables of the load-balancer domain (load-balancers.md). Times are ISO 8601 with milliseconds, the form
 * this domain emits (core.md §10).
 */
export type LbStatus = 'CREATING' | 'WORKING' | 'DELETING' | 'ERROR';

export interface LoadBalancersTable {
  id: Generated<number>;
  /** Internal UUID, visible only as the `service_id` of the LB's IP. */
  uuid: string;
  user_id: number;
  /** The namespace's system name (`<display>-<user>`): the header value that addresses the LB. */
  namespace: string;
  /** Unique per namespace (database constraint), kept while DELETING. */
  name: string;
  description: string;
  /** Address of the `nlb` IP the LB holds (the IP domain finds the IP by it). */
  address: string;
  charge_mode: string; // 'netflow' | 'bandwidth'
  bandwidth_limit: number;
  status: LbStatus;
  /** When the current CREATING or DELETING phase ends; null when settled. */
  due_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ListenersTable {
  id: Generated<number>;
  lb_id: number;
  /** Unique per LB, and so is `listen_port` (database constraints). */
  name: string;
  protocol: string; // 'http' | 'https' | 'tcp'
  listen_port: number;
  /** JSON array of stored clusters (views.ts `StoredCluster`), in the order given. */
  clusters: string;
  /** JSON array of the certificate ids the clusters use (https only), for the "cert is using" check. */
  cert_ids: string;
  /** While a change propagates: until when the listener is pending (4000455); null otherwise. */
  pending_until: string | null;
  created_at: string;
  updated_at: string;
}

export interface CertsTable {
  /** Upload order (ties of `created_at`). */
  id: Generated<number>;
  /** The public id: a lowercase UUID v4. */
  cert_id: string;
  user_id: number;
  /** Unique per user (database constraint), compared exactly. */
  name: string;
  finger_print: string;
  /** The PEM chain as uploaded (normalised line endings); never emitted. */
  pub_cert: string;
  /** The private key PEM sealed under the master key; never emitted, never logged. */
  pri_key_sealed: string;
  /** notAfter of the server certificate (not checked, kept for operators). */
  expires_at: string;
  created_at: string;
  updated_at: string;
}

export interface LoadBalancerTables {
  nlb_loadbalancers: LoadBalancersTable;
  nlb_listeners: ListenersTable;
  nlb_certs: CertsTable;
}
