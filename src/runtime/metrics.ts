/**
 * Container metrics as a runtime reports them: raw samples (a timestamp and a value in the metric's unit).
 * The simulated runtime has no containers to measure, so it produces a plausible series that depends only
 * on the runtime container id, the metric and the sample time: the same question at the same clock time
 * always gets the same numbers, across restarts and on either store (docs/monitoring.md).
 */

/** The 13 metric names of monitoring.md "Supported metrics". */
export const METRIC_NAMES = [
  'cpuUsage', 'memUsageRate', 'systemDiskUsageRate', 'diskReadRequest', 'diskWriteRequest', 'diskReadRate', 'diskWriteRate',
  'diskUsage', 'diskUsageRate', 'network1Transfer', 'network1Receive', 'network2Transfer', 'network2Receive',
] as const;
export type MetricName = typeof METRIC_NAMES[number];

export interface Sample {
  /** Epoch milliseconds. */
  at: number;
  value: number;
}

/** Seconds between two simulated samples (six per minute, like a 10 s scrape interval). */
export const SAMPLE_INTERVAL_SECONDS = 10;

type Kind = 'percent' | 'iops' | 'throughput' | 'bytes' | 'network';

const KIND: Record<MetricName, Kind> = {
  cpuUsage: 'percent', memUsageRate: 'percent', systemDiskUsageRate: 'percent', diskUsageRate: 'percent',
  diskReadRequest: 'iops', diskWriteRequest: 'iops', diskReadRate: 'throughput', diskWriteRate: 'throughput',
  diskUsage: 'bytes', network1Transfer: 'network', network1Receive: 'network', network2Transfer: 'network', network2Receive: 'network',
};

/** Typical level of each kind (the container's own level is drawn between 10 % and 100 % of it). */
const SCALE: Record<Kind, number> = { percent: 60, iops: 200, throughput: 4096, bytes: 8 * 1024 ** 3, network: 2048 };

/**
 * Samples of `metric` for the container `dockerId` at every multiple of the sample interval in
 * [max(from, since), to), in milliseconds. A percentage stays within 0–100; nothing goes below 0.
 */
export function simulatedSamples(dockerId: string, metric: MetricName, fromMs: number, toMs: number, sinceMs: number): Sample[] {
  const step = SAMPLE_INTERVAL_SECONDS * 1000;
  const seed = fnv1a(`${dockerId}/${metric}`);
  const kind = KIND[metric];
  const level = SCALE[kind] * (0.1 + 0.9 * unit(seed));
  const phase = 2 * Math.PI * unit(mix(seed ^ 0x9e3779b9));
  const out: Sample[] = [];
  for (let at = Math.ceil(Math.max(fromMs, sinceMs) / step) * step; at < toMs; at += step) {
    const noise = unit(mix(seed ^ Math.floor(at / step)));
    // A slow hourly swing around the container's level, plus per-sample noise.
    const wave = Math.sin(phase + (2 * Math.PI * at) / 3_600_000);
    let value = level * (1 + 0.25 * wave + 0.3 * (noise - 0.5));
    if (kind === 'bytes') value = Math.round(value);
    if (kind === 'percent') value = Math.min(100, value);
    out.push({ at, value: Math.max(0, value) });
  }
  return out;
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A 32-bit integer finalizer (murmur3 fmix32): neighbouring inputs give unrelated outputs. */
function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** [0, 1) from a 32-bit integer. */
function unit(x: number): number {
  return x / 2 ** 32;
}
