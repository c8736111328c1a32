/**
 * The one source of time. Every time the API reports or compares (created_at, token expiry, billing,
 * async transitions) comes from here. In tests the operator API moves it forward; advancing runs every
 * registered task so that whatever fell due is completed before the advance call answers.
 */
export type DueTask = (now: Date) => Promise<void> | void;

export class Clock {
  private offsetMs = 0;
  private readonly tasks = new Map<string, DueTask>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

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
    this.offsetMs += seconds * 1000;
    await this.runDue();
    return this.now();
  }

  reset(): void {
    this.offsetMs = 0;
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

  /** In real use time also moves by itself: check for due work every `intervalMs` (each pass inside `around`). */
  start(intervalMs: number, onError: (err: unknown) => void, around: (run: () => Promise<void>) => Promise<void> = (run) => run()): void {
    if (this.timer || intervalMs <= 0) return;
    this.timer = setInterval(() => { around(() => this.runDue()).catch(onError); }, intervalMs);
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
