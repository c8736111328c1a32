/**
 * The change feed behind `GET /api/v1/watch/apps/{id}`: one in-memory map from app id to the requests
 * waiting on it. Whatever changes an app's members publishes the app's id once and every waiter of that
 * app is answered; waiters that reach their deadline are released by the module's due task, which the
 * clock already runs (every second in real use, on every advance in tests). A waiter costs one map entry:
 * no timer, no database poll.
 */
export type WakeReason = 'changed' | 'timeout' | 'cancelled';

interface Waiter {
  deadline: number;
  wake(reason: WakeReason): void;
}

export class ChangeFeed {
  private readonly waiting = new Map<number, Set<Waiter>>();

  /** Waits for the next change of `appId`, or until the server clock reaches `deadline` (epoch ms). */
  wait(appId: number, deadline: number): { done: Promise<WakeReason>; cancel(): void } {
    let waiter!: Waiter;
    const done = new Promise<WakeReason>((resolve) => {
      waiter = {
        deadline,
        wake: (reason) => {
          this.drop(appId, waiter);
          resolve(reason);
        },
      };
    });
    let set = this.waiting.get(appId);
    if (!set) this.waiting.set(appId, (set = new Set()));
    set.add(waiter);
    return { done, cancel: () => waiter.wake('cancelled') };
  }

  /** The app's members changed (or it was deleted): answer everyone waiting on it. */
  publish(appId: number): void {
    for (const waiter of [...(this.waiting.get(appId) ?? [])]) waiter.wake('changed');
  }

  /** Releases every waiter whose deadline has passed. */
  expire(now: number): void {
    for (const set of [...this.waiting.values()]) {
      for (const waiter of [...set]) if (waiter.deadline <= now) waiter.wake('timeout');
    }
  }

  /** The store's contents were replaced: every app may have changed. */
  publishAll(): void {
    for (const id of [...this.waiting.keys()]) this.publish(id);
  }

  /** How many requests are waiting (for the operator and tests). */
  get size(): number {
    let n = 0;
    for (const set of this.waiting.values()) n += set.size;
    return n;
  }

  private drop(appId: number, waiter: Waiter): void {
    const set = this.waiting.get(appId);
    if (!set) return;
    set.delete(waiter);
    if (set.size === 0) this.waiting.delete(appId);
  }
}
