/**
 * The per-answer metrics (`opencomb_http_requests_total`, `opencomb_http_request_duration_seconds`,
 * `opencomb_rate_limit_refusals_total`), counted on every request. prom-client's own Counter and Histogram
 * turn the label values into a key on each call (about 2 µs per answer for these three); here each answer
 * costs a map lookup and a few additions, and prom-client reads the totals only when `/metrics` is scraped:
 * these objects have the shape its registry formats (`get()` → name, help, type, values). Store query
 * timings (one or more per request) use the same histogram.
 */
import type { Answer } from '../http/observe.ts';
import type { Route } from '../http/route.ts';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);
const RATE_LIMITED = 4030001;
/** Upper bounds of the latency buckets, in seconds. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Series {
  labels: { route: string; method: string; status: string; code: string; injected: string };
  count: number;
}

/** One series of a histogram: observations per bucket (not cumulative; the last one is +Inf), sum, count. */
export class HistogramSeries {
  readonly buckets: number[];
  sum = 0;
  count = 0;

  constructor(readonly labels: Record<string, string>, private readonly bounds: readonly number[]) {
    this.buckets = new Array<number>(bounds.length + 1).fill(0);
  }

  observe(value: number): void {
    let i = 0;
    while (i < this.bounds.length && value > this.bounds[i]!) i++;
    this.buckets[i]!++;
    this.sum += value;
    this.count++;
  }
}

/** A histogram whose series are created once and then observed without any label lookup. */
export class FastHistogram {
  private readonly all: HistogramSeries[] = [];

  constructor(readonly name: string, readonly help: string, readonly bounds: readonly number[]) {}

  series(labels: Record<string, string>): HistogramSeries {
    const series = new HistogramSeries(labels, this.bounds);
    this.all.push(series);
    return series;
  }

  metric(): CollectedMetric {
    return collected(this.name, 'histogram', this.help, () => this.all.flatMap((s) => {
      let cumulative = 0;
      const buckets = s.buckets.map((n, i) => {
        cumulative += n;
        return { metricName: `${this.name}_bucket`, labels: { ...s.labels, le: i < this.bounds.length ? this.bounds[i]! : '+Inf' }, value: cumulative };
      });
      return [...buckets, { metricName: `${this.name}_sum`, labels: s.labels, value: s.sum }, { metricName: `${this.name}_count`, labels: s.labels, value: s.count }];
    }));
  }
}

interface MetricValue {
  metricName?: string;
  labels: Record<string, string | number>;
  value: number;
}

/** What prom-client's registry reads of a metric (`Registry.registerMetric`). */
export interface CollectedMetric {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  aggregator: 'sum';
  get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: MetricValue[] }>;
}

export class AnswerMetrics {
  /** Series by route (the unrouted ones apart), then by method, status, code and injected. */
  private readonly byRoute = new WeakMap<Route, Map<string, Series>>();
  private readonly unrouted = new Map<string, Series>();
  private readonly latencyByRoute = new WeakMap<Route, Map<string, HistogramSeries>>();
  private readonly latencyUnrouted = new Map<string, HistogramSeries>();
  private readonly latency = new FastHistogram('opencomb_http_request_duration_seconds', 'Time from the request to its answer, by route template and method', LATENCY_BUCKETS);
  /** Every series, in creation order, for the exposition. */
  private readonly allSeries: Series[] = [];
  private readonly refusals = new Map<string, number>();

  record(answer: Answer): void {
    const method = METHODS.has(answer.method) ? answer.method : 'other';
    const route = answer.route;
    const series = this.seriesOf(route);
    const key = `${method} ${answer.status} ${answer.code ?? ''} ${answer.injected}`;
    let one = series.get(key);
    if (!one) {
      one = { labels: { route: route?.path ?? '', method, status: String(answer.status), code: answer.code === undefined ? '' : String(answer.code), injected: String(answer.injected) }, count: 0 };
      series.set(key, one);
      this.allSeries.push(one);
    }
    one.count++;

    const latencies = this.latenciesOf(route);
    let latency = latencies.get(method);
    if (!latency) latencies.set(method, (latency = this.latency.series({ route: route?.path ?? '', method })));
    latency.observe(answer.durationMs / 1000);

    if (answer.code === RATE_LIMITED && !answer.injected) {
      const path = route?.path ?? '';
      this.refusals.set(path, (this.refusals.get(path) ?? 0) + 1);
    }
  }

  private seriesOf(route: Route | undefined): Map<string, Series> {
    if (!route) return this.unrouted;
    let map = this.byRoute.get(route);
    if (!map) this.byRoute.set(route, (map = new Map()));
    return map;
  }

  private latenciesOf(route: Route | undefined): Map<string, HistogramSeries> {
    if (!route) return this.latencyUnrouted;
    let map = this.latencyByRoute.get(route);
    if (!map) this.latencyByRoute.set(route, (map = new Map()));
    return map;
  }

  /** The three metrics, for a prom-client registry. */
  metrics(): CollectedMetric[] {
    return [
      collected('opencomb_http_requests_total', 'counter',
        'Answers by route template, method, status and catalog code ("" for a success); injected: produced by fault injection',
        () => this.allSeries.map((s) => ({ labels: s.labels, value: s.count }))),
      this.latency.metric(),
      collected('opencomb_rate_limit_refusals_total', 'counter', 'Requests refused by a rate limit (4030001, injected ones not counted), by route template',
        () => [...this.refusals].map(([route, value]) => ({ labels: { route }, value }))),
    ];
  }
}

function collected(name: string, type: 'counter' | 'histogram', help: string, values: () => MetricValue[]): CollectedMetric {
  return { name, help, type, aggregator: 'sum', get: async () => ({ name, help, type, aggregator: 'sum', values: values() }) };
}
