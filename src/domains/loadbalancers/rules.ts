/**
 * The rules of load-balancers.md as pure functions: field formats (host and URL rules, ports, policy),
 * forwarding-rule conflicts, the LB state table, quotas and prices. Checks throw the catalog error the
 * request must answer.
 */
import { ApiError } from '../../catalog/index.ts';
import type { LbStatus } from '../../store/tables/loadbalancers.ts';

export const LB_NAME = /^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$/;
export const LISTENER_NAME = /^[a-z]([a-z0-9-]{0,22}[a-z0-9])?$/;
export const CERT_NAME = /^[\p{L}\p{N}._-]{1,64}$/u;
export const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,64}$/;
const DOTTED_QUAD = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export const PROTOCOLS = ['http', 'https', 'tcp'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** Quotas (Overview): LBs per user, listeners per LB, clusters per listener, certificates per user. */
export const QUOTAS = { loadBalancers: 10, listeners: 20, clusters: 50, certs: 20 } as const;

export function isDottedQuad(v: string): boolean {
  return DOTTED_QUAD.test(v);
}

/** `description`: at most 256 code points, no control characters. */
export function validDescription(v: string): boolean {
  // eslint-disable-next-line no-control-regex
  return [...v].length <= 256 && !/[\u0000-\u001f\u007f]/.test(v);
}

/** `netflow`/`bandwidth`, any case; `flow` is an alias of `netflow`. Undefined when not a charge mode. */
export function chargeModeOf(v: string): 'netflow' | 'bandwidth' | undefined {
  const lower = v.toLowerCase();
  if (lower === 'netflow' || lower === 'flow') return 'netflow';
  return lower === 'bandwidth' ? 'bandwidth' : undefined;
}

export function protocolOf(v: string): Protocol | undefined {
  const lower = v.toLowerCase();
  return (PROTOCOLS as readonly string[]).includes(lower) ? (lower as Protocol) : undefined;
}

/** `listenPort` ranges: http 80 or 1025-65535, https 443 or 1025-65535, tcp 20-65535. */
export function validListenPort(protocol: Protocol, port: number): boolean {
  if (!Number.isInteger(port)) return false;
  if (protocol === 'tcp') return port >= 20 && port <= 65535;
  return port === (protocol === 'http' ? 80 : 443) || (port >= 1025 && port <= 65535);
}

export const isIntIn = (min: number, max: number) => (v: number) => Number.isInteger(v) && v >= min && v <= max;

/** Trimmed, runs of spaces collapsed; the form rules are judged and stored in. */
export function normalizeRules(v: string): string {
  return v.trim().replace(/ {2,}/g, ' ');
}

const PRINTABLE = /^[\x21-\x7e ]*$/;
const LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

function compiles(source: string): boolean {
  try {
    new RegExp(source); // compiled only, never run against anything
    return true;
  } catch {
    return false;
  }
}

function isHostPattern(v: string): boolean {
  return v.length >= 1 && v.length <= 253 && v.split('.').every((label) => LABEL.test(label));
}

function isHostToken(t: string): boolean {
  if (t === '*') return true;
  if (t.startsWith('~')) return t.length > 1 && compiles(t.slice(1));
  if (t.startsWith('*.')) return isHostPattern(t.slice(2));
  if (t.endsWith('.*')) return isHostPattern(t.slice(0, -2));
  return isHostPattern(t);
}

/** Host rules (`serverName`): the normalized tokens, or undefined when the value breaks the rules. */
export function hostTokens(value: string): string[] | undefined {
  const v = normalizeRules(value);
  if (v === '') return ['*'];
  if (v.length > 512 || !PRINTABLE.test(v)) return undefined;
  const tokens = v.split(' ');
  return tokens.every(isHostToken) ? tokens : undefined;
}

/** URL rules (`path`): the normalized tokens, or undefined when the value breaks the rules. */
export function pathTokens(value: string): string[] | undefined {
  const v = normalizeRules(value);
  if (v === '') return ['/'];
  if (v.length > 128 || !PRINTABLE.test(v)) return undefined;
  const tokens = v.split(' ');
  const ok = tokens.every((t) => (t.startsWith('~') ? t.length > 1 && compiles(t.slice(1)) : t.includes('/')));
  return ok ? tokens : undefined;
}

export type Policy = { mode: 'insert'; expire: number } | { mode: 'rewrite'; cookieName: string };

/** A cluster after validation, before lookups (fields a protocol ignores are absent). */
export interface ClusterInput {
  serverName?: string;
  certId?: string;
  path?: string;
  serviceName: string;
  servicePort: number;
  policy?: Policy;
}

/**
 * Conflicts inside one listener's clusters (the table "Forwarding-rule conflicts"), each kind over the
 * whole body in the documented order: duplicate hosts (4090451), duplicate paths (4090467), then shared
 * forward rules (4090457). A tcp listener takes exactly one cluster.
 */
export function checkRuleConflicts(protocol: Protocol, clusters: ClusterInput[]): void {
  if (protocol === 'tcp') {
    if (clusters.length > 1) throw new ApiError('LB_DUPLICATE_FORWARD_RULE');
    return;
  }
  const hosts = clusters.map((c) => hostTokens(c.serverName ?? '*')!.map((t) => t.toLowerCase()));
  const paths = clusters.map((c) => pathTokens(c.path ?? '/')!);
  const certOfHost = new Map<string, string | undefined>();
  for (const [i, tokens] of hosts.entries()) {
    if (new Set(tokens).size !== tokens.length) throw new ApiError('LB_DUPLICATE_SERVER_NAME');
    if (protocol !== 'https') continue;
    for (const host of tokens) {
      // One host is served with one certificate only.
      if (certOfHost.has(host) && certOfHost.get(host) !== clusters[i]!.certId?.toLowerCase()) throw new ApiError('LB_DUPLICATE_SERVER_NAME');
      certOfHost.set(host, clusters[i]!.certId?.toLowerCase());
    }
  }
  for (const tokens of paths) if (new Set(tokens).size !== tokens.length) throw new ApiError('LB_DUPLICATE_PATH');
  const owner = new Map<string, number>();
  for (const [i, hostList] of hosts.entries()) {
    for (const host of hostList) {
      for (const path of paths[i]!) {
        const key = `${host} ${path}`;
        const seen = owner.get(key);
        if (seen !== undefined && seen !== i) throw new ApiError('LB_DUPLICATE_FORWARD_RULE');
        owner.set(key, i);
      }
    }
  }
}

/** The state table: which operations an LB in `status` allows (delete of a DELETING LB is a no-op). */
export function checkLbState(status: LbStatus, op: 'update' | 'delete' | 'listener'): void {
  if (status === 'CREATING') throw new ApiError('LB_LOADBALANCER_IS_CREATING');
  if (status === 'WORKING') return;
  if (op === 'delete') return;
  throw new ApiError('LB_ACTION_FORBIDDEN');
}

/**
 * Hourly price of an LB (docs/loadbalancers.md): the instance is free (its IP is billed by the IP
 * domain); `bandwidth` bills the fixed bandwidth at the reference's tiers, 0.03 CNY per Mbps for the
 * first 5 Mbps and 0.10 for each further Mbps; `netflow` bills traffic (0.79 CNY/GB), and without a data
 * plane there is none.
 */
export const LB_PRICES = { bandwidthFirst5PerMbpsHour: 0.03, bandwidthAbove5PerMbpsHour: 0.1, trafficPerGb: 0.79 } as const;

export function lbHourlyPrice(chargeMode: string, bandwidthLimit: number): number {
  if (chargeMode !== 'bandwidth') return 0;
  const first = Math.min(bandwidthLimit, 5);
  const rest = Math.max(bandwidthLimit - 5, 0);
  return Math.round((first * LB_PRICES.bandwidthFirst5PerMbpsHour + rest * LB_PRICES.bandwidthAbove5PerMbpsHour) * 1e6) / 1e6;
}
