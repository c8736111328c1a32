/** Pure rules of the IP domain (volumes-and-ips.md Part B): each broken rule throws its catalog error. */
import { ApiError } from '../../catalog/index.ts';
import type { IpsTable } from '../../store/tables/ips.ts';

/** Billing meter of an IP: kind `ip`, resource id = the IP's public id, 0.004 CNY per hour bound or not. */
export const IP_METER_KIND = 'ip';
export const IP_HOURLY_PRICE = 0.004;

export const IP_TYPES = ['nce', 'nlb'] as const;
export type IpType = (typeof IP_TYPES)[number];
export const IP_STATUSES = ['available', 'binding', 'binded', 'disabled'] as const;

export type Counts = Record<IpType, number>;
export type IpRow = Omit<IpsTable, 'id'> & { id: number };

/** Per-user quota names in `defaultQuotas` / `ctx.user.quotas`. */
export function quotaOf(quotas: Readonly<Record<string, number>>, type: IpType): number {
  return quotas[`ips_${type}`] ?? 0;
}

/**
 * The create body after field validation: nothing requested at all → 4000302; something present but the
 * total is 0 → 4000301 (both from the create table).
 */
export function requestedCounts(body: { nce?: number; nlb?: number }): Counts {
  if (body.nce === undefined && body.nlb === undefined) throw new ApiError('IP_MISSING_PARAM');
  const counts = { nce: body.nce ?? 0, nlb: body.nlb ?? 0 };
  if (counts.nce + counts.nlb === 0) throw new ApiError('IP_PARAMS_INVALID');
  return counts;
}

/**
 * held + requested > quota for some requested type → 4030302. A type the request does not ask for is not
 * judged: an operator who lowers a quota below what a user holds must not block the other type.
 */
export function checkQuota(held: Counts, requested: Counts, quotas: Readonly<Record<string, number>>): void {
  for (const type of IP_TYPES) {
    if (requested[type] > 0 && held[type] + requested[type] > quotaOf(quotas, type)) throw new ApiError('IP_QUOTA_INSUFFICIENT');
  }
}

/** Bound or being bound: `binding`/`binded`, or a recorded service (a `disabled` IP keeps its binding). */
export function isInUse(row: Pick<IpRow, 'status' | 'service_id'>): boolean {
  return row.status === 'binding' || row.status === 'binded' || row.service_id !== '';
}

/** Release is refused while the IP is in use (4030411, the decision in the spec's release section). */
export function checkReleasable(row: Pick<IpRow, 'status' | 'service_id'>): void {
  if (isInUse(row)) throw new ApiError('LB_IP_IS_USING');
}

/** The wire `service_type` for a binding consumer's kind (IP object table). */
export function serviceTypeLabel(kind: string): string {
  if (kind === 'loadbalancer') return '负载均衡';
  if (kind === 'microservice') return '服务';
  return kind;
}

/** Path ids: UUIDs are compared case-insensitively, decimal ids exactly. */
export function normalizeIpId(id: string | undefined): string {
  return (id ?? '').toLowerCase();
}

/** An IP object in the documented member order. */
export function ipView(row: IpRow) {
  return {
    id: row.ip_id,
    ip: row.ip,
    status: row.status,
    type: row.type,
    service_type: row.service_type,
    service_id: row.service_id,
    service_name: row.service_name,
    create_at: row.create_at,
    update_at: row.update_at,
  };
}

/** The release response: the documented members only (no `service_type`), status `deleted`. */
export function releasedView(row: IpRow, now: string) {
  return {
    id: row.ip_id,
    ip: row.ip,
    status: 'deleted',
    type: row.type,
    service_id: '',
    service_name: '',
    create_at: row.create_at,
    update_at: now,
  };
}

/** Cost in CNY as the spec shows it: 3 decimal places, a JSON number. */
export function costView(ipId: string, amount: number) {
  return { id: ipId, cost: Math.round(amount * 1000) / 1000 };
}
