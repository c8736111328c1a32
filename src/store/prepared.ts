import type { Compilable, CompiledQuery, DialectAdapter, QueryResult, UnknownRow } from 'kysely';
import type { Insertable, Selectable } from 'kysely';
import { runEachNow, runNow, type Db, type Tx } from './db.ts';
import type { Database } from './tables.ts';

/** Stands in for the n-th argument while the query is built; never a value a caller can send (NUL). */
const slotValue = (n: number) => `\u0000slot:${n}`;

interface Compiled {
  query: CompiledQuery;
  /** For each parameter of the compiled SQL: the index of the argument it takes, or -1 (a constant). */
  slots: number[];
}

/**
 * A query built and compiled once per dialect, then run with fresh arguments. Building a Kysely query costs
 * several times what running it costs on SQLite (docs/architecture.md "Performance"), so the queries every
 * request of a hot path runs are declared this way:
 *
 *   const namespaceById = prepared((db, userId: number, id: number) =>
 *     db.selectFrom('ms_namespaces').select(['id', 'service_count']).where('user_id', '=', userId).where('id', '=', id));
 *   const rows = await namespaceById.all(this.db, userId, id);
 *
 * The builder is called once with stand-ins for its arguments; the compiled SQL's parameters are then
 * matched back to them, so an argument used twice or out of order is still bound right, and a builder that
 * computes with an argument (instead of passing it to the query as a value) is refused when it first runs.
 * Queries whose shape depends on the arguments (`in` lists, optional filters) cannot be prepared.
 * Plugins' query checks still run on every execution (the request deadline refuses late queries).
 */
export function prepared<A extends unknown[], R>(build: (db: Db, ...args: A) => Compilable<R>) {
  return preparedWith(build.length - 1, build);
}

/** `prepared` for a builder whose number of arguments is given (a rest parameter has no `length`). */
function preparedWith<A extends unknown[], R>(arity: number, build: (db: Db, ...args: A) => Compilable<R>) {
  const byDialect = new WeakMap<DialectAdapter, Compiled>();

  function compile(db: Db | Tx): Compiled {
    const stand = Array.from({ length: arity }, (_, i) => slotValue(i)) as unknown as A;
    const query = build(db as Db, ...stand).compile() as CompiledQuery;
    const slots = query.parameters.map((p) => (typeof p === 'string' && p.startsWith('\u0000slot:') ? Number(p.slice(6)) : -1));
    for (let i = 0; i < arity; i++) {
      if (!slots.includes(i)) throw new Error(`prepared query: argument ${i} is not a parameter of ${query.sql}`);
    }
    return { query, slots };
  }

  /** The query compiled for `db`'s dialect, seen by the plugins (as compiling it would have), and its binder. */
  function start(db: Db | Tx) {
    const executor = db.getExecutor();
    let compiled = byDialect.get(executor.adapter);
    if (!compiled) byDialect.set(executor.adapter, (compiled = compile(db)));
    const { query, slots } = compiled;
    // What compiling would have done each time: the plugins see the query (and may refuse it).
    executor.transformQuery(query.query, query.queryId);
    const bind = (args: A) => slots.map((slot, i) => (slot === -1 ? query.parameters[i] : args[slot]));
    return { executor, query, bind };
  }

  return {
    async all(db: Db | Tx, ...args: A): Promise<R[]> {
      const { executor, query, bind } = start(db);
      const parameters = bind(args);
      let now = runNow(db, query.sql, parameters);
      if (now) {
        // What Kysely's executor does with a result: every plugin sees it, in order (query timing).
        for (const plugin of executor.plugins) now = await plugin.transformResult({ result: now as QueryResult<UnknownRow>, queryId: query.queryId });
        return now.rows as R[];
      }
      const { rows } = await db.executeQuery<R>({ ...query, parameters } as CompiledQuery<R>);
      return rows;
    },
    /**
     * A write run once per argument list, all in one transaction (one commit for all: see
     * src/store/insert-batch.ts), or as part of `db` when that is a transaction already.
     */
    async each(db: Db | Tx, argLists: A[]): Promise<void> {
      const { query, bind } = start(db);
      const lists = argLists.map(bind);
      if (runEachNow(db, query.sql, lists)) return;
      const run = async (tx: Db | Tx) => {
        for (const args of argLists) await this.all(tx, ...args);
      };
      if (db.isTransaction) await run(db);
      else await db.transaction().execute(run);
    },
    async first(db: Db | Tx, ...args: A): Promise<R | undefined> {
      return (await this.all(db, ...args))[0];
    },
  };
}

type Table = keyof Database & string;

/**
 * An INSERT of one row into `table`, prepared (as `prepared`) from a fixed list of columns, and run with a
 * row object instead of one positional argument per column:
 *
 *   const insertCharge = preparedInsert('charges', ['user_id', 'kind', 'amount', 'created_at']);
 *   await insertCharge.run(tx, { user_id: 1, kind: 'ip', amount: 0.5, created_at: now });
 *   const [{ id }] = await insertMeter.run(tx, row); // declared with `returning: ['id']`
 *
 * Every listed column is written (the statement is the same for every row): a value left `undefined` is
 * stored as NULL, where Kysely would leave the column out and let its default apply. Rows of several at once
 * are several runs (a multi-row INSERT changes shape with the number of rows, so it cannot be prepared).
 */
export function preparedInsert<T extends Table, C extends keyof Insertable<Database[T]> & string, K extends keyof Selectable<Database[T]> & string = never>(
  table: T, columns: readonly C[], options: { returning?: readonly K[] } = {},
) {
  const query = preparedWith(columns.length, (db, ...values: unknown[]) => {
    // Generic over the table, so Kysely's per-table types cannot follow: the column list is typed instead.
    const insert = db.insertInto(table).values(Object.fromEntries(columns.map((c, i) => [c, values[i]])) as never);
    return options.returning?.length ? insert.returning(options.returning as never) : insert;
  });
  return {
    async run(db: Db | Tx, row: { [P in C]: Insertable<Database[T]>[P] }): Promise<Array<Pick<Selectable<Database[T]>, K>>> {
      const values = columns.map((c) => (row[c] === undefined ? null : row[c]));
      return (await query.all(db, ...values)) as unknown as Array<Pick<Selectable<Database[T]>, K>>;
    },
  };
}
