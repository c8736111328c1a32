/** Every query of the RDS domain. Rows below an instance are reached through the caller's instance. */
import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import { ApiError } from '../../catalog/index.ts';
import type { Db, Tx } from '../../store/db.ts';
import type { ChargeType, InstanceStatus, Privilege, RdsInstancesTable, SnapshotStatus } from '../../store/tables/rds.ts';

export type InstanceRow = Omit<RdsInstancesTable, 'id'> & { id: number };
export interface AccountRow { id: number; name: string; ip_list: string }
export interface GrantRow { account_name: string; database_name: string; privilege: Privilege; ip_list: string }

export interface NewInstance {
  name: string;
  engine_version: string;
  cpu: number;
  memory: number;
  disk_size: number;
  port: number;
  charge_type: ChargeType;
  order_confirmed: boolean;
  status: InstanceStatus;
  now: string;
  readyAt: string | null;
}

/** The RDS tables. Pass a transaction with `.with(tx)` to run the same operations inside it. */
export class RdsStore {
  constructor(private readonly db: Db | Tx) {}

  with(tx: Tx): RdsStore {
    return new RdsStore(tx);
  }

  /**
   * Completes what fell due: `creating → available`, `backuping → available`, and removes `deleting`
   * instances (with what they hold). Run by the `rds` due task and, so that a read never shows a stale
   * state between ticks, for the caller before every request (then only the caller's rows are touched).
   */
  async settle(nowIso: string, userId?: number): Promise<void> {
    let ready = this.db.updateTable('rds_instances').set({ status: 'available' as InstanceStatus })
      .where('status', '=', 'creating').where('ready_at', 'is not', null).where('ready_at', '<=', nowIso);
    let owned = this.db.selectFrom('rds_instances').select('id');
    let gone = this.db.deleteFrom('rds_instances').where('status', '=', 'deleting').where('gone_at', '<=', nowIso);
    if (userId !== undefined) {
      ready = ready.where('user_id', '=', userId);
      owned = owned.where('user_id', '=', userId);
      gone = gone.where('user_id', '=', userId);
    }
    await ready.execute();
    await this.db.updateTable('rds_snapshots').set({ status: 'available' as SnapshotStatus })
      .where('status', '=', 'backuping').where('ready_at', '<=', nowIso).where('instance_id', 'in', owned).execute();
    await gone.execute();
  }

  /** Whether anything fell due (the due task skips the writes otherwise). */
  async hasDueWork(nowIso: string): Promise<boolean> {
    const instance = await this.db.selectFrom('rds_instances').select('id').where((eb) => eb.or([
      eb.and([eb('status', '=', 'creating'), eb('ready_at', 'is not', null), eb('ready_at', '<=', nowIso)]),
      eb.and([eb('status', '=', 'deleting'), eb('gone_at', '<=', nowIso)]),
    ])).limit(1).executeTakeFirst();
    if (instance) return true;
    return (await this.db.selectFrom('rds_snapshots').select('id').where('status', '=', 'backuping').where('ready_at', '<=', nowIso).limit(1).executeTakeFirst()) !== undefined;
  }

  // Instances

  async findInstance(userId: number, name: string): Promise<InstanceRow | undefined> {
    const rows = await this.db.selectFrom('rds_instances').selectAll().where('user_id', '=', userId).where('name', '=', name).limit(2).execute();
    // The internal-consistency guard of rds.md step 5 (unreachable while the unique constraint holds).
    if (rows.length > 1) throw new ApiError('RDS_DBINSTANCE_DUPLICATE');
    return rows[0] && { ...rows[0], id: Number(rows[0].id) };
  }

  /** The caller's instance or 4040801. */
  async requireInstance(userId: number, name: string): Promise<InstanceRow> {
    const row = await this.findInstance(userId, name);
    if (!row) throw new ApiError('RDS_DBINSTANCE_NOT_FOUND');
    return row;
  }

  async listInstances(userId: number): Promise<InstanceRow[]> {
    const rows = await this.db.selectFrom('rds_instances').selectAll().where('user_id', '=', userId).orderBy('id').execute();
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }

  async instanceUsage(userId: number): Promise<{ count: number; disk: number; memory: number; cpu: number }> {
    const r = await this.db.selectFrom('rds_instances').select((eb) => [
      eb.fn.countAll<string | number>().as('count'),
      eb.fn.coalesce(eb.fn.sum<string | number>('disk_size'), sql<number>`0`).as('disk'),
      eb.fn.coalesce(eb.fn.sum<string | number>('memory_gb'), sql<number>`0`).as('memory'),
      eb.fn.coalesce(eb.fn.sum<string | number>('cpu'), sql<number>`0`).as('cpu'),
    ]).where('user_id', '=', userId).executeTakeFirstOrThrow();
    return { count: Number(r.count), disk: Number(r.disk), memory: Number(r.memory), cpu: Number(r.cpu) };
  }

  /** Inserts an instance with a free private address in 10.18.0.0/16 and its system databases. */
  async insertInstance(userId: number, v: NewInstance, databases: string[]): Promise<number> {
    let address = '';
    for (let attempt = 0; attempt < 100 && !address; attempt++) {
      const candidate = `10.18.${randomInt(256)}.${1 + randomInt(254)}`;
      const taken = await this.db.selectFrom('rds_instances').select('id').where('address', '=', candidate).executeTakeFirst();
      if (!taken) address = candidate;
    }
    if (!address) throw new ApiError('RDS_INTERNAL_FAILURE');
    const { id } = await this.db.insertInto('rds_instances').values({
      user_id: userId, name: v.name, engine_version: v.engine_version, cpu: v.cpu, memory_gb: v.memory, disk_size: v.disk_size, port: v.port,
      address, status: v.status, charge_type: v.charge_type, order_confirmed: v.order_confirmed ? 1 : 0,
      preferred_backup_window: 'Sat:01:00-Sat:01:30', created_at: v.now, ready_at: v.readyAt, gone_at: null,
    }).returning('id').executeTakeFirstOrThrow();
    await this.db.insertInto('rds_databases').values(databases.map((name) => ({ instance_id: Number(id), name, character_set: 'utf8' }))).execute();
    return Number(id);
  }

  async updateInstance(id: number, patch: Partial<Pick<RdsInstancesTable, 'status' | 'order_confirmed' | 'ready_at' | 'gone_at'>>): Promise<void> {
    await this.db.updateTable('rds_instances').set(patch).where('id', '=', id).execute();
  }

  // Snapshots

  snapshotsOf(instanceId: number) {
    return this.db.selectFrom('rds_snapshots').selectAll().where('instance_id', '=', instanceId)
      .orderBy('created_at', 'desc').orderBy('name').execute();
  }

  findSnapshot(instanceId: number, name: string) {
    return this.db.selectFrom('rds_snapshots').selectAll().where('instance_id', '=', instanceId).where('name', '=', name).executeTakeFirst();
  }

  /** The newest `available` snapshot's time, or "" (`latest_restorable_time`). */
  async latestRestorable(instanceId: number): Promise<string> {
    const row = await this.db.selectFrom('rds_snapshots').select('created_at').where('instance_id', '=', instanceId).where('status', '=', 'available')
      .orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    return row?.created_at ?? '';
  }

  insertSnapshot(instanceId: number, name: string, now: string, readyAt: string, sizeKb: number) {
    return this.db.insertInto('rds_snapshots').values({ instance_id: instanceId, name, status: 'backuping', created_at: now, ready_at: readyAt, size_kb: sizeKb })
      .returningAll().executeTakeFirstOrThrow();
  }

  async deleteSnapshot(id: number): Promise<void> {
    await this.db.deleteFrom('rds_snapshots').where('id', '=', id).execute();
  }

  // Databases, accounts, grants

  async databasesOf(instanceId: number): Promise<Array<{ id: number; name: string }>> {
    const rows = await this.db.selectFrom('rds_databases').select(['id', 'name']).where('instance_id', '=', instanceId).orderBy('id').execute();
    return rows.map((r) => ({ id: Number(r.id), name: r.name }));
  }

  async insertDatabase(instanceId: number, name: string, characterSet: string): Promise<number> {
    const { id } = await this.db.insertInto('rds_databases').values({ instance_id: instanceId, name, character_set: characterSet }).returning('id').executeTakeFirstOrThrow();
    return Number(id);
  }

  async deleteDatabase(id: number): Promise<void> {
    await this.db.deleteFrom('rds_grants').where('database_id', '=', id).execute();
    await this.db.deleteFrom('rds_databases').where('id', '=', id).execute();
  }

  async accountsOf(instanceId: number): Promise<AccountRow[]> {
    const rows = await this.db.selectFrom('rds_accounts').select(['id', 'name', 'ip_list']).where('instance_id', '=', instanceId).orderBy('id').execute();
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }

  async findAccount(instanceId: number, name: string): Promise<AccountRow | undefined> {
    const row = await this.db.selectFrom('rds_accounts').select(['id', 'name', 'ip_list']).where('instance_id', '=', instanceId).where('name', '=', name).executeTakeFirst();
    return row && { ...row, id: Number(row.id) };
  }

  async insertAccount(instanceId: number, name: string, passwordHash: string, ipList: string): Promise<AccountRow> {
    const { id } = await this.db.insertInto('rds_accounts').values({ instance_id: instanceId, name, password_hash: passwordHash, ip_list: ipList }).returning('id').executeTakeFirstOrThrow();
    return { id: Number(id), name, ip_list: ipList };
  }

  async updateAccount(id: number, patch: { password_hash?: string; ip_list?: string }): Promise<void> {
    await this.db.updateTable('rds_accounts').set(patch).where('id', '=', id).execute();
  }

  async deleteAccount(id: number): Promise<void> {
    await this.db.deleteFrom('rds_grants').where('account_id', '=', id).execute();
    await this.db.deleteFrom('rds_accounts').where('id', '=', id).execute();
  }

  async insertGrants(grants: Array<{ account_id: number; database_id: number; privilege: Privilege }>): Promise<void> {
    // One statement per grant: ids follow request order (grant order).
    for (const g of grants) await this.db.insertInto('rds_grants').values(g).execute();
  }

  async deleteGrantsOf(accountId: number): Promise<void> {
    await this.db.deleteFrom('rds_grants').where('account_id', '=', accountId).execute();
  }

  /** Grant rows of an instance (or one account), by account creation order, then grant order. */
  grantRows(instanceId: number, accountId?: number): Promise<GrantRow[]> {
    let query = this.db.selectFrom('rds_grants')
      .innerJoin('rds_accounts', 'rds_accounts.id', 'rds_grants.account_id')
      .innerJoin('rds_databases', 'rds_databases.id', 'rds_grants.database_id')
      .select(['rds_accounts.name as account_name', 'rds_databases.name as database_name', 'rds_grants.privilege', 'rds_accounts.ip_list'])
      .where('rds_accounts.instance_id', '=', instanceId);
    if (accountId !== undefined) query = query.where('rds_accounts.id', '=', accountId);
    return query.orderBy('rds_accounts.id').orderBy('rds_grants.id').execute();
  }

  // Nonces of signed requests

  /**
   * Records a signed request's nonce; false when the pair is still remembered (a replay). An expired
   * record is replaced. The primary key decides concurrent uses of one nonce: exactly one inserts it.
   */
  async useNonce(appKey: string, nonce: string, nowIso: string, expiresIso: string): Promise<boolean> {
    await this.db.deleteFrom('rds_nonces').where('app_key', '=', appKey).where('nonce', '=', nonce).where('expires_at', '<=', nowIso).execute();
    const r = await this.db.insertInto('rds_nonces').values({ app_key: appKey, nonce, expires_at: expiresIso })
      .onConflict((oc) => oc.columns(['app_key', 'nonce']).doNothing()).executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async pruneNonces(nowIso: string): Promise<void> {
    await this.db.deleteFrom('rds_nonces').where('expires_at', '<=', nowIso).execute();
  }
}
