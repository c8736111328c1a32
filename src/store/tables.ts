import type { Generated } from 'kysely';
import type { RegistryTables } from '../domains/registry/tables.ts';
import type { IpTables } from '../domains/ips/tables.ts';
import type { BillingTables } from '../billing/tables.ts';
import type { VolumeTables } from '../domains/volumes/tables.ts';
import type { MicroservicesTables } from '../domains/microservices/tables.ts';
import type { LoadBalancerTables } from '../domains/loadbalancers/tables.ts';

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

export interface CoreTables {
  users: UsersTable;
  key_pairs: KeyPairsTable;
  tokens: TokensTable;
  secret_keys: SecretKeysTable;
}

/** All tables: each domain declares its own in its folder (`<domain>/tables.ts`) and is added here. */
export type Database = CoreTables & RegistryTables & IpTables & BillingTables & VolumeTables & MicroservicesTables & LoadBalancerTables;
