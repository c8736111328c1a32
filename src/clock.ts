/**
 * The one source of time. Every time the API reports or compares (created_at, token expiry, billing,
 * async transitions) comes from here. In tests the operator API moves it forward; advancing runs every
 * registered task so that whatever fell due is completed before the advance call answers.
 */
export type DueTask = (now: Date) => Promise<void> | void;

/** The latest time the clock can show: later years need more than the four digits of core.md §3's format. */
export const LATEST_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59);
/** The most one `POST /_opencomb/clock` may move the clock: ten years (docs/operator.md). */
export const MAX_ADVANCE_SECONDS = 315_360_000;

/** An advance that would leave the clock without a valid time; the clock stays where it was. */
export class TimeOutOfRange extends RangeError {}

/** Where the offset is kept between runs and shared by replicas (the store: `src/store/clock.ts`). */
export interface OffsetStore {
  load(): Promise<number>;
  /** Reads, changes and stores the offset atomically; answers the stored value. */
  change(next: (offsetMs: number) => number): Promise<number>;
}

function inMemory(): OffsetStore {
  let offsetMs = 0;
  return { load: async () => offsetMs, change: async (next) => (offsetMs = next(offsetMs)) };
}

/** How a clock meets the other replicas on the same store (app.ts; nothing to do for one process). */
export interface ClockPeers {
  /** Tells every replica the offset changed; each reloads it before this resolves. */
  announce(): Promise<void>;
  /**
   * Runs one pass of due work while no other replica runs one (`wait: false`: skip the pass when another
   * replica is running one; it settles the same items).
   */
  claim(wait: boolean, pass: () => Promise<void>): Promise<void>;
}

/** One process: nobody to tell, nobody to wait for. */
export const alone: ClockPeers = { announce: async () => undefined, claim: (_wait, pass) => pass() };

export class Clock {
  private offsetMs = 0;
  private readonly tasks = new Map<string, DueTask>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private saving: Promise<void> = Promise.resolve();

  /** The offset is state like any other: it is kept in `offsets` and read back by `load()` at start. */
  constructor(private readonly offsets: OffsetStore = inMemory(), private peers: ClockPeers = alone) {}

  /** Replicas: set once at assembly, before the clock runs. */
  meet(peers: ClockPeers): void {
    this.peers = peers;
  }

  /** Reads the stored offset (at start; replicas: whenever another replica changed it). In line with changes. */
  load(): Promise<void> {
    const next = this.saving.then(async () => {
      this.offsetMs = await this.offsets.load();
    });
    this.saving = next.catch(() => undefined);
    return next;
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** UTC, ISO 8601, whole seconds, `Z` suffix (core.md §3). */
  iso(date: Date = this.now()): string {
    return formatIso(date);
  }

  /** Registers work that must run whenever time moves (transitions, billing). Names keep it idempotent. */
  onDue(name: string, task: DueTask): void {
    this.tasks.set(name, task);
  }

  /** Moves the clock; refused (TimeOutOfRange, nothing moved) when the new time would not be a valid one. */
  async advance(seconds: number): Promise<Date> {
    await this.changeOffset((ms) => {
      const offsetMs = ms + seconds * 1000;
      if (!Number.isFinite(offsetMs) || !(Date.now() + offsetMs <= LATEST_TIME_MS)) throw new TimeOutOfRange(`cannot advance the clock by ${seconds} s`);
      return offsetMs;
    });
    await this.runDue(true);
    return this.now();
  }

  /** Back to real time (operator reset and snapshot restore). */
  reset(): Promise<void> {
    return this.changeOffset(() => 0);
  }

  /**
   * Changes run one at a time, each computed from the stored offset, so concurrent advances add up (on
   * every replica). The new offset is stored before it is used: time never moves further than a restart
   * would resume at. The other replicas reload it before the change resolves; if they cannot be told (Redis
   * down), each reloads it on its next tick (`refreshing` in `start`).
   */
  private async changeOffset(change: (offsetMs: number) => number): Promise<void> {
    const next = this.saving.then(async () => {
      this.offsetMs = await this.offsets.change(change);
    });
    this.saving = next.catch(() => undefined);
    await next;
    await this.peers.announce();
  }

  /**
   * Runs due tasks one pass at a time; concurrent callers share the queue so passes never overlap, nor
   * (through `claim`) do passes of other replicas. `wait: false` skips the pass when another replica runs one.
   */
  runDue(wait = true): Promise<void> {
    const next = this.running.then(() => this.peers.claim(wait, async () => {
      const now = this.now();
      for (const task of this.tasks.values()) await task(now);
    }));
    this.running = next.catch(() => undefined);
    return next;
  }

  /**
   * In real use time also moves by itself: check for due work every `intervalMs` (each pass inside `around`).
   * `refreshing`: reload the offset first (replicas: a change whose announcement was lost is caught up here).
   */
  start(intervalMs: number, onError: (err: unknown) => void, around: (run: () => Promise<void>) => Promise<void> = (run) => run(), refreshing = false): void {
    if (this.timer || intervalMs <= 0) return;
    const tick = async () => {
      if (refreshing) await this.load();
      await this.runDue(false);
    };
    this.timer = setInterval(() => { around(tick).catch(onError); }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

export function formatIso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
