/** Container metrics (monitoring.md): a line chart per metric for one pod's container, the last 30 minutes. */
import { api } from '../api.ts';
import type { MetricSeries } from '../api.ts';
import { usePoll } from '../hooks.ts';
import { Loaded } from '../ui.tsx';

const METRICS = [
  ['cpuUsage', 'CPU usage'],
  ['memUsageRate', 'Memory usage'],
  ['network1Receive', 'Network in'],
  ['network1Transfer', 'Network out'],
] as const;

const WIDTH = 280;
const HEIGHT = 90;

/** The `dimension` of one container of one pod: `microservice=<namespace>$<service>$<pod>$<container>`. */
export function dimensionOf(namespace: string, service: string, pod: string, container: string): string {
  return `microservice=${namespace}$${service}$${pod}$${container}`;
}

function Chart({ series, label }: { series: MetricSeries; label: string }) {
  const points = series.data.filter((p) => p.average !== undefined);
  const last = points.at(-1)?.average;
  const summary = last === undefined ? `${label}: no data yet` : `${label}: ${points.length} points, latest ${last.toFixed(2)} ${series.unit}`;
  if (points.length === 0) return <figure class="chart"><figcaption>{summary}</figcaption></figure>;
  const values = points.map((p) => p.average!);
  const max = Math.max(...values) || 1;
  const first = points[0]!.createTime;
  const span = Math.max(1, points.at(-1)!.createTime - first);
  const xy = points.map((p) => `${(((p.createTime - first) / span) * WIDTH).toFixed(1)},${(HEIGHT - (p.average! / max) * (HEIGHT - 4) - 2).toFixed(1)}`);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary} preserveAspectRatio="none">
        <polyline points={xy.join(' ')} fill="none" stroke="currentColor" stroke-width="2" vector-effect="non-scaling-stroke" />
      </svg>
      <figcaption>{summary} (max {max.toFixed(2)})</figcaption>
    </figure>
  );
}

export function ContainerMetrics({ namespace, service, pod, container }: { namespace: string; service: string; pod: string; container: string }) {
  const dimension = dimensionOf(namespace, service, pod, container);
  const metrics = JSON.stringify(METRICS.map(([metricName]) => ({ dimension, metricName, statistics: 'average' })));
  const series = usePoll(() => api((c) => c.getMetricData({ service: 'NMS', period: '60', metrics })), [metrics], 10_000);
  return (
    <section aria-label={`metrics of ${pod}`}>
      <h4>Metrics of {pod}</h4>
      <Loaded data={series.data} error={series.error}>
        {(list) => <div class="charts">{list.map((s, i) => <Chart series={s} label={METRICS[i]?.[1] ?? s.metricName} />)}</div>}
      </Loaded>
    </section>
  );
}
