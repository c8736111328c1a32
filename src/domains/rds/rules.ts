/**
 * The rules of rds.md as pure functions: naming and value rules, the supported specs and their prices,
 * the `ip_list` format, `privileges` arrays, the order/state rules of instances and snapshots, and the
 * MySQL password hash. Each throws the catalog error the request must answer.
 */
import { createHash } from 'node:crypto';
import { ApiError } from '../../catalog/index.ts';
import type { ChargeType, InstanceStatus, Privilege, SnapshotStatus } from '../../store/tables/rds.ts';

export const INSTANCE_NAME = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
export const SNAPSHOT_NAME = /^[a-z][a-z0-9]{0,62}$/;
export const DATABASE_NAME = /^[A-Za-z]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$/;
export const ACCOUNT_NAME = /^[A-Za-z]([A-Za-z0-9_]{0,14}[A-Za-z0-9])?$/;
export const PASSWORD = /^[\x20-\x21\x23-\x2E\x30-\x3F\x41-\x7E]{6,16}$/;
export const ENGINE_VERSIONS = ['5.7.12', '5.6.19', '5.5.30'] as const;
export const CHARACTER_SETS = ['utf8', 'gbk', 'latin1', 'utf8mb4'] as const;
export const PRIVILEGES: readonly Privilege[] = ['read', 'write', 'super'];

/** The 7 supported (cores, GB) pairs and their pay-as-you-go price per hour (rds.md price table). */
const SPECS: ReadonlyArray<{ cpu: number; memory: number; hourly: number }> = [
  { cpu: 1, memory: 1, hourly: 0.23 }, { cpu: 1, memory: 2, hourly: 0.52 }, { cpu: 2, memory: 4, hourly: 0.93 },
  { cpu: 4, memory: 8, hourly: 2 }, { cpu: 8, memory: 16, hourly: 3.8 }, { cpu: 8, memory: 32, hourly: 6.8 },
  { cpu: 16, memory: 64, hourly: 13.6 },
];
const STORAGE_PER_GB_HOUR = 0.0014;

/** 4040808 unless (cpu, memory) is a supported spec; judged only after every field passed its own rule. */
export function checkSpec(cpu: number, memory: number): void {
  if (!SPECS.some((s) => s.cpu === cpu && s.memory === memory)) throw new ApiError('RDS_STANDARD_NOT_FOUND');
}

/** The hourly price behind 4000802 (never shown by the API). */
export function hourlyPrice(cpu: number, memory: number, diskSize: number): number {
  const spec = SPECS.find((s) => s.cpu === cpu && s.memory === memory);
  if (!spec) throw new ApiError('RDS_CALCULATE_PRICE_ERROR');
  return spec.hourly + diskSize * STORAGE_PER_GB_HOUR;
}

export const validDiskSize = (v: number) => v >= 5 && v <= 800 && v % 5 === 0;
export const validPort = (v: number) => v >= 1024 && v <= 65535;

/** MySQL 5.7 reserved words (plus everything reserved in 5.5 and 5.6) and `_FILENAME`, upper case. */
const RESERVED = new Set(`ACCESSIBLE ADD ALL ALTER ANALYZE AND AS ASC ASENSITIVE BEFORE BETWEEN BIGINT BINARY BLOB BOTH BY CALL CASCADE CASE CHANGE CHAR CHARACTER CHECK COLLATE COLUMN CONDITION CONSTRAINT CONTINUE CONVERT CREATE CROSS CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER CURSOR DATABASE DATABASES DAY_HOUR DAY_MICROSECOND DAY_MINUTE DAY_SECOND DEC DECIMAL DECLARE DEFAULT DELAYED DELETE DESC DESCRIBE DETERMINISTIC DISTINCT DISTINCTROW DIV DOUBLE DROP DUAL EACH ELSE ELSEIF ENCLOSED ESCAPED EXISTS EXIT EXPLAIN FALSE FETCH FLOAT FLOAT4 FLOAT8 FOR FORCE FOREIGN FROM FULLTEXT GENERATED GET GRANT GROUP HAVING HIGH_PRIORITY HOUR_MICROSECOND HOUR_MINUTE HOUR_SECOND IF IGNORE IN INDEX INFILE INNER INOUT INSENSITIVE INSERT INT INT1 INT2 INT3 INT4 INT8 INTEGER INTERVAL INTO IO_AFTER_GTIDS IO_BEFORE_GTIDS IS ITERATE JOIN KEY KEYS KILL LEADING LEAVE LEFT LIKE LIMIT LINEAR LINES LOAD LOCALTIME LOCALTIMESTAMP LOCK LONG LONGBLOB LONGTEXT LOOP LOW_PRIORITY MASTER_BIND MASTER_SSL_VERIFY_SERVER_CERT MATCH MAXVALUE MEDIUMBLOB MEDIUMINT MEDIUMTEXT MIDDLEINT MINUTE_MICROSECOND MINUTE_SECOND MOD MODIFIES NATURAL NOT NO_WRITE_TO_BINLOG NULL NUMERIC ON OPTIMIZE OPTIMIZER_COSTS OPTION OPTIONALLY OR ORDER OUT OUTER OUTFILE PARTITION PRECISION PRIMARY PROCEDURE PURGE RANGE READ READS READ_WRITE REAL REFERENCES REGEXP RELEASE RENAME REPEAT REPLACE REQUIRE RESIGNAL RESTRICT RETURN REVOKE RIGHT RLIKE SCHEMA SCHEMAS SECOND_MICROSECOND SELECT SENSITIVE SEPARATOR SET SHOW SIGNAL SMALLINT SPATIAL SPECIFIC SQL SQLEXCEPTION SQLSTATE SQLWARNING SQL_BIG_RESULT SQL_CALC_FOUND_ROWS SQL_SMALL_RESULT SSL STARTING STORED STRAIGHT_JOIN TABLE TERMINATED THEN TINYBLOB TINYINT TINYTEXT TO TRAILING TRIGGER TRUE UNDO UNION UNIQUE UNLOCK UNSIGNED UPDATE USAGE USE USING UTC_DATE UTC_TIME UTC_TIMESTAMP VALUES VARBINARY VARCHAR VARCHARACTER VARYING VIRTUAL WHEN WHERE WHILE WITH WRITE XOR YEAR_MONTH ZEROFILL _FILENAME`.split(' '));

export const isReserved = (name: string) => RESERVED.has(name.toUpperCase());

/** Databases no request may create, drop or grant on (compared case-insensitively). */
const PROTECTED = new Set(['information_schema', '#bak_database', 'mysql', 'performance_schema', 'sys']);
export const isProtected = (name: string) => PROTECTED.has(name.toLowerCase());

/** What a new instance holds: the system databases of its engine version (rds.md "System databases"). */
export function systemDatabases(engineVersion: string): string[] {
  return ['information_schema', '#bak_database', 'mysql', 'performance_schema', engineVersion === '5.7.12' ? 'sys' : 'test'];
}

/** `SHOW DATABASES` order: information_schema first, then byte order. */
export function databaseOrder(names: string[]): string[] {
  const rest = names.filter((n) => n !== 'information_schema').sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return names.includes('information_schema') ? ['information_schema', ...rest] : rest;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d|%)$/;

/**
 * `ip_list` (rds.md): entries split on commas and/or whitespace, 1–50 of them; `%`, a 4-part dotted
 * pattern (0–255 or `%` each), or 1–3 parts ending in `%`. Normalized: duplicates dropped, joined by `,`.
 * Undefined when the value breaks the format.
 */
export function normalizeIpList(value: string): string | undefined {
  const entries = value.split(/[,\s]+/).filter((e) => e !== '');
  if (entries.length < 1 || entries.length > 50) return undefined;
  for (const entry of entries) {
    const parts = entry.split('.');
    const ok = entry === '%' || (parts.length === 4 && parts.every((p) => OCTET.test(p)))
      || (parts.length >= 2 && parts.length <= 3 && parts.at(-1) === '%' && parts.every((p) => OCTET.test(p)));
    if (!ok) return undefined;
  }
  return [...new Set(entries)].join(',');
}

/** mysql_native_password: `*` + upper-case hex of SHA1(SHA1(password)). */
export function mysqlNativePassword(password: string): string {
  const inner = createHash('sha1').update(password, 'utf8').digest();
  return '*' + createHash('sha1').update(inner).digest('hex').toUpperCase();
}

export interface GrantRequest {
  account_name: string;
  database_name: string;
  privilege: Privilege;
}

/**
 * The grants of a request (already of the right shape, schemas.ts): each must name the account or the
 * database that `fixed` names (no renaming through a grant), and no (account, database) pair twice — 4000803.
 */
export function checkGrants(grants: readonly GrantRequest[] | undefined, fixed: { account?: string; database?: string }): void {
  const seen = new Set<string>();
  for (const [i, g] of (grants ?? []).entries()) {
    const param = `privileges[${i}]`;
    if (fixed.account !== undefined && g.account_name !== fixed.account) throw new ApiError('RDS_INVALID_PARAMETER_VALUE', { param: `${param}.account_name` });
    if (fixed.database !== undefined && g.database_name !== fixed.database) throw new ApiError('RDS_INVALID_PARAMETER_VALUE', { param: `${param}.database_name` });
    const key = `${g.account_name}\n${g.database_name}`;
    if (seen.has(key)) throw new ApiError('RDS_INVALID_PARAMETER_VALUE', { param });
    seen.add(key);
  }
}

export interface InstanceFacts {
  status: InstanceStatus;
  charge_type: ChargeType;
  order_confirmed: number;
}

/** 4000822: a POST, PUT or DELETE on a MONTH/YEAR instance whose order is not confirmed. */
export function checkOrder(instance: InstanceFacts): void {
  if (instance.charge_type !== 'HOUR' && instance.order_confirmed !== 1) throw new ApiError('RDS_OPERATION_BEFORE_ORDER_CONFIRM_FORBIDDEN');
}

/** Order, then `available` (4000819): every change to what an instance holds. */
export function checkChangeable(instance: InstanceFacts): void {
  checkOrder(instance);
  checkAvailable(instance);
}

export function checkAvailable(instance: InstanceFacts): void {
  if (instance.status !== 'available') throw new ApiError('RDS_INVALID_DBINSTANCE_STATE');
}

/** Delete instance: order (4000822), monthly/yearly (4000821), state (4000819), snapshot group (4000806). */
export function checkDeletable(instance: InstanceFacts, snapshotBusy: boolean): void {
  checkOrder(instance);
  if (instance.charge_type !== 'HOUR' && instance.status !== 'failed') throw new ApiError('RDS_DELETE_MONTHLY_OR_YEARLY_INSTANCE_FORBIDDEN');
  if (instance.status === 'creating' || instance.status === 'deleting') throw new ApiError('RDS_INVALID_DBINSTANCE_STATE');
  if (snapshotBusy) throw new ApiError('RDS_INVALID_DB_SNAPSHOT_GROUP_STATE');
}

export function checkSnapshotDeletable(status: SnapshotStatus): void {
  if (status === 'backuping') throw new ApiError('RDS_INVALID_DB_SNAPSHOT_STATE');
}

/** The caller's limit (config.ts `defaultQuotas`, overridden per user by the operator). */
export function quota(user: { quotas: Record<string, number> }, name: 'rds_instances' | 'rds_storage_gb' | 'rds_memory_gb' | 'rds_ecu' | 'rds_snapshots' | 'rds_databases' | 'rds_accounts'): number {
  return user.quotas[name]!;
}

/** Instance creation, in the documented order: instances, storage, memory, ECU (after the new one). */
export function checkInstanceQuotas(user: { quotas: Record<string, number> }, used: { count: number; disk: number; memory: number; cpu: number }, add: { disk: number; memory: number; cpu: number }): void {
  if (used.count + 1 > quota(user, 'rds_instances')) throw new ApiError('RDS_INSTANCE_QUOTA_EXCEEDED');
  if (used.disk + add.disk > quota(user, 'rds_storage_gb')) throw new ApiError('RDS_STORAGE_QUOTA_EXCEEDED');
  if (used.memory + add.memory > quota(user, 'rds_memory_gb')) throw new ApiError('RDS_MEM_QUOTA_EXCEEDED');
  if (used.cpu + add.cpu > quota(user, 'rds_ecu')) throw new ApiError('RDS_ECU_QUOTA_EXCEEDED');
}
