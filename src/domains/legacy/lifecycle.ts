/**
 * Containers and app replicas run on the same runtime interface as microservices (src/runtime/): a
 * container is a one-replica service, an app a service of `replicas` identical pods. Routes hand one
 * operation at a time to the runtime and record it (`operation`, `due_at`); the due task and every read
 * complete the operations the runtime reports finished, then the app's watchers are woken.
 */
import { randomInt } from 'node:crypto';
import { formatIso } from '../../clock.ts';
import type { Operation, Pod, Runtime, ServiceTemplate } from '../../runtime/runtime.ts';
import { SimulatedRuntime } from '../../runtime/simulated.ts';
import type { Services } from '../../services.ts';
import { ChangeFeed } from './feed.ts';
import { phaseOf } from './rules.ts';
import { LegacyRows, type AppRow, type ContainerRow } from './store.ts';

/** Overview: transitions finish after a short delay (default 1 s), on the server clock. */
export const BUSY_SECONDS = 1;

export class Legacy {
  runtime: Runtime = new SimulatedRuntime({ busySeconds: BUSY_SECONDS });
  readonly feed = new ChangeFeed();
  readonly containers: LegacyRows<'legacy_containers'>;
  readonly apps: LegacyRows<'legacy_apps'>;

  constructor(readonly services: Services) {
    this.containers = new LegacyRows(services.store.db, 'legacy_containers', 'NO_SUCH_CONTAINER');
    this.apps = new LegacyRows(services.store.db, 'legacy_apps', 'NO_SUCH_APP');
    services.bus.on('legacy-app-changed', (appId) => this.feed.publish(appId as number));
  }

  /**
   * The app's members changed: its watchers are answered, on every replica (the bus; in place, at once,
   * for one process). Not awaited: the change is committed, and a watcher also wakes at its deadline.
   */
  changed(appId: number): void {
    this.services.bus.broadcast('legacy-app-changed', appId).catch((err: unknown) => this.services.log.warn({ err, appId }, 'could not wake the watchers of an app'));
  }

  containerTemplate(row: ContainerRow): ServiceTemplate {
    return template(row, `legacy-containers-${row.user_id}`, 1, []);
  }

  appTemplate(row: AppRow): ServiceTemplate {
    const logDirs = (JSON.parse(row.volumes) as Array<{ mount_path: string }>).map((v) => v.mount_path);
    return template(row, `legacy-apps-${row.user_id}`, row.replicas, logDirs);
  }

  /** Hands `op` to the runtime; the columns that record it. Throws when the runtime refuses. */
  async submit(t: ServiceTemplate, op: Operation): Promise<{ status: string; operation: string; due_at: string }> {
    const { dueAt } = await this.runtime.submit(t, op, this.services.clock.now());
    return { status: phaseOf(op).busy, operation: JSON.stringify(op), due_at: dueAt.toISOString() };
  }

  /** Completes every due operation (all users, or one user's before a read). */
  async settle(now: Date, userId?: number): Promise<void> {
    const at = now.toISOString();
    for (const row of await this.containers.due(at, userId)) await this.settleOne(this.containers, row, this.containerTemplate(row), now);
    for (const row of await this.apps.due(at, userId)) {
      if (await this.settleOne(this.apps, row, this.appTemplate(row), now)) this.changed(row.id);
    }
  }

  private async settleOne(rows: LegacyRows<any>, row: ContainerRow | AppRow, t: ServiceTemplate, now: Date): Promise<boolean> {
    const op = JSON.parse(row.operation!) as Operation;
    const before = JSON.parse(row.pods) as Pod[];
    const outcome = await this.runtime.observe(t, op, before, new Date(Date.parse(row.due_at!)), now);
    if (!outcome) return false;
    const created = op.kind === 'create' && outcome.ok;
    // A container with public network, or an app with a domain (its own load balancer), gets its public IP
    // when it is created.
    const wantsIp = 'use_public_network' in row ? row.use_public_network === 1 : row.domain !== null;
    const publicIp = created && wantsIp && !row.public_ip ? randomPublicIp() : undefined;
    return rows.complete(row.id, row.due_at!, {
      status: `${phaseOf(op).done}_${outcome.ok ? 'succ' : 'fail'}`,
      pods: JSON.stringify(outcome.pods),
      updated_at: formatIso(new Date(Math.min(now.getTime(), Date.parse(row.due_at!)))),
      ...(publicIp && { public_ip: publicIp }),
    });
  }
}

function template(row: ContainerRow | AppRow, namespace: string, replicas: number, logDirs: string[]): ServiceTemplate {
  const sshKeys = 'ssh_key_ids' in row ? (JSON.parse(row.ssh_key_ids) as number[]).map(String) : [];
  return {
    serviceId: row.id, serviceName: row.name.toLowerCase(), namespace, stateful: replicas === 1 && 'ssh_key_ids' in row, replicas,
    specAlias: `spec-${row.spec_id}`, portMaps: [],
    containers: [{
      containerId: row.id, name: row.name.toLowerCase(), image: row.image_path, command: null,
      envs: Object.entries(JSON.parse(row.env_var) as Record<string, string>).map(([key, value]) => ({ key, value })),
      logDirs, cpuWeight: 100, memoryWeight: 100, sshKeys, volumes: [],
    }],
  };
}

/** Member containers as the API shows them: 64-hex Docker id and private IP. */
export function members(row: { pods: string }): Array<{ private_ip: string; container_id: string }> {
  return (JSON.parse(row.pods) as Pod[]).map((p) => ({ private_ip: p.lanIp, container_id: p.dockerIds[0]! }));
}

function randomPublicIp(): string {
  return `59.111.${randomInt(256)}.${1 + randomInt(254)}`;
}
