import { randomBytes, randomInt } from 'node:crypto';
import type { Operation, Outcome, Pod, Runtime, ServiceTemplate } from './runtime.ts';
import { simulatedSamples, type MetricName, type Sample } from './metrics.ts';

export interface SimulatedOptions {
  /** How long a busy status lasts (microservices.md §2.7 default: 2 seconds). */
  busySeconds: number;
}

/**
 * The default runtime: no orchestrator. Every operation completes with success `busySeconds` after it
 * was submitted (plus `min_ready_seconds` between replica replacements of a rolling update), on the
 * server clock, and pods change exactly as microservices.md §2.6 describes.
 */
export class SimulatedRuntime implements Runtime {
  readonly name = 'simulated';
  constructor(private readonly opts: SimulatedOptions = { busySeconds: 2 }) {}

  async submit(template: ServiceTemplate, op: Operation, now: Date): Promise<{ dueAt: Date }> {
    let seconds = this.opts.busySeconds;
    // A rolling update waits min_ready_seconds after each new pod except the last one.
    if (op.kind === 'update' && op.rollout && op.minReadySeconds) seconds += op.minReadySeconds * Math.max(template.replicas - 1, 0);
    return { dueAt: new Date(now.getTime() + seconds * 1000) };
  }

  async observe(template: ServiceTemplate, op: Operation, pods: Pod[], dueAt: Date, now: Date): Promise<Outcome | undefined> {
    if (now.getTime() < dueAt.getTime()) return undefined;
    const hash = templateHash(template);
    const fresh = () => newPod(template, hash, randomLanIp());
    switch (op.kind) {
      case 'create':
        return { ok: true, pods: Array.from({ length: template.replicas }, fresh) };
      case 'update':
        return { ok: true, pods: op.rollout ? pods.map(fresh) : pods };
      case 'scale':
        return { ok: true, pods: op.to >= pods.length ? [...pods, ...Array.from({ length: op.to - pods.length }, fresh)] : pods.slice(0, op.to) };
      case 'restart':
        // hard_reboot re-creates the pod (same hash, new suffix, new runtime ids) but keeps its LAN IP.
        return { ok: true, pods: op.hard ? pods.map((p) => newPod(template, hash, p.lanIp)) : pods };
      case 'restart-container':
        return { ok: true, pods };
    }
  }

  /** Simulated pods run whenever no operation replaces them, and operations are refused while busy. */
  async isRunning(): Promise<boolean> {
    return true;
  }

  async setStopped(): Promise<void> {}
  async remove(): Promise<void> {}

  /** A deterministic series per container and metric (metrics.ts). */
  async samples(dockerId: string, metric: MetricName, from: Date, to: Date, since: Date): Promise<Sample[]> {
    return simulatedSamples(dockerId, metric, from.getTime(), to.getTime(), since.getTime());
  }
}

const SUFFIX = 'abcdefghijklmnopqrstuvwxyz0123456789';

function newPod(t: ServiceTemplate, hash: number, lanIp: string): Pod {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += SUFFIX[randomInt(SUFFIX.length)];
  return {
    name: `${t.serviceName}-${t.serviceId}-${hash}-${suffix}`,
    lanIp,
    dockerIds: t.containers.map(() => randomBytes(32).toString('hex')),
  };
}

function randomLanIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${1 + randomInt(254)}`;
}

/** FNV-1a 32-bit over the pod template (spec and, per container, image, command, envs, log dirs, weights). */
export function templateHash(t: ServiceTemplate): number {
  const text = JSON.stringify([t.specAlias, t.containers.map((c) => [c.image, c.command, c.envs, c.logDirs, c.cpuWeight, c.memoryWeight])]);
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h === 0 ? 1 : h; // a decimal without leading zeros (microservices.md §2.6)
}
