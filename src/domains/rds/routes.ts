/**
 * RDS (rds.md, service 08): simulated managed MySQL instances, their snapshots, databases, accounts and
 * privileges, kept in the store exactly as a client of the original would observe them. Every endpoint
 * takes Token auth or a signed request (signing.ts) and refuses uncertified users (4330801). Checks run
 * in the order of rds.md "Evaluation order": parameters (schemas), instance, order, state, target,
 * uniqueness, references, quota.
 */
import { ApiError, type ErrorName } from '../../catalog/index.ts';
import { defineRoute, reply, type Method } from '../../http/route.ts';
import { inUserTransaction } from '../../store/transaction.ts';
import type { Services } from '../../services.ts';
import type { AuthUser } from '../../http/route.ts';
import {
  checkAvailable, checkChangeable, checkDeletable, checkInstanceQuotas, checkSnapshotDeletable, checkSpec, databaseOrder, hourlyPrice,
  isProtected, mysqlNativePassword, normalizeIpList, checkGrants, quota, systemDatabases, type GrantRequest,
} from './rules.ts';
import {
  changePasswordQuery, createAccountQuery, createDatabaseQuery, createInstanceBody, createSnapshotQuery, listInstancesQuery,
  modifyPrivilegesQuery, noBody, privilegesBody, instanceCreated, instanceList, snapshotCreated, snapshotList, grantRows, databaseList, accountList,
} from './schemas.ts';
import { signedRequests } from './signing.ts';
import { RdsStore, type InstanceRow } from './store.ts';
import { instanceView, snapshotView } from './views.ts';

const BASE = '/api/v1/rds';
/** Seconds of the simulated asynchronous work (rds.md Proposed defaults). */
export const CREATE_SECONDS = 5;
export const DELETE_SECONDS = 3;
export const BACKUP_SECONDS = 3;

/** What every RDS route shares: Token or signed auth, certification, the family's 5000801. */
const common = { tag: 'rds', auth: 'token', schemes: [signedRequests], certified: true, internalError: 'RDS_INTERNAL_FAILURE' } as const;
const LOOKUP: ErrorName[] = ['RDS_DBINSTANCE_NOT_FOUND', 'RDS_DBINSTANCE_DUPLICATE', 'RDS_DBINSTANCE_ID_NOT_FOUND'];

const later = (services: Services, seconds: number) => services.clock.iso(new Date(services.clock.now().getTime() + seconds * 1000));

/**
 * Runs `work` on the caller's instance inside one transaction under the caller's lock, after settling
 * what fell due, so that the checks and the change see the same state.
 */
async function onInstance<T>(services: Services, user: AuthUser, name: string, work: (rds: RdsStore, instance: InstanceRow) => Promise<T>): Promise<T> {
  return inUserTransaction(services.store, user.id, async (tx) => {
    const rds = new RdsStore(tx);
    await rds.settle(services.clock.iso(), user.id);
    return work(rds, await rds.requireInstance(user.id, name));
  });
}

/** The store for a read, after settling what fell due for the caller. */
async function settled(services: Services, user: AuthUser): Promise<RdsStore> {
  const rds = new RdsStore(services.store.db);
  await rds.settle(services.clock.iso(), user.id);
  return rds;
}

/** Grant references of step 10, element by element: protected (4030801), account (4040805), database (4040806). */
async function resolveGrants(rds: RdsStore, instanceId: number, grants: GrantRequest[], created: { account?: { id: number; name: string }; database?: { id: number; name: string } }) {
  const databases = new Map((await rds.databasesOf(instanceId)).map((d) => [d.name, d.id]));
  const accounts = new Map((await rds.accountsOf(instanceId)).map((a) => [a.name, a.id]));
  if (created.account) accounts.set(created.account.name, created.account.id);
  if (created.database) databases.set(created.database.name, created.database.id);
  return grants.map((g) => {
    if (isProtected(g.database_name)) throw new ApiError('RDS_PERMISSION_FORBIDDEN');
    const account_id = accounts.get(g.account_name);
    if (account_id === undefined) throw new ApiError('RDS_ACCOUNT_NAME_NOT_FOUND');
    const database_id = databases.get(g.database_name);
    if (database_id === undefined) throw new ApiError('RDS_DATABASE_NAME_NOT_FOUND');
    return { account_id, database_id, privilege: g.privilege };
  });
}

/** A path whose instance (or sub-resource) segment is missing answers 4000801 and never falls through (rds.md). */
function missingSegment(method: Method, path: string, operationId: string) {
  return defineRoute({
    ...common, method, path, operationId, body: 'ignored',
    summary: 'The instance or resource name is missing from the path: always 4000801',
    errors: ['RDS_MISSING_REQUIRED_PARAMETER'],
    success: { status: 200, description: 'never: the name is missing' },
    async handler() {
      throw new ApiError('RDS_MISSING_REQUIRED_PARAMETER');
    },
  });
}

export const rdsRoutes = [
  // Instances
  defineRoute({
    ...common, method: 'POST', path: `${BASE}/instances`, operationId: 'createRdsInstance', mutates: true,
    summary: 'Create an RDS instance (creating → available)', body: createInstanceBody,
    bodyExample: { instance_name: 'my-rds', engine_version: '5.6.19', cpu: 1, memory: 2, disk_size: 20, port: 3309 },
    errors: ['RDS_STANDARD_NOT_FOUND', 'RDS_DBINSTANCE_ALREADY_EXISTS', 'RDS_INSTANCE_QUOTA_EXCEEDED', 'RDS_STORAGE_QUOTA_EXCEEDED', 'RDS_MEM_QUOTA_EXCEEDED',
      'RDS_ECU_QUOTA_EXCEEDED', 'RDS_CALCULATE_PRICE_ERROR', 'RDS_DB_SECURITY_GROUP_NOT_FOUND'],
    success: { status: 200, description: '{instance_name}', ...instanceCreated },
    async handler({ body, user, services }) {
      checkSpec(body.cpu, body.memory);
      const { store, clock } = services;
      // Two concurrent creates of one name: the unique constraint keeps one, the other answers 4000808.
      await inUserTransaction(store, user.id, async (tx) => {
        const now = clock.iso();
        const rds = new RdsStore(tx);
        await rds.settle(now, user.id);
        if (await rds.findInstance(user.id, body.instance_name)) throw new ApiError('RDS_DBINSTANCE_ALREADY_EXISTS');
        checkInstanceQuotas(user, await rds.instanceUsage(user.id), { disk: body.disk_size, memory: body.memory, cpu: body.cpu });
        hourlyPrice(body.cpu, body.memory, body.disk_size);
        await rds.insertInstance(user.id, {
          name: body.instance_name, engine_version: body.engine_version, cpu: body.cpu, memory: body.memory, disk_size: body.disk_size, port: body.port,
          charge_type: 'HOUR', order_confirmed: true, status: 'creating', now, readyAt: later(services, CREATE_SECONDS),
        }, systemDatabases(body.engine_version));
      }, 'RDS_DBINSTANCE_ALREADY_EXISTS');
      return reply.json({ instance_name: body.instance_name });
    },
  }),
  defineRoute({
    ...common, method: 'GET', path: `${BASE}/instances`, operationId: 'listRdsInstances',
    summary: 'The caller’s instances, oldest first (or one by instance_name)', query: listInstancesQuery,
    errors: LOOKUP,
    success: { status: 200, description: '{instances}', ...instanceList },
    async handler({ query, user, services }) {
      const rds = await settled(services, user);
      const rows = query.instance_name !== undefined ? [await rds.requireInstance(user.id, query.instance_name)] : await rds.listInstances(user.id);
      const instances = [];
      for (const row of rows) instances.push(instanceView(row, await rds.latestRestorable(row.id)));
      return reply.json({ instances });
    },
  }),
  defineRoute({
    ...common, method: 'DELETE', path: `${BASE}/instances/:instance_name`, operationId: 'deleteRdsInstance', mutates: true,
    summary: 'Delete an instance with everything it holds (deleting → gone)',
    errors: [...LOOKUP, 'RDS_OPERATION_BEFORE_ORDER_CONFIRM_FORBIDDEN', 'RDS_DELETE_MONTHLY_OR_YEARLY_INSTANCE_FORBIDDEN', 'RDS_INVALID_DBINSTANCE_STATE', 'RDS_INVALID_DB_SNAPSHOT_GROUP_STATE'],
    success: { status: 200, description: 'empty body' },
    async handler({ params, user, services }) {
      await onInstance(services, user, params.instance_name!, async (rds, instance) => {
        const busy = (await rds.snapshotsOf(instance.id)).some((s) => s.status === 'backuping');
        checkDeletable(instance, busy);
        await rds.updateInstance(instance.id, { status: 'deleting', gone_at: later(services, DELETE_SECONDS) });
      });
      return reply.empty();
    },
  }),
  missingSegment('DELETE', `${BASE}/instances`, 'deleteRdsInstanceWithoutName'),

  // Snapshots
  defineRoute({
    ...common, method: 'POST', path: `${BASE}/snapshots/:instance_name`, operationId: 'createRdsSnapshot', mutates: true,
    summary: 'Take a manual full backup (backuping → available)', query: createSnapshotQuery, body: noBody, queryInBody: true,
    errors: [...LOOKUP, 'RDS_OPERATION_BEFORE_ORDER_CONFIRM_FORBIDDEN', 'RDS_INVALID_DBINSTANCE_STATE', 'RDS_INVALID_DB_SNAPSHOT_GROUP_STATE', 'RDS_DB_SNAPSHOT_ALREADY_EXISTS', 'RDS_SNAPSHOT_QUOTA_EXCEEDED'],
    success: { status: 200, description: '{snaptshot} (sic)', ...snapshotCreated },
    async handler({ params, query, user, services }) {
      const view = await onInstance(services, user, params.instance_name!, async (rds, instance) => {
        checkChangeable(instance);
        const existing = await rds.snapshotsOf(instance.id);
        if (existing.some((s) => s.status === 'backuping')) throw new ApiError('RDS_INVALID_DB_SNAPSHOT_GROUP_STATE');
        if (existing.some((s) => s.name === query.snapshot_name)) throw new ApiError('RDS_DB_SNAPSHOT_ALREADY_EXISTS');
        if (existing.length + 1 > quota(user, 'rds_snapshots')) throw new ApiError('RDS_SNAPSHOT_QUOTA_EXCEEDED');
        // A stable positive size: about 8 GB of data, varying with the instance and the snapshot count.
        const sizeKb = 8_000_000 + ((instance.id * 7919 + existing.length * 104_729) % 500_000);
        const row = await rds.insertSnapshot(instance.id, query.snapshot_name, services.clock.iso(), later(services, BACKUP_SECONDS), sizeKb);
        return snapshotView(row, instance.name);
      });
      return reply.json({ snaptshot: view });
    },
  }),
  defineRoute({
    ...common, method: 'GET', path: `${BASE}/snapshots/:instance_name`, operationId: 'listRdsSnapshots',
    summary: 'An instance’s snapshots, newest first', errors: LOOKUP,
    success: { status: 200, description: '{dbSnaptshots} (sic)', ...snapshotList },
    async handler({ params, user, services }) {
      const rds = await settled(services, user);
      const instance = await rds.requireInstance(user.id, params.instance_name!);
      return reply.json({ dbSnaptshots: (await rds.snapshotsOf(instance.id)).map((s) => snapshotView(s, instance.name)) });
    },
  }),
  defineRoute({
    ...common, method: 'DELETE', path: `${BASE}/snapshots/:instance_name/:snapshot_name`, operationId: 'deleteRdsSnapshot', mutates: true,
    summary: 'Delete a snapshot (not while backuping)',
    errors: [...LOOKUP, 'RDS_OPERATION_BEFORE_ORDER_CONFIRM_FORBIDDEN', 'RDS_INVALID_DBINSTANCE_STATE', 'RDS_SNAPSHOT_NOT_FOUND', 'RDS_INVALID_DB_SNAPSHOT_STATE'],
    success: { status: 200, description: 'empty body' },
    async handler({ params, user, services }) {
      await onInstance(services, user, params.instance_name!, async (rds, instance) => {
        checkChangeable(instance);
        const snapshot = await rds.findSnapshot(instance.id, params.snapshot_name!);
        if (!snapshot) throw new ApiError('RDS_SNAPSHOT_NOT_FOUND');
        checkSnapshotDeletable(snapshot.status);
        await rds.deleteSnapshot(Number(snapshot.id));
      });
      return reply.empty();
    },
  }),
  missingSegment('POST', `${BASE}/snapshots`, 'createRdsSnapshotWithoutInstance'),
  missingSegment('GET', `${BASE}/snapshots`, 'listRdsSnapshotsWithoutInstance'),
  missingSegment('DELETE', `${BASE}/snapshots`, 'deleteRdsSnapshotWithoutInstance'),
  missingSegment('DELETE', `${BASE}/snapshots/:instance_name`, 'deleteRdsSnapshotWithoutName'),

  // Databases
  defineRoute({
    ...common, method: 'POST', path: `${BASE}/databases/:instance_name`, operationId: 'createRdsDatabase', mutates: true,
    summary: 'Create a database, optionally granting it to accounts', query: createDatabaseQuery, body: privilegesBody, queryInBody: true,
    errors: [...LOOKUP, 'RDS_OPERATION_BEFORE_ORDER_CONFIRM_FORBIDDEN', 'RDS_INVALID_DBINSTANCE_STATE', 'RDS_PERMISSION_FORBIDDEN', 'RDS_DATABASE_ALREADY_EXISTS',
      'RDS_ACCOUNT_NAME_NOT_FOUND', 'RDS_DATABASE_QUOTA_EXCEEDED'],
    success: { status: 200, description: '{database_accounts}: the grants created', ...grantRows },
    async handler({ params, query, body, user, services }) {
      checkGrants(body.privileges, { database: query.database_name });
      const grants = body.privileges ?? [];
      const rows = await onInstance(services, user, params.instance_name!, async (rds, instance) => {
        checkChangeable(instance);
        if (isProtected(query.database_name)) throw new ApiError('RDS_PERMISSION_FORBIDDEN');
        const databases = await rds.databasesOf(instance.id);
        if (databases.some((d) => d.name === query.database_name)) throw new ApiError('RDS_DATABASE_ALREADY_EXISTS');
        const resolved = await resolveGrants(rds, instance.id, grants, { database: { id: -1, name: query.database_name } });
        if (databases.filter((d) => !isProtected(d.name)).length + 1 > quota(user, 'rds_databases')) throw new ApiError('RDS_DATABASE_QUOTA_EXCEEDED');
        const id = await rds.insertDatabase(instance.id, query.database_name, query.character_set.toLowerCase());
        await rds.insertGrants(resolved.map((g) => ({ ...g, database_id: id })));
        const accounts = new Map((await rds.accountsOf(instance.id)).map((a) => [a.name, a.ip_list]));
        return grants.map((g) => ({ account_name: g.account_name, database_name: g.database_name, privilege: g.privilege, ip_list: accounts.get(g.account_name)! }));
      });
      return reply.json({ database_accounts: rows });
    },
  }),
  defineRoute({
    ...common, method: 'GET', path: `${BASE}/databases/:instance_name`, operationId: 'listRdsDatabases',
    summary: 'Every database of an available instance, system ones included', errors: [...LOOKUP, 'RDS_GET_DATABASES_FAILED'],
    success: { status: 200, description: '{databases}', ...databaseList },
    async handler({ params, user, services }) {
      const rds = await settled(services, user);
      const instance = await rds.requireInstance(user.id, params.instance_name!);
      if (instance.status !== 'available') throw new ApiError('RDS_GET_DATABASES_FAILED');
      return reply.json({ databases: databaseOrder((await rds.databasesOf(instance.id)).map((d) => d.name)) });
    },
  }),
  defineRoute({
    ...common, method: 'DELETE', path: `${BASE}/databases/:instance_name/:database_name`, operationId: 'deleteRdsDatabase', mutates: true,
    summary: 'Drop a database and its grants',
    errors: [...LOOKUP, 'RDS_OPERATION_BEFORE_ORDER_CONFIRM_FORBIDDEN', 'RDS_INVALID_DBINSTANCE_STATE', 'RDS_PERMISSION_FORBIDDEN', 'RDS_DATABASE_NAME_NOT_FOUND'],
    success: { status: 200, description: 'empty body' },
    async handler({ params, user, services }) {
      const name = params.database_name!;
      await onInstance(services, user, params.instance_name!, async (rds, instance) => {
        checkChangeable(instance);
        if (isProtected(name)) throw new ApiError('RDS_PERMISSION_FORBIDDEN');
        const database = (await rds.databasesOf(instance.id)).find((d) => d.name === name);
        if (!database) throw new ApiError('RDS_DATABASE_NAME_NOT_FOUND');
        await rds.deleteDatabase(database.id);
      });
      return reply.empty();
    },
  }),
  missingSegment('POST', `${BASE}/databases`, 'createRdsDatabaseWithoutInstance'),
  missingSegment('GET', `${BASE}/databases`, 'listRdsDatabasesWithoutInstance'),
  missingSegment('DELETE', `${BASE}/databases`, 'deleteRdsDatabaseWithoutInstance'),
  missingSegment('DELETE', `${BASE}/databases/:instance_name`, 'deleteRdsDatabaseWithoutName'),

  // Accounts
  defineRoute({
    ...common, method: 'POST', path: `${BASE}/accounts/:instance_name`, operationId: 'createRdsAccount', mutates: true,
    summary: 'Create a MySQL account, optionally with grants', query: createAccountQuery, body: privilegesBody, queryInBody: true,
    errors: [...LOOKUP, 'RDS_OPERATION_BEFORE_ORDER_CONFIRM_FORBIDDEN', 'RDS_INVALID_DBINSTANCE_STATE', 'RDS_DB_ACCOUNT_ALREADY_EXISTS', 'RDS_PERMISSION_FORBIDDEN',
      'RDS_DATABASE_NAME_NOT_FOUND', 'RDS_DB_ACCOUNT_QUOTA_EXCEEDED'],
    success: { status: 200, description: '{database_accounts}: the grants created', ...grantRows },
    async handler({ params, query, body, user, services }) {
      checkGrants(body.privileges, { account: query.account_name });
      const grants = body.privileges ?? [];
      const ipList = normalizeIpList(query.ip_list)!;
      const rows = await onInstance(services, user, params.instance_name!, async (rds, instance) => {
        checkChangeable(instance);
        const accounts = await rds.accountsOf(instance.id);
        if (accounts.some((a) => a.name === query.account_name)) throw new ApiError('RDS_DB_ACCOUNT_ALREADY_EXISTS');
        const resolved = await resolveGrants(rds, instance.id, grants, { account: { id: -1, name: query.account_name } });
        if (accounts.length + 1 > quota(user, 'rds_accounts')) throw new ApiError('RDS_DB_ACCOUNT_QUOTA_EXCEEDED');
        const account = await rds.insertAccount(instance.id, query.account_name, mysqlNativePassword(query.account_password), ipList);
        await rds.insertGrants(resolved.map((g) => ({ ...g, account_id: account.id })));
        return rds.grantRows(instance.id, account.id);
      });
      return reply.json({ database_accounts: rows });
    },
  }),
  defineRoute({
    ...common, method: 'GET', path: `${BASE}/accounts/:instance_name`, operationId: 'listRdsAccounts',
    summary: 'Account names of an available instance, in creation order', errors: [...LOOKUP, 'RDS_INVALID_DBINSTANCE_STATE'],
    success: { status: 200, description: '{accounts}', ...accountList },
    async handler({ params, user, services }) {
      const rds = await settled(services, user);
      const instance = await rds.requireInstance(user.id, params.instance_name!);
      checkAvailable(instance);
      return reply.json({ accounts: (await rds.accountsOf(instance.id)).map((a) => a.name) });
    },
  }),
  defineRoute({
    ...common, method: 'DELETE', path: `${BASE}/accounts/:instance_name/:account_name`, operationId: 'deleteRdsAccount', mutates: true,
    summary: 'Delete an account and its grants',
    errors: [...LOOKUP, 'RDS_OPERATION_BEFORE_ORDER_CONFIRM_FORBIDDEN', 'RDS_INVALID_DBINSTANCE_STATE', 'RDS_ACCOUNT_NAME_NOT_FOUND'],
    success: { status: 200, description: 'empty body' },
    async handler({ params, user, services }) {
      await onInstance(services, user, params.instance_name!, async (rds, instance) => {
        checkChangeable(instance);
        const account = await rds.findAccount(instance.id, params.account_name!);
        if (!account) throw new ApiError('RDS_ACCOUNT_NAME_NOT_FOUND');
        await rds.deleteAccount(account.id);
      });
      return reply.empty();
    },
  }),
  defineRoute({
    ...common, method: 'PUT', path: `${BASE}/accounts/:instance_name/:account_name`, operationId: 'changeRdsAccountPassword', mutates: true,
    summary: 'Change an account’s password', query: changePasswordQuery, body: noBody, queryInBody: true,
    errors: [...LOOKUP, 'RDS_OPERATION_BEFORE_ORDER_CONFIRM_FORBIDDEN', 'RDS_INVALID_DBINSTANCE_STATE', 'RDS_ACCOUNT_NAME_NOT_FOUND'],
    success: { status: 200, description: '{database_accounts}: all grants of the account', ...grantRows },
    async handler({ params, query, user, services }) {
      const rows = await onInstance(services, user, params.instance_name!, async (rds, instance) => {
        checkChangeable(instance);
        const account = await rds.findAccount(instance.id, params.account_name!);
        if (!account) throw new ApiError('RDS_ACCOUNT_NAME_NOT_FOUND');
        await rds.updateAccount(account.id, { password_hash: mysqlNativePassword(query.account_password) });
        return rds.grantRows(instance.id, account.id);
      });
      return reply.json({ database_accounts: rows });
    },
  }),
  missingSegment('POST', `${BASE}/accounts`, 'createRdsAccountWithoutInstance'),
  missingSegment('GET', `${BASE}/accounts`, 'listRdsAccountsWithoutInstance'),
  missingSegment('DELETE', `${BASE}/accounts`, 'deleteRdsAccountWithoutInstance'),
  missingSegment('DELETE', `${BASE}/accounts/:instance_name`, 'deleteRdsAccountWithoutName'),
  missingSegment('PUT', `${BASE}/accounts`, 'changeRdsAccountPasswordWithoutInstance'),
  missingSegment('PUT', `${BASE}/accounts/:instance_name`, 'changeRdsAccountPasswordWithoutName'),

  // Privileges
  defineRoute({
    ...common, method: 'PUT', path: `${BASE}/privileges/:instance_name/:account_name`, operationId: 'modifyRdsPrivileges', mutates: true,
    summary: 'Replace an account’s IP allow-list and, when privileges is given, its grants', query: modifyPrivilegesQuery, body: privilegesBody, queryInBody: true,
    errors: [...LOOKUP, 'RDS_OPERATION_BEFORE_ORDER_CONFIRM_FORBIDDEN', 'RDS_INVALID_DBINSTANCE_STATE', 'RDS_ACCOUNT_NAME_NOT_FOUND', 'RDS_PERMISSION_FORBIDDEN',
      'RDS_DATABASE_NAME_NOT_FOUND'],
    success: { status: 200, description: '{database_accounts}: the account’s grants after the change', ...grantRows },
    async handler({ params, query, body, user, services }) {
      const accountName = params.account_name!;
      checkGrants(body.privileges, { account: accountName });
      const grants = body.privileges;
      const ipList = normalizeIpList(query.ip_list)!;
      const rows = await onInstance(services, user, params.instance_name!, async (rds, instance) => {
        checkChangeable(instance);
        const account = await rds.findAccount(instance.id, accountName);
        if (!account) throw new ApiError('RDS_ACCOUNT_NAME_NOT_FOUND');
        if (grants) {
          const resolved = await resolveGrants(rds, instance.id, grants, {});
          await rds.deleteGrantsOf(account.id);
          await rds.insertGrants(resolved);
        }
        await rds.updateAccount(account.id, { ip_list: ipList });
        return rds.grantRows(instance.id, account.id);
      });
      return reply.json({ database_accounts: rows });
    },
  }),
  defineRoute({
    ...common, method: 'GET', path: `${BASE}/privileges/:instance_name`, operationId: 'listRdsPrivileges',
    summary: 'Every grant of every account of an available instance', errors: [...LOOKUP, 'RDS_INVALID_DBINSTANCE_STATE'],
    success: { status: 200, description: '{database_accounts}', ...grantRows },
    async handler({ params, user, services }) {
      const rds = await settled(services, user);
      const instance = await rds.requireInstance(user.id, params.instance_name!);
      checkAvailable(instance);
      return reply.json({ database_accounts: await rds.grantRows(instance.id) });
    },
  }),
  missingSegment('GET', `${BASE}/privileges`, 'listRdsPrivilegesWithoutInstance'),
  missingSegment('PUT', `${BASE}/privileges`, 'modifyRdsPrivilegesWithoutInstance'),
  missingSegment('PUT', `${BASE}/privileges/:instance_name`, 'modifyRdsPrivilegesWithoutAccount'),
];
