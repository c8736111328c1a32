/**
 * What the server observes of its answers: error-path coverage (coverage.ts, docs/coverage.md) and
 * Prometheus metrics (metrics.ts, docs/metrics.md). Both are fed by the pipeline's one observer seam.
 */
import type { Answer } from '../http/observe.ts';
import type { Route } from '../http/route.ts';
import { Coverage, type CoverageCounts } from './coverage.ts';
import { ServerMetrics } from './metrics.ts';
import { observeRoutes } from './routes.ts';

export interface Observation {
  metrics: ServerMetrics;
  /** The coverage table (built on first use, once every route is in the table). */
  coverage(): Coverage;
  routes: Route[];
  observe(answer: Answer): void;
}

/** `counts`: where coverage is counted (default: this process's memory). */
export function createObservation(allRoutes: () => readonly Route[], options: { faultInjection: boolean; counts?: CoverageCounts }): Observation {
  const metrics = new ServerMetrics();
  let table: Coverage | undefined;
  const coverage = () => (table ??= new Coverage(allRoutes(), options.counts));
  return {
    metrics,
    coverage,
    routes: observeRoutes(coverage, metrics, options.faultInjection),
    observe(answer) {
      coverage().record(answer);
      metrics.record(answer);
    },
  };
}
