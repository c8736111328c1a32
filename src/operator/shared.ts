/**
 * Operator state for replicas (`--redis`, docs/deploy.md): fault rules and snapshots live in Redis, so a
 * rule installed or a snapshot taken through one replica is in force on, and restorable from, every one.
 *
 * Fault rules: each replica keeps a copy to match requests against, reloaded over the bus whenever a rule is
 * added or removed (before that call answers). A rule's remaining count is a Redis counter: every replica
 * takes from the same count, so `count: 3` answers three requests over the whole deployment.
 */
import type { Redis } from 'ioredis';
import { byCode, type ErrorName } from '../catalog/index.ts';
import type { Bus } from '../cluster/bus.ts';
import { globToRegExp, type FaultBook, type FaultRule } from './faults.ts';
import { SNAPSHOT_LIMITS, type Shelf, type Snapshot } from './state.ts';

export class SharedFaultRules implements FaultBook {
  private rules: Array<FaultRule & { matcher: RegExp }> = [];
  private loaded: Promise<void>;

  constructor(private readonly redis: Redis, private readonly prefix: string, private readonly bus: Bus, private readonly random: () => number = Math.random) {
    bus.on('faults', () => this.reload());
    this.loaded = this.reload().catch(() => undefined);
  }

  private get key() {
    return `${this.prefix}faults`;
  }
  private left(id: number) {
    return `${this.prefix}faults:left:${id}`;
  }

  async add(rule: Omit<FaultRule, 'id'>): Promise<FaultRule> {
    const id = await this.redis.incr(`${this.key}:next`);
    const stored = { id, ...rule };
    const write = this.redis.multi().hset(this.key, String(id), JSON.stringify(stored));
    if (rule.count !== null) write.set(this.left(id), rule.count);
    await write.exec();
    await this.bus.broadcast('faults');
    return stored;
  }

  /** The rules as stored, each with what is left of its count. */
  async list(): Promise<FaultRule[]> {
    const rules = await this.read();
    const counted = rules.filter((r) => r.count !== null);
    const left = counted.length ? await this.redis.mget(...counted.map((r) => this.left(r.id))) : [];
    counted.forEach((r, i) => { r.count = Math.max(0, Number(left[i] ?? 0)); });
    return rules.filter((r) => r.count === null || r.count > 0);
  }

  async delete(id: number): Promise<boolean> {
    const [[, removed] = []] = (await this.redis.multi().hdel(this.key, String(id)).del(this.left(id)).exec()) ?? [];
    await this.bus.broadcast('faults');
    return removed === 1;
  }

  async clear(): Promise<void> {
    const rules = await this.read();
    await this.redis.del(this.key, `${this.key}:next`, ...rules.map((r) => this.left(r.id)));
    await this.bus.broadcast('faults');
  }

  async match(method: string, path: string): Promise<ErrorName | undefined> {
    await this.loaded;
    for (const rule of this.rules) {
      if (rule.method !== '*' && rule.method !== method) continue;
      if (!rule.matcher.test(path)) continue;
      if (rule.probability < 1 && this.random() >= rule.probability) continue;
      if (rule.count !== null) {
        const left = await this.redis.decr(this.left(rule.id));
        if (left < 0) continue; // used up on another replica meanwhile
        if (left === 0) void this.delete(rule.id).catch(() => undefined);
      }
      return byCode(rule.code)!.name;
    }
    return undefined;
  }

  private async read(): Promise<FaultRule[]> {
    const stored = await this.redis.hvals(this.key);
    return stored.map((text) => JSON.parse(text) as FaultRule).sort((a, b) => a.id - b.id);
  }

  private async reload(): Promise<void> {
    this.rules = (await this.read()).map((r) => ({ ...r, matcher: globToRegExp(r.path) }));
  }
}

/**
 * Snapshots in Redis, each as its JSON text, within the same limits as one server's (SNAPSHOT_LIMITS: the
 * count and the bytes of the whole deployment). One more is refused, nothing is evicted.
 */
export class SharedSnapshotShelf implements Shelf {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  private get key() {
    return `${this.prefix}snapshots`;
  }

  async add(snapshot: Snapshot): Promise<number | undefined> {
    const text = JSON.stringify(snapshot);
    const size = Buffer.byteLength(text);
    // Checked, then reserved atomically: two snapshots taken at once cannot both squeeze into the last room.
    const reserved = await this.redis.eval(RESERVE, 2, `${this.key}:count`, `${this.key}:bytes`, SNAPSHOT_LIMITS.count, SNAPSHOT_LIMITS.bytes, size) as number;
    if (reserved === 0) return undefined;
    const id = await this.redis.incr(`${this.key}:next`);
    await this.redis.hset(this.key, String(id), text);
    return id;
  }

  async get(id: number): Promise<Snapshot | undefined> {
    const text = await this.redis.hget(this.key, String(id));
    return text === null ? undefined : JSON.parse(text) as Snapshot;
  }

  async delete(id: number): Promise<boolean> {
    const size = await this.redis.hstrlen(this.key, String(id));
    if ((await this.redis.hdel(this.key, String(id))) === 0) return false;
    await this.redis.multi().decr(`${this.key}:count`).decrby(`${this.key}:bytes`, size).exec();
    return true;
  }
}

const RESERVE = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local bytes = tonumber(redis.call('GET', KEYS[2]) or '0')
if count >= tonumber(ARGV[1]) or bytes + tonumber(ARGV[3]) > tonumber(ARGV[2]) then return 0 end
redis.call('INCR', KEYS[1])
redis.call('INCRBY', KEYS[2], ARGV[3])
return 1`;
