/**
 * The store gate over replicas. Shared use (every request) stays local and costs nothing more. An exclusive
 * action (reset, snapshot restore, id seeding) must also keep the other replicas' requests out of the store:
 * 1. one exclusive action at a time over the deployment (a Redis lock, with an expiry in case its holder dies);
 * 2. `gate-hold` over the bus: every other replica takes its own gate exclusively — once its requests in
 *    flight have finished — and answers; requests arriving there meanwhile wait, as they do locally;
 * 3. the action runs under this replica's own gate, then `gate-release` lets every replica go on.
 * A replica holds for at most MAX_HOLD_MS, so one whose initiator died does not stay closed.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Gate, StoreGate } from '../http/gate.ts';
import type { RedisBus } from './bus.ts';

/** How long replicas may take to let their requests in flight finish (the handler deadline and its grace). */
const HOLD_ANSWER_MS = 65_000;
/** The longest a replica stays closed for another replica's exclusive action. */
const MAX_HOLD_MS = 120_000;
const RELEASE_IF_OURS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export class ClusterGate implements Gate {
  private readonly holds = new Map<string, () => void>();
  private readonly releasedEarly = new Set<string>();
  private readonly lockKey: string;

  constructor(private readonly local: StoreGate, private readonly bus: RedisBus, private readonly redis: Redis, prefix: string, private readonly log: Logger) {
    this.lockKey = `${prefix}gate`;
    bus.on('gate-hold', (payload) => this.hold(payload as { id: string; from: string }));
    bus.on('gate-release', (payload) => this.release((payload as { id: string }).id));
  }

  get epoch(): number {
    return this.local.epoch;
  }

  run<T>(exclusive: boolean, work: () => Promise<T>): Promise<T> {
    return exclusive ? this.exclusive(work) : this.local.run(false, work);
  }

  private async exclusive<T>(work: () => Promise<T>): Promise<T> {
    const owner = randomUUID();
    while ((await this.redis.set(this.lockKey, owner, 'PX', MAX_HOLD_MS, 'NX')) !== 'OK') await new Promise((r) => setTimeout(r, 20));
    const id = randomUUID();
    try {
      await this.bus.broadcast('gate-hold', { id, from: this.bus.replicaId }, HOLD_ANSWER_MS);
      return await this.local.run(true, work);
    } finally {
      await this.bus.broadcast('gate-release', { id }).catch((err: unknown) => this.log.warn({ err }, 'could not reopen the other replicas\' store gates (they reopen by themselves)'));
      await this.redis.eval(RELEASE_IF_OURS, 1, this.lockKey, owner).catch(() => undefined);
    }
  }

  /** Another replica's exclusive action: resolves (answers) once this replica's gate is held for it. */
  private hold({ id, from }: { id: string; from: string }): Promise<void> {
    if (from === this.bus.replicaId) return Promise.resolve();
    return new Promise<void>((held) => {
      void this.local.run(true, () => new Promise<void>((reopen) => {
        held();
        if (this.releasedEarly.delete(id)) return reopen();
        const timer = setTimeout(() => this.release(id), MAX_HOLD_MS);
        timer.unref();
        this.holds.set(id, () => {
          clearTimeout(timer);
          reopen();
        });
      }));
    });
  }

  private release(id: string): void {
    const reopen = this.holds.get(id);
    if (!reopen) {
      this.releasedEarly.add(id);
      return;
    }
    this.holds.delete(id);
    reopen();
  }
}
