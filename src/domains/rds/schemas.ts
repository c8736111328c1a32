/**
 * RDS request parameters (rds.md). Every parameter answers 4000801 when missing and 4000803 when it
 * breaks its rule; every required parameter is checked for presence before any value is judged.
 */
import { f, schema } from '../../http/schema.ts';
import {
  ACCOUNT_NAME, CHARACTER_SETS, DATABASE_NAME, ENGINE_VERSIONS, INSTANCE_NAME, PASSWORD, SNAPSHOT_NAME,
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

/** `privileges` (create database, create account, modify privileges): judged by rules.ts `parsePrivileges`. */
export const privilegesBody = schema({
  privileges: f.any().describe('[{account_name, database_name, privilege: read|write|super}] (a JSON-encoded string is accepted)'),
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
