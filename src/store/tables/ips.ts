import type { Generated } from 'kysely';

/**
 * A public IP (volumes-and-ips.md Part B). Released IPs are deleted: they never appear again anywhere,
 * and their address goes back to the pool. What they cost stays in billing's own records.
 */
export interface IpsTable {
  /** Allocation order: breaks ties of `create_at` and is the counter behind `nlb` ids. */
  id: Generated<number>;
  /** The public id: a lowercase UUID v4 (`nce`) or `String(id)` (`nlb`). */
  ip_id: string;
  user_id: number;
  type: string; // 'nce' | 'nlb'
  /** Dotted-quad IPv4 address, unique among existing (non-released) IPs. */
  ip: string;
  status: string; // 'available' | 'binding' | 'binded' | 'disabled'
  /** Wire value: '' when unbound, '负载均衡' for a load balancer, '服务' for a microservice. */
  service_type: string;
  service_id: string;
  service_name: string;
  /** While `binding`: when the bind completes (`binded`); otherwise null. */
  bind_due_at: string | null;
  create_at: string;
  update_at: string;
}

/** Users whose IPs were disabled for arrears past the grace period, and when their arrears were first seen. */
export interface IpArrearsTable {
  user_id: number;
  since: string;
  disabled: number;
}

export interface IpTables {
  ips: IpsTable;
  ip_arrears: IpArrearsTable;
}
