/**
 * The `metrics` parameter of monitoring.md, judged in the reference's order (checks 4–9): JSON syntax
 * (4000604), an array of 1–20 (4000603, 4000605), then each element in turn — metricName present
 * (4000603), dimension well-formed (4000609) and named `microservice` (4000610), metric supported
 * (4000607), statistics (4000606). Pure: the namespace check (4000601) needs the store and comes after.
 */
import { ApiError } from '../../catalog/index.ts';
import type { ContainerRef } from '../contracts.ts';
import type { MetricName } from '../../runtime/metrics.ts';
import { MAX_METRICS, METRICS } from './schemas.ts';

export type Statistic = 'average' | 'minimum' | 'maximum';

export interface MetricRequest {
  /** Echoed exactly as received. */
  dimension: string;
  container: ContainerRef;
  metricName: MetricName;
  /** In the fixed emission order: average, minimum, maximum. */
  statistics: Statistic[];
}

const STATISTIC_TOKENS: Record<string, Statistic> = { average: 'average', minimum: 'minimum', maximum: 'maximum', minmum: 'minimum' };
const ORDER: Statistic[] = ['average', 'minimum', 'maximum'];

export function parseMetrics(text: string): MetricRequest[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError('MONITOR_MALFORMATTED_JSON_STRING', { param: 'metrics' });
  }
  if (!Array.isArray(value) || value.length === 0) throw new ApiError('MONITOR_INVALID_METRIC', { param: 'metrics' });
  if (value.length > MAX_METRICS) throw new ApiError('MONITOR_METRIC_LIST_TOO_LONG', { param: 'metrics' });
  return value.map((element, i) => parseElement(element, `metrics[${i}]`));
}

function parseElement(element: unknown, param: string): MetricRequest {
  if (typeof element !== 'object' || element === null || Array.isArray(element)) throw new ApiError('MONITOR_INVALID_METRIC', { param });
  const { dimension, metricName, statistics } = element as Record<string, unknown>;
  if (typeof metricName !== 'string' || metricName === '') throw new ApiError('MONITOR_INVALID_METRIC', { param: `${param}.metricName` });
  const container = parseDimension(dimension, `${param}.dimension`);
  if (!Object.hasOwn(METRICS, metricName)) throw new ApiError('MONITOR_UNSUPPORTED_METRIC_NAME', { param: `${param}.metricName` });
  return { dimension: dimension as string, container, metricName: metricName as MetricName, statistics: parseStatistics(statistics, `${param}.statistics`) };
}

/** Visible ASCII (0x21–0x7E) without `$` or `=`, 1–128 characters. */
const SEGMENT = /^[\x21-\x23\x25-\x3c\x3e-\x7e]{1,128}$/;

/** `microservice={namespace}${service}${pod}${container}` (monitoring.md "Dimension string"). */
export function parseDimension(dimension: unknown, param = 'dimension'): ContainerRef {
  const invalid = () => new ApiError('MONITOR_INVALID_DIMENSION', { param });
  if (typeof dimension !== 'string' || dimension === '' || dimension.length > 512) throw invalid();
  const eq = dimension.indexOf('=');
  if (eq === -1) throw invalid();
  const segments = dimension.slice(eq + 1).split('$');
  if (segments.length !== 4 || !segments.every((s) => SEGMENT.test(s))) throw invalid();
  if (dimension.slice(0, eq) !== 'microservice') throw new ApiError('MONITOR_UNSUPPORTED_DIMENSION_NAME', { param });
  const [namespace, serviceName, podName, containerName] = segments as [string, string, string, string];
  return { namespace, serviceName, podName, containerName };
}

/** Absent, null or "" → average; a comma-separated string or an array of strings; `minmum` → minimum. */
export function parseStatistics(raw: unknown, param = 'statistics'): Statistic[] {
  if (raw === undefined || raw === null || raw === '') return ['average'];
  let tokens: unknown[];
  if (typeof raw === 'string') tokens = raw.split(',').map((t) => t.trim()).filter((t) => t !== '');
  else if (Array.isArray(raw)) tokens = raw.map((t) => (typeof t === 'string' ? t.trim() : t));
  else throw new ApiError('MONITOR_UNSUPPORTED_STATISTICS', { param });
  const chosen = new Set<Statistic>();
  for (const token of tokens) {
    const statistic = typeof token === 'string' && Object.hasOwn(STATISTIC_TOKENS, token) ? STATISTIC_TOKENS[token] : undefined;
    if (!statistic) throw new ApiError('MONITOR_UNSUPPORTED_STATISTICS', { param });
    chosen.add(statistic);
  }
  if (chosen.size === 0) throw new ApiError('MONITOR_UNSUPPORTED_STATISTICS', { param });
  return ORDER.filter((s) => chosen.has(s));
}

/** The 30-minute window of monitoring.md "Time window and buckets", in whole seconds. */
export function metricWindow(nowMs: number, period: number): { start: number; end: number } {
  const end = Math.floor(Math.floor(nowMs / 1000) / period) * period;
  return { start: end - 1800, end };
}
