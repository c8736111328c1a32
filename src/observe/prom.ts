/**
 * The parts of prom-client the metrics use, each loaded on its own. The package's index also loads its push
 * gateway (node:https, node:zlib) and its cluster aggregation (node:cluster), which opencomb does not use
 * and which cost a tenth of a cold start (docs/architecture.md "Performance"). Typed as the package's own.
 */
import type * as PromClient from 'prom-client';
import collectDefaultMetricsModule from 'prom-client/lib/defaultMetrics.js';
import GaugeModule from 'prom-client/lib/gauge.js';
import HistogramModule from 'prom-client/lib/histogram.js';
import RegistryModule from 'prom-client/lib/registry.js';

export const Registry = RegistryModule as typeof PromClient.Registry;
export const Gauge = GaugeModule as typeof PromClient.Gauge;
export const Histogram = HistogramModule as typeof PromClient.Histogram;
export const collectDefaultMetrics = collectDefaultMetricsModule as typeof PromClient.collectDefaultMetrics;
export type Registry = PromClient.Registry;
export type Metric = PromClient.Metric;
