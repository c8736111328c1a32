/**
 * The rows of single containers and apps. Both tables share the runtime columns (`status`, `pods`,
 * `operation`, `due_at`), so one class serves both; `.with(tx)` gives the same operations in a transaction.
 */
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import { ApiError, type ErrorName } from '../../catalog/index.ts';
import type { Db, Tx } from '../../store/db.ts';
import type { Database } from '../../store/tables.ts';
import type { LegacyAppsTable, LegacyContainersTable } from '../../store/tables/legacy.ts';

type TableName = 'legacy_containers' | 'legacy_apps';
type Row<T extends TableName> = Omit<Selectable<Database[T]>, 'id'> & { id: number };
export type ContainerRow = Row<'legacy_containers'>;
export type AppRow = Row<'legacy_apps'>;

/** Operations of one table; a missing row answers `notFound` (4040002 or 4040003). */
export class LegacyRows<T extends TableName> {
  constructor(private readonly db: Db | Tx, readonly table: T, private readonly notFound: ErrorName) {}

  with(tx: Tx): LegacyRows<T> {
    return new LegacyRows(tx, this.table, this.notFound);
  }

  /** Untyped view of the same connection: the shared columns are the same in both tables. */
  private get q(): Kysely<any> {
    return this.db as unknown as Kysely<any>;
  }

  private get name(): string {
    return this.table;
  }

  private fix(row: any): Row<T> {
    return { ...row, id: Number(row.id) };
  }

  async insert(values: Omit<Insertable<Database[T]>, 'id'>): Promise<number> {
    const { id } = await this.q.insertInto(this.name).values(values as Record<string, unknown>).returning('id').executeTakeFirstOrThrow();
    return Number(id);
  }

  async find(userId: number, id: number | undefined): Promise<Row<T> | undefined> {
    if (id === undefined) return undefined;
    const row = await this.q.selectFrom(this.name).selectAll().where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
    return row && this.fix(row);
  }

  async require(userId: number, id: number | undefined): Promise<Row<T>> {
    const row = await this.find(userId, id);
    if (!row) throw new ApiError(this.notFound);
    return row;
  }

  async byId(id: number): Promise<Row<T> | undefined> {
    const row = await this.q.selectFrom(this.name).selectAll().where('id', '=', id).executeTakeFirst();
    return row && this.fix(row);
  }

  async findBy(column: 'hook_id', value: string): Promise<Row<T> | undefined> {
    const row = await this.q.selectFrom(this.name).selectAll().where(column, '=', value).executeTakeFirst();
    return row && this.fix(row);
  }

  async nameTaken(userId: number, name: string): Promise<boolean> {
    return (await this.q.selectFrom(this.name).select('id').where('user_id', '=', userId).where('name', '=', name).executeTakeFirst()) !== undefined;
  }

  /** Newest first. */
  async list(userId: number, limit: number, offset: number): Promise<{ total: number; rows: Row<T>[] }> {
    const total = await this.count(userId);
    const rows = await this.q.selectFrom(this.name).selectAll().where('user_id', '=', userId).orderBy('id', 'desc').limit(limit).offset(offset).execute();
    return { total, rows: rows.map((r) => this.fix(r)) };
  }

  /** How many rows the user has (optionally only those matching `column` = `value`, or with `column` set). */
  async count(userId: number, column?: string, value?: number | 'not null'): Promise<number> {
    let q = this.q.selectFrom(this.name).select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', userId);
    if (column) q = value === 'not null' ? q.where(column, 'is not', null) : q.where(column, '=', value);
    return Number((await q.executeTakeFirstOrThrow()).n);
  }

  /** The sum of `replicas` over the user's rows (app replica quota). */
  async sumReplicas(userId: number): Promise<number> {
    const { n } = await this.q.selectFrom(this.name).select((eb) => eb.fn.coalesce(eb.fn.sum('replicas'), eb.lit(0)).as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow();
    return Number(n);
  }

  async update(id: number, values: Updateable<Database[T]>): Promise<void> {
    await this.q.updateTable(this.name).set(values as Record<string, unknown>).where('id', '=', id).execute();
  }

  async remove(id: number): Promise<void> {
    await this.q.deleteFrom(this.name).where('id', '=', id).execute();
  }

  /** Rows whose operation fell due (everyone's, or one user's before a read), oldest first, bounded. */
  async due(nowIso: string, userId?: number): Promise<Row<T>[]> {
    let q = this.q.selectFrom(this.name).selectAll().where('due_at', 'is not', null).where('due_at', '<=', nowIso);
    if (userId !== undefined) q = q.where('user_id', '=', userId);
    return (await q.orderBy('due_at').limit(1000).execute()).map((r) => this.fix(r));
  }

  /** Completes the operation due at `dueAt` (only that one: a concurrent completion changes nothing). */
  async complete(id: number, dueAt: string, values: Updateable<Database[T]>): Promise<boolean> {
    const r = await this.q.updateTable(this.name).set({ ...(values as Record<string, unknown>), operation: null, due_at: null })
      .where('id', '=', id).where('due_at', '=', dueAt).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}

export type { LegacyAppsTable, LegacyContainersTable };
