/**
 * Rows that concurrent requests insert into one table, written together: every row added before the event
 * loop's next turn goes into one multi-row INSERT, so one commit (one WAL append on SQLite, one flush on
 * PostgreSQL) serves them all instead of one each. A single statement is atomic, so a batch is stored
 * whole or not at all: each adder's promise resolves once its row is committed, and fails with the rest of
 * its batch if the statement fails (a failed request changes no state). The request that added a row
 * awaits it like any other write, so it is answered only after the commit, and after the disk flush that
 * the pipeline awaits (`Store.durable()`).
 *
 * Used where one request writes one small row and many arrive at once: token issue (identity/store.ts).
 */
import { outsideRequests } from '../http/deadline.ts';

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

export class InsertBatch<Row> {
  private rows: Row[] = [];
  private waiters: Waiter[] = [];

  /** `write` stores the rows, in one statement. */
  constructor(private readonly write: (rows: Row[]) => Promise<unknown>) {}

  add(row: Row): Promise<void> {
    // The batch is no single request's: its statement runs outside every request's deadline scope, so one
    // late request cannot fail the others' rows.
    if (this.rows.length === 0) outsideRequests(() => setImmediate(() => void this.flush()));
    this.rows.push(row);
    return new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private async flush(): Promise<void> {
    const rows = this.rows;
    const waiters = this.waiters;
    this.rows = [];
    this.waiters = [];
    try {
      await this.write(rows);
    } catch (err) {
      for (const w of waiters) w.reject(err);
      return;
    }
    for (const w of waiters) w.resolve();
  }
}
