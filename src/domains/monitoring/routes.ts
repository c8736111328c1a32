/**
 * Performance monitoring (monitoring.md, service 06): one read-only endpoint. The caller's namespaces and
 * containers are read through the `Workloads` contract; the samples come from the runtime and are
 * bucketed here.
 */
import { ApiError } from '../../catalog/index.ts';
import { defineRoute, reply } from '../../http/route.ts';
import type { Sample } from '../../runtime/metrics.ts';
import { metricWindow, parseMetrics, type Statistic } from './rules.ts';
import { METRICS, metricData, metricDataQuery } from './schemas.ts';

export const monitoringRoutes = [
  defineRoute({
    method: 'GET', path: '/api/v1/cm/metricdata', operationId: 'getMetricData', tag: 'monitoring',
    summary: 'The last 30 minutes of container metrics, bucketed by period', auth: 'token',
    query: metricDataQuery,
    errors: ['MONITOR_MALFORMATTED_JSON_STRING', 'MONITOR_INVALID_METRIC', 'MONITOR_METRIC_LIST_TOO_LONG', 'MONITOR_INVALID_DIMENSION',
      'MONITOR_UNSUPPORTED_DIMENSION_NAME', 'MONITOR_UNSUPPORTED_METRIC_NAME', 'MONITOR_UNSUPPORTED_STATISTICS', 'MONITOR_INVALID_PROJECT_ID'],
    success: { status: 200, description: 'one element per requested metric, in request order', ...metricData },
    async handler({ query, user, services }) {
      const requests = parseMetrics(query.metrics);
      const owner = { id: user.id, user_name: user.user_name };
      // Check 10 runs only after every element passed checks 5–9.
      const owned = new Map<string, boolean>();
      for (const [i, r] of requests.entries()) {
        const ns = r.container.namespace;
        if (!owned.has(ns)) owned.set(ns, await services.resources.workloads.ownsNamespace(owner, ns));
        if (!owned.get(ns)) throw new ApiError('MONITOR_INVALID_PROJECT_ID', { param: `metrics[${i}].dimension` });
      }
      const period = Number(query.period ?? 60);
      const { start, end } = metricWindow(services.clock.now().getTime(), period);
      const out = [];
      for (const r of requests) {
        const samples = await services.resources.workloads.samples(owner, r.container, r.metricName, new Date(start * 1000), new Date(end * 1000));
        out.push({
          data: buckets(samples, start, period, r.statistics),
          dimension: r.dimension,
          metricName: r.metricName,
          metricNameDesc: METRICS[r.metricName].desc,
          unit: METRICS[r.metricName].unit,
        });
      }
      return reply.json(out);
    },
  }),
];

/** One point per bucket that holds samples, ascending; keys createTime, then the requested statistics. */
function buckets(samples: Sample[], start: number, period: number, statistics: Statistic[]) {
  const byBucket = new Map<number, number[]>();
  for (const s of samples) {
    if (s.at < start * 1000 || s.at >= (start + 1800) * 1000) continue; // a runtime's stray sample outside the window
    const t = start + Math.floor((s.at / 1000 - start) / period) * period;
    let values = byBucket.get(t);
    if (!values) byBucket.set(t, (values = []));
    values.push(s.value);
  }
  return [...byBucket.keys()].sort((a, b) => a - b).map((t) => {
    const values = byBucket.get(t)!;
    const point: Record<string, number> = { createTime: t * 1000 };
    for (const statistic of statistics) {
      if (statistic === 'average') point.average = values.reduce((a, b) => a + b, 0) / values.length;
      if (statistic === 'minimum') point.minimum = Math.min(...values);
      if (statistic === 'maximum') point.maximum = Math.max(...values);
    }
    return point;
  });
}
