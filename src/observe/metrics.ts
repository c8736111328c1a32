/**
 * `GET /metrics` (docs/metrics.md): Prometheus metrics of one server — answers by route template, method,
 * status and code; latencies; rate-limit refusals; store query durations; due work; and the process's own
 * metrics. Every label takes values from a fixed set (route templates, catalog codes), never from the
 * request itself, so the number of series stays bounded.
 */
import { collectDefaultMetrics, Gauge, Histogram, Registry, type Metric } from './prom.ts';
import type { Answer } from '../http/observe.ts';
import type { DueTask } from '../clock.ts';
import { AnswerMetrics, FastHistogram, type HistogramSeries } from './answer-metrics.ts';

/** The process's metrics (CPU, memory, event loop, GC): one set per process, shared by every server in it. */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export class ServerMetrics {
  private readonly registry = new Registry();

  /** Answers by route, method and code, their latencies, rate-limit refusals (answer-metrics.ts). */
  private readonly answers = new AnswerMetrics();

  private readonly queries = new FastHistogram('opencomb_store_query_duration_seconds', 'Store queries, by kind (select, insert, update, delete, raw, other)',
    [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1]);
  private readonly queryKinds = new Map<string, HistogramSeries>();

  private readonly dueTasks = new Histogram({
    name: 'opencomb_due_task_duration_seconds', help: 'One run of a due task (transitions, billing) when time moves, by task',
    labelNames: ['task'] as const, buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30], registers: [this.registry],
  });

  private readonly duePassesWaiting = new Gauge({
    name: 'opencomb_due_passes_waiting', help: 'Due-work passes of the real-time tick started but not finished (the backlog)',
    registers: [this.registry],
  });

  private readonly duePassLag = new Histogram({
    name: 'opencomb_due_pass_lag_seconds', help: 'How long a due-work pass of the real-time tick waited before it ran',
    buckets: [0.001, 0.01, 0.1, 0.5, 1, 5, 10, 30], registers: [this.registry],
  });

  constructor() {
    for (const metric of [...this.answers.metrics(), this.queries.metric()]) this.registry.registerMetric(metric as unknown as Metric);
  }

  record(answer: Answer): void {
    this.answers.record(answer);
  }

  query(kind: string, ms: number): void {
    let series = this.queryKinds.get(kind);
    if (!series) this.queryKinds.set(kind, (series = this.queries.series({ kind })));
    series.observe(ms / 1000);
  }

  /** The task, timed. */
  dueTask(name: string, task: DueTask): DueTask {
    return async (now) => {
      const end = this.dueTasks.startTimer({ task: name });
      try {
        await task(now);
      } finally {
        end();
      }
    };
  }

  /** Wraps the clock's real-time `around` (each pass inside the store gate) to count the backlog and the lag. */
  duePass(around: (run: () => Promise<void>) => Promise<void>): (run: () => Promise<void>) => Promise<void> {
    return async (run) => {
      const queued = performance.now();
      this.duePassesWaiting.inc();
      try {
        await around(() => {
          this.duePassLag.observe((performance.now() - queued) / 1000);
          return run();
        });
      } finally {
        this.duePassesWaiting.dec();
      }
    };
  }

  /** The Prometheus text exposition of this server's metrics and the process's. */
  async render(): Promise<{ contentType: string; text: string }> {
    const merged = Registry.merge([processMetrics(), this.registry]);
    return { contentType: merged.contentType, text: await merged.metrics() };
  }
}
