/**
 * `GET /metrics` (docs/metrics.md): Prometheus metrics of one server — answers by route template, method,
 * status and code; latencies; rate-limit refusals; store query durations; due work; and the process's own
 * metrics. Every label takes values from a fixed set (route templates, catalog codes), never from the
 * request itself, so the number of series stays bounded.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Answer } from '../http/observe.ts';
import type { DueTask } from '../clock.ts';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);
const RATE_LIMITED = 4030001;

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

  private readonly requests = new Counter({
    name: 'opencomb_http_requests_total', help: 'Answers by route template, method, status and catalog code ("" for a success); injected: produced by fault injection',
    labelNames: ['route', 'method', 'status', 'code', 'injected'] as const, registers: [this.registry],
  });

  private readonly duration = new Histogram({
    name: 'opencomb_http_request_duration_seconds', help: 'Time from the request to its answer, by route template and method',
    labelNames: ['route', 'method'] as const, buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly refusals = new Counter({
    name: 'opencomb_rate_limit_refusals_total', help: 'Requests refused by a rate limit (4030001, injected ones not counted), by route template',
    labelNames: ['route'] as const, registers: [this.registry],
  });

  private readonly queries = new Histogram({
    name: 'opencomb_store_query_duration_seconds', help: 'Store queries, by kind (select, insert, update, delete, raw, other)',
    labelNames: ['kind'] as const, buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
    registers: [this.registry],
  });

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

  record(answer: Answer): void {
    const route = answer.route?.path ?? '';
    const method = METHODS.has(answer.method) ? answer.method : 'other';
    this.requests.inc({ route, method, status: answer.status, code: answer.code ?? '', injected: String(answer.injected) });
    this.duration.observe({ route, method }, answer.durationMs / 1000);
    if (answer.code === RATE_LIMITED && !answer.injected) this.refusals.inc({ route });
  }

  query(kind: string, ms: number): void {
    this.queries.observe({ kind }, ms / 1000);
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
