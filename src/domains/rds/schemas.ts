/**
 * RDS request parameters (rds.md). Every parameter answers 4000801 when missing and 4000803 when it
 * breaks its rule; every required parameter is checked for presence before any value is judged.
 */
import { r } from '../../http/response-schema.ts';
import { f, schema } from '../../http/schema.ts';
import type { Privilege } from '../../store/tables/rds.ts';
import {
  ACCOUNT_NAME, CHARACTER_SETS, DATABASE_NAME, ENGINE_VERSIONS, INSTANCE_NAME, PASSWORD, PRIVILEGES, SNAPSHOT_NAME,
  isReserved, normalizeIpList, validDiskSize, validPort,
} from './rules.ts';

const codes = { missing: 'RDS_MISSING_REQUIRED_PARAMETER', invalid: 'RDS_INVALID_PARAMETER_VALUE' } as const;
const strict = { missingFirst: true };

const positive = (v: number) => v > 0;

/** Create instance. The cpu/memory pair (4040808) is judged by the handler once every field passed. */
export const createInstanceBody = schema({
  instance_name: f.string({ pattern: INSTANCE_NAME }).required().describe('1–63 of a-z, 0-9, "-"; starts with a letter, ends with a letter or digit'),
  engine_version: f.string({ enum: ENGINE_VERSIONS }).required().describe('5.7.12, 5.6.19 or 5.5.30'),
  cpu: f.int().required().rule(positive).describe('cores; with memory, one of the supported specs'),
  memory: f.int().required().rule(positive).describe('GB (answers report MB)'),
  disk_size: f.int().required().rule(validDiskSize).describe('GB: 5–800, a multiple of 5'),
  port: f.int().required().rule(validPort).describe('1024–65535'),
}, codes, strict);

export const listInstancesQuery = schema({
  instance_name: f.string().describe('only this instance (4040801 if the user has none of that name)'),
}, codes);

export const createSnapshotQuery = schema({
  snapshot_name: f.string({ pattern: SNAPSHOT_NAME }).required().describe('^[a-z][a-z0-9]{0,62}$, unique per instance'),
}, codes, strict);

const databaseName = f.string({ pattern: DATABASE_NAME }).rule((v) => !isReserved(v))
  .describe('1–63 of letters, digits, "_", "-"; starts with a letter, ends with a letter or digit; not a MySQL reserved word');
const accountName = f.string({ pattern: ACCOUNT_NAME }).rule((v) => !isReserved(v) && v.toLowerCase() !== 'root')
  .describe('1–16 of letters, digits, "_"; starts with a letter, ends with a letter or digit; not a reserved word, not root');
const password = f.string({ pattern: PASSWORD }).describe('6–16 printable ASCII characters except @ / "');
const ipList = f.string().rule((v) => normalizeIpList(v) !== undefined).describe('allow-list: %, a.b.c.d patterns with % parts, or prefixes like 10.173.%; comma or space separated');

export const createDatabaseQuery = schema({
  database_name: databaseName.required(),
  character_set: f.string().required().rule((v) => (CHARACTER_SETS as readonly string[]).includes(v.toLowerCase())).describe('utf8, gbk, latin1 or utf8mb4 (any case)'),
}, codes, strict);

export const createAccountQuery = schema({
  account_name: accountName.required(),
  account_password: password.required(),
  ip_list: ipList.required(),
}, codes, strict);

export const changePasswordQuery = schema({
  account_password: f.string({ pattern: PASSWORD }).required().describe('the new password: 6–16 printable ASCII characters except @ / "'),
}, codes, strict);

export const modifyPrivilegesQuery = schema({
  ip_list: f.string().required().rule((v) => normalizeIpList(v) !== undefined).describe('the account’s new allow-list'),
}, codes, strict);

/** One grant in a request: every member required (4000801), `privilege` read, write or super (4000803). */
const grant = f.object({
  account_name: f.string().required(),
  database_name: f.string().required(),
  privilege: f.string<Privilege>({ enum: PRIVILEGES }).required(),
});

/** A JSON-encoded array in a string is accepted too (rds.md Doc notes); anything unparsable stays a wrong type. */
function jsonArrayText(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * `privileges` (create database, create account, modify privileges). Which account or database the grants
 * may name, and duplicates, are judged by rules.ts `checkGrants`.
 */
export const privilegesBody = schema({
  privileges: f.array(grant).lenient(jsonArrayText).describe('grants: [{account_name, database_name, privilege}] (a JSON-encoded array in a string is accepted)'),
}, codes);

/** Endpoints without a body of their own: a JSON body may still carry their query parameters. */
export const noBody = schema({}, codes);

/** Operator: a MONTH/YEAR (or any) instance bought outside the API (docs/rds.md). */
export const seedInstanceBody = schema({
  user_name: f.string().required(),
  instance_name: f.string({ pattern: INSTANCE_NAME }).required(),
  engine_version: f.string({ enum: ENGINE_VERSIONS }).default('5.6.19'),
  cpu: f.int().default(1),
  memory: f.int().default(2),
  disk_size: f.int().rule(validDiskSize).default(20),
  port: f.int().rule(validPort).default(3306),
  charge_type: f.string<'HOUR' | 'MONTH' | 'YEAR'>({ enum: ['HOUR', 'MONTH', 'YEAR'] }).default('MONTH'),
  order_confirmed: f.boolean().default(true),
}, { missing: 'MISSING_PARAMETERS', invalid: 'INVALID_PARAMETERS' });

/** Operator: simulate an outcome (provisioning failed, order confirmed). */
export const operatorInstanceBody = schema({
  status: f.string<'creating' | 'available' | 'failed'>({ enum: ['creating', 'available', 'failed'] }),
  order_confirmed: f.boolean(),
}, { missing: 'MISSING_PARAMETERS', invalid: 'INVALID_PARAMETERS' });

// Answers (rds.md), in the documented member order.

const instance = r.named('RdsInstance', r.object({
  disk_size: r.int('GB'), memory: r.int('MB'), vcpu: r.int(), backup_type: r.enum(['full', 'incremental']),
  full_backup_interval: r.int(), backup_retention_num: r.int(), incre_backup_interval: r.int(), instance_name: r.string(),
  instance_status: r.enum(['creating', 'available', 'deleting', 'failed']),
  endpoint: r.object({ address: r.string(), port: r.int() }),
  engine_version: r.enum(ENGINE_VERSIONS), instance_create_time: r.dateTime(),
  latest_restorable_time: r.string('the newest available snapshot’s time, or ""'),
  preferred_backup_window: r.string(), disk_medium: r.string(), replication_type: r.string(), charge_type: r.enum(['HOUR', 'MONTH', 'YEAR']),
  security_groups: r.array(r.object({ security_group_name: r.string(), security_group_description: r.string(), ip_ranges: r.array(r.string()) })),
  read_replica_instance_name: r.string(), read_replica_source_instance_name: r.string(),
  health_check_status: r.enum(['normal', 'unknown']), health_check_score: r.int(), enable_public_ip: r.boolean(), public_ip: r.nullable(r.string()),
}));

const instanceExample = {
  disk_size: 20, memory: 2048, vcpu: 1, backup_type: 'full', full_backup_interval: 3, backup_retention_num: 7, incre_backup_interval: 1,
  instance_name: 'my-rds', instance_status: 'available', endpoint: { address: '10.18.206.127', port: 3309 }, engine_version: '5.6.19',
  instance_create_time: '2017-05-11T03:18:53Z', latest_restorable_time: '', preferred_backup_window: 'Sat:01:00-Sat:01:30', disk_medium: 'SSD',
  replication_type: 'VSR', charge_type: 'HOUR',
  security_groups: [{ security_group_name: 'default', security_group_description: 'Default security group', ip_ranges: ['0.0.0.0/0'] }],
  read_replica_instance_name: '', read_replica_source_instance_name: '', health_check_status: 'normal', health_check_score: 100, enable_public_ip: false, public_ip: null,
};

const snapshot = r.named('RdsSnapshot', r.object({
  instance_name: r.string(), snapshot_name: r.string(), snapshot_create_time: r.dateTime(), status: r.enum(['backuping', 'available', 'failed']),
  snapshot_type: r.enum(['manual', 'auto']), snaptshot_size: r.int('KB (sic)'), snapshot_policy: r.string(),
}));
const snapshotExample = { instance_name: 'my-rds', snapshot_name: 'myrds20170511', snapshot_create_time: '2017-05-11T12:00:47Z', status: 'backuping', snapshot_type: 'manual', snaptshot_size: 0, snapshot_policy: 'full' };

const grantRow = r.named('RdsGrant', r.object({ account_name: r.string(), database_name: r.string(), privilege: r.enum(PRIVILEGES), ip_list: r.string() }));

export const instanceCreated = { schema: r.object({ instance_name: r.string() }), example: { instance_name: 'my-rds' } };
export const instanceList = { schema: r.object({ instances: r.array(instance) }), example: { instances: [instanceExample] } };
export const instanceOne = { schema: instance, example: instanceExample };
export const snapshotCreated = { schema: r.object({ snaptshot: snapshot }), example: { snaptshot: snapshotExample } };
export const snapshotList = { schema: r.object({ dbSnaptshots: r.array(snapshot) }), example: { dbSnaptshots: [{ ...snapshotExample, status: 'available', snaptshot_size: 8041428 }] } };
export const grantRows = {
  schema: r.object({ database_accounts: r.array(grantRow) }),
  example: { database_accounts: [{ account_name: 'doc_read', database_name: 'my-database', privilege: 'read', ip_list: '10.173.%' }] },
};
export const databaseList = { schema: r.object({ databases: r.array(r.string()) }), example: { databases: ['information_schema', '#bak_database', 'my-database', 'mysql', 'performance_schema', 'test'] } };
export const accountList = { schema: r.object({ accounts: r.array(r.string()) }), example: { accounts: ['doc_super', 'doc_read', 'doc_write'] } };
