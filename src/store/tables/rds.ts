import type { Generated } from 'kysely';

export type InstanceStatus = 'creating' | 'available' | 'deleting' | 'failed';
export type SnapshotStatus = 'backuping' | 'available' | 'failed';
export type ChargeType = 'HOUR' | 'MONTH' | 'YEAR';
export type Privilege = 'read' | 'write' | 'super';

/** Simulated managed MySQL instances (rds.md). Names are unique per user (a database constraint). */
export interface RdsInstancesTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  engine_version: string;
  cpu: number;
  memory_gb: number;
  disk_size: number;
  port: number;
  /** Private IPv4 address in 10.18.0.0/16, unique over all instances. */
  address: string;
  status: InstanceStatus;
  charge_type: ChargeType;
  /** MONTH/YEAR instances: whether the purchase order was confirmed (0/1); always 1 for HOUR. */
  order_confirmed: number;
  preferred_backup_window: string;
  created_at: string;
  /** When `creating` becomes `available` (server clock); null while it waits for an order confirmation. */
  ready_at: string | null;
  /** When a `deleting` instance is removed with everything it holds. */
  gone_at: string | null;
}

export interface RdsSnapshotsTable {
  id: Generated<number>;
  instance_id: number;
  name: string;
  status: SnapshotStatus;
  created_at: string;
  /** When `backuping` becomes `available`. */
  ready_at: string;
  /** Size in KB reported once available. */
  size_kb: number;
}

export interface RdsDatabasesTable {
  id: Generated<number>;
  instance_id: number;
  name: string;
  character_set: string;
}

export interface RdsAccountsTable {
  id: Generated<number>;
  instance_id: number;
  name: string;
  /** mysql_native_password hash: `*` + upper-case hex SHA1(SHA1(password)). The password itself is never kept. */
  password_hash: string;
  /** Normalized allow-list (`10.173.%,10.%`). */
  ip_list: string;
}

/** One privilege of one account on one database; `id` order is grant order. */
export interface RdsGrantsTable {
  id: Generated<number>;
  account_id: number;
  database_id: number;
  privilege: Privilege;
}

/** Nonces of signed requests seen within the replay window: `(app_key, nonce)` is refused until `expires_at`. */
export interface RdsNoncesTable {
  app_key: string;
  nonce: string;
  /** ISO time with milliseconds (server clock). */
  expires_at: string;
}

export interface RdsTables {
  rds_instances: RdsInstancesTable;
  rds_snapshots: RdsSnapshotsTable;
  rds_databases: RdsDatabasesTable;
  rds_accounts: RdsAccountsTable;
  rds_grants: RdsGrantsTable;
  rds_nonces: RdsNoncesTable;
}
