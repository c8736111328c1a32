import type { Generated } from 'kysely';
import type { RegistryTables } from './tables/registry.ts';
import type { IpTables } from './tables/ips.ts';
import type { BillingTables } from './tables/billing.ts';
import type { VolumeTables } from './tables/volumes.ts';
import type { MicroservicesTables } from './tables/microservices.ts';
import type { RdsTables } from './tables/rds.ts';
import type { LegacyTables } from './tables/legacy.ts';
import type { LoadBalancerTables } from './tables/loadbalancers.ts';

/**
 * Row types of every table. Booleans are stored as 0/1 integers and times as ISO text
 * (`2016-03-29T09:01:52Z`, which sorts correctly) so both dialects share one schema.
 */
export interface UsersTable {
  id: Generated<number>;
  user_name: string;
  status: string; // 'normal' | 'abnormal'
  balance: number; // CNY
  certified: number;
  quotas: string; // JSON object of per-user overrides
  created_at: string;
}

export interface KeyPairsTable {
  app_key: string;
  user_id: number;
  /** HMAC-SHA256 of the secret under the server's master key: verifies without storing the secret. */
  secret_hash: string;
  /** The secret sealed with AES-256-GCM under the master key, kept for request signing (RDS). */
  secret_sealed: string;
  enabled: number;
  created_at: string;
}

export interface TokensTable {
  /** SHA-256 of the token: a leaked database holds no usable token. */
  token_hash: string;
  user_id: number;
  app_key: string;
  expires_at: string;
  created_at: string;
}

export interface SecretKeysTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  fingerprint: string;
  public_key: string;
  /** PEM sealed under the master key. */
  private_key_sealed: string;
  created_at: string;
}

/** The test clock's offset from real time (`POST /_opencomb/clock`); at most one row, id 1. */
export interface TestClockTable {
  id: number;
  offset_ms: number;
}

export interface CoreTables {
  users: UsersTable;
  key_pairs: KeyPairsTable;
  tokens: TokensTable;
  secret_keys: SecretKeysTable;
  test_clock: TestClockTable;
}

/** All tables: each domain's row types live in `tables/<domain>.ts`, beside its migration, and are added here. */
export type Database = CoreTables & RegistryTables & IpTables & BillingTables & VolumeTables & MicroservicesTables & RdsTables & LoadBalancerTables & LegacyTables;
