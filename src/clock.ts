/**
 * The one source of time. Every time the API reports or compares (created_at, token expiry, billing,
 * async transitions) comes from here. In tests the operator API moves it forward; advancing runs every
 * registered task so that whatever fell due is completed before the advance call answers.
 */
export type DueTask = (now: Date) => Promise<void> | void;

/** Where the offset is kept between runs (the store: `src/store/clock.ts`). */
export interface OffsetStore {
  load(): Promise<number>;
  save(offsetMs: number): Promise<void>;
}

const inMemory: OffsetStore = { load: async () => 0, save: async () => undefined };

export class Clock {
  private offsetMs = 0;
  private readonly tasks = new Map<string, DueTask>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private saving: Promise<void> = Promise.resolve();

  /** The offset is state like any other: it is kept in `offsets` and read back by `load()` at start. */
  constructor(private readonly offsets: OffsetStore = inMemory) {}

  async load(): Promise<void> {
    this.offsetMs = await this.offsets.load();
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

  async advance(seconds: number): Promise<Date> {
    await this.changeOffset((ms) => ms + seconds * 1000);
    await this.runDue();
    return this.now();
  }

  /** Back to real time (operator reset and snapshot restore). */
  reset(): Promise<void> {
    return this.changeOffset(() => 0);
  }

  /**
   * Changes run one at a time, each computed from the previous result, so concurrent advances add up. The
   * new offset is stored before it is used: time never moves further than a restart would resume at.
   */
  private changeOffset(change: (offsetMs: number) => number): Promise<void> {
    const next = this.saving.then(async () => {
      const offsetMs = change(this.offsetMs);
      await this.offsets.save(offsetMs);
      this.offsetMs = offsetMs;
    });
    this.saving = next.catch(() => undefined);
    return next;
  }

  /** Runs due tasks one pass at a time; concurrent callers share the queue so passes never overlap. */
  runDue(): Promise<void> {
    const next = this.running.then(async () => {
      const now = this.now();
      for (const task of this.tasks.values()) await task(now);
    });
    this.running = next.catch(() => undefined);
    return next;
  }

  /** In real use time also moves by itself: check for due work every `intervalMs`. */
  start(intervalMs: number, onError: (err: unknown) => void): void {
    if (this.timer || intervalMs <= 0) return;
    this.timer = setInterval(() => { this.runDue().catch(onError); }, intervalMs);
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
