/**
 * The store gate: a read/write lock over the whole store, held by requests (and due work) in shared mode,
 * and in exclusive mode by the operator actions that replace the store's contents (reset, snapshot restore,
 * id seeding). An exclusive action starts once the requests in flight have finished and runs alone;
 * requests that arrive meanwhile wait and then see its result. So no request ever sees, or writes into,
 * a half-replaced store, on either database (docs/architecture.md, "Operator actions under traffic").
 *
 * First come, first served: a waiting exclusive action holds back the shared requests behind it, so a
 * steady stream of requests cannot starve it.
 */
/** What requests use: run work holding the gate, and the epoch that tells a request the store was replaced. */
export interface Gate {
  readonly epoch: number;
  run<T>(exclusive: boolean, work: () => Promise<T>): Promise<T>;
}

export class StoreGate implements Gate {
  private readers = 0;
  private writer = false;
  private readonly waiting: Array<{ exclusive: boolean; enter: () => void }> = [];
  /**
   * Counts every start and end of an exclusive action: a request that read a different value before it
   * authenticated may have read the store before (or while) it was replaced, and must look again.
   */
  epoch = 0;

  /** Runs `work` while holding the gate, shared or exclusive. */
  run<T>(exclusive: boolean, work: () => Promise<T>): Promise<T> {
    // The usual case, a free gate, enters at once: no promise of its own before the work starts.
    if (this.waiting.length === 0 && this.free(exclusive)) {
      this.take(exclusive);
      return this.holding(exclusive, work);
    }
    return new Promise<void>((resolve) => this.waiting.push({ exclusive, enter: resolve })).then(() => this.holding(exclusive, work));
  }

  /** Runs `work`, the gate already taken, and lets it go when the work settles (or throws at once). */
  private holding<T>(exclusive: boolean, work: () => Promise<T>): Promise<T> {
    let running: Promise<T>;
    try {
      running = work();
    } catch (err) {
      this.release(exclusive);
      return Promise.reject(err);
    }
    return running.then(
      (value) => {
        this.release(exclusive);
        return value;
      },
      (err: unknown) => {
        this.release(exclusive);
        throw err;
      },
    );
  }

  private free(exclusive: boolean): boolean {
    return exclusive ? !this.writer && this.readers === 0 : !this.writer;
  }

  private take(exclusive: boolean): void {
    if (exclusive) {
      this.writer = true;
      this.epoch++;
    } else {
      this.readers++;
    }
  }

  private release(exclusive: boolean): void {
    if (exclusive) {
      this.writer = false;
      this.epoch++;
    } else {
      this.readers--;
    }
    while (this.waiting.length > 0 && this.free(this.waiting[0]!.exclusive)) {
      const next = this.waiting.shift()!;
      this.take(next.exclusive);
      next.enter();
    }
  }
}
