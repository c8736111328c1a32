import { r } from '../../http/response-schema.ts';
import { f, schema } from '../../http/schema.ts';
import { METRIC_NAMES, type MetricName } from '../../runtime/metrics.ts';

/**
 * `GET /api/v1/cm/metricdata` query (monitoring.md, checks 1–3): `service` (4000602), `period` (4000608),
 * `metrics` present (4000603). The `metrics` JSON itself is judged by rules.ts (checks 4–9).
 */
export const metricDataQuery = schema({
  service: f.string().required().missing('MONITOR_INVALID_SERVICE_NAME').invalid('MONITOR_INVALID_SERVICE_NAME')
    .rule((v) => v === 'NMS').describe('monitoring backend: exactly NMS'),
  // Exactly the decimal text `60` or `300` ("60.0", "30", "060" are not); empty means the default.
  period: f.string().invalid('MONITOR_UNSUPPORTED_PERIOD').rule((v) => v === '60' || v === '300')
    .describe('bucket length in seconds: 60 (default) or 300'),
  metrics: f.string().required().missing('MONITOR_INVALID_METRIC').invalid('MONITOR_INVALID_METRIC')
    .describe('URL-encoded JSON array (1–20) of {dimension, metricName, statistics}'),
}, {});

/** Display name (`metricNameDesc`) and unit of each metric, byte-exact (monitoring.md "Supported metrics"). */
export const METRICS: Record<MetricName, { desc: string; unit: string }> = {
  cpuUsage: { desc: 'CPU使用率', unit: '%' },
  memUsageRate: { desc: '内存使用率', unit: '%' },
  systemDiskUsageRate: { desc: '系统盘使用率', unit: '%' },
  diskReadRequest: { desc: '磁盘读IOPS', unit: '次/s' },
  diskWriteRequest: { desc: '磁盘写IOPS', unit: '次/s' },
  diskReadRate: { desc: '磁盘读吞吐量', unit: 'KB/s' },
  diskWriteRate: { desc: '磁盘写吞吐量', unit: 'KB/s' },
  diskUsage: { desc: '磁盘空间占用量', unit: 'Byte' },
  diskUsageRate: { desc: '磁盘空间利用率', unit: '%' },
  network1Transfer: { desc: '内网网络流出量', unit: 'Kbps' },
  network1Receive: { desc: '内网网络流入量', unit: 'Kbps' },
  network2Transfer: { desc: '公网网络流出量', unit: 'Kbps' },
  network2Receive: { desc: '公网网络流入量', unit: 'Kbps' },
};

/** Most elements one request may carry (monitoring.md, 4000605). */
export const MAX_METRICS = 20;

const point = r.object({
  createTime: r.int('bucket start, epoch milliseconds, aligned to the period'),
  average: r.number(), minimum: r.number(), maximum: r.number(),
}, { optional: ['average', 'minimum', 'maximum'], description: 'one bucket; a statistic only when requested' });

const series = r.named('MetricSeries', r.object({
  data: r.array(point, 'ascending by createTime; [] without data'),
  dimension: r.string('the requested dimension, echoed'),
  metricName: r.enum(METRIC_NAMES),
  metricNameDesc: r.string('the Chinese display name'),
  unit: r.string(),
}));

/** The answer: one series per requested element, in request order. */
export const metricData = {
  schema: r.array(series),
  example: [{
    data: [{ createTime: 1492684740000, minimum: 0.01635727219973723 }, { createTime: 1492684800000, minimum: 0.016491493171171746 }],
    dimension: 'microservice=qa-space-admin$web-app$web-app-69353-2783765391-5jp7y$nginx',
    metricName: 'cpuUsage', metricNameDesc: 'CPU使用率', unit: '%',
  }],
};
