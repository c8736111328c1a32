import type { CompiledQuery } from 'kysely';
import type { Db, Tx } from '../store/db.ts';
import type { Sealer } from './sealer.ts';
import { randomHex32, tokenDigest } from './sealer.ts';

export interface UserRow {
  id: number;
  user_name: string;
  status: string;
  balance: number;
  certified: number;
  quotas: string;
}

/** What the token lookup returns: the user and the Access Key the token was issued to. */
export interface TokenUser extends UserRow {
  app_key: string;
}

export const TOKEN_LIFETIME_SECONDS = 86_400;

/** Users, their Access Key pairs and tokens. */
export class IdentityStore {
  constructor(private readonly db: Db | Tx, private readonly sealer: Sealer) {}

  /** The same operations inside a transaction. */
  with(tx: Tx): IdentityStore {
    return new IdentityStore(tx, this.sealer);
  }

  findUserByName(userName: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('user_name', '=', userName).executeTakeFirst();
  }

  /** Every user, oldest first, with the Access Keys of their pairs (oldest first; never a secret): the operator's list. */
  async listUsers(): Promise<Array<UserRow & { key_pairs: Array<{ app_key: string; enabled: boolean }> }>> {
    const users = await this.db.selectFrom('users').selectAll().orderBy('id').execute();
    const pairs = await this.db.selectFrom('key_pairs').select(['user_id', 'app_key', 'enabled']).orderBy('created_at').orderBy('app_key').execute();
    return users.map((u) => ({
      ...u,
      key_pairs: pairs.filter((p) => p.user_id === u.id).map((p) => ({ app_key: p.app_key, enabled: p.enabled === 1 })),
    }));
  }

  async createUser(userName: string, now: string): Promise<UserRow> {
    return this.db.insertInto('users')
      .values({ user_name: userName, status: 'normal', balance: 1000, certified: 1, quotas: '{}', created_at: now })
      .returningAll().executeTakeFirstOrThrow();
  }

  async updateUser(id: number, patch: Partial<Pick<UserRow, 'status' | 'balance' | 'certified' | 'quotas'>>): Promise<void> {
    await this.db.updateTable('users').set(patch).where('id', '=', id).execute();
  }

  /** Adds a pair; `accessKey`/`secret` are generated unless given (bootstrap from the environment). */
  async addKeyPair(userId: number, now: string, accessKey = randomHex32(), secret = randomHex32()) {
    await this.db.insertInto('key_pairs').values({
      app_key: accessKey, user_id: userId, secret_hash: this.sealer.hash(secret),
      secret_sealed: this.sealer.seal(secret), enabled: 1, created_at: now,
    }).execute();
    return { app_key: accessKey, app_secret: secret };
  }

  findKeyPair(accessKey: string) {
    return this.db.selectFrom('key_pairs').innerJoin('users', 'users.id', 'key_pairs.user_id')
      .select(['key_pairs.app_key', 'key_pairs.secret_hash', 'key_pairs.enabled', 'users.id as user_id', 'users.status'])
      .where('key_pairs.app_key', '=', accessKey).executeTakeFirst();
  }

  /** True when `secret` is the pair's current Access Secret (checked against its keyed hash). */
  async hasSecret(accessKey: string, secret: string): Promise<boolean> {
    const row = await this.db.selectFrom('key_pairs').select('secret_hash').where('app_key', '=', accessKey).executeTakeFirst();
    return row !== undefined && this.sealer.verify(secret, row.secret_hash);
  }

  /** The user behind an Access Key, whether the key is enabled, and its secret in clear (signed requests, RDS). */
  async findKeyUser(accessKey: string): Promise<{ user: TokenUser; enabled: boolean; secret: string } | undefined> {
    const row = await this.db.selectFrom('key_pairs').innerJoin('users', 'users.id', 'key_pairs.user_id')
      .select(['users.id', 'users.user_name', 'users.status', 'users.balance', 'users.certified', 'users.quotas', 'key_pairs.app_key', 'key_pairs.enabled', 'key_pairs.secret_sealed'])
      .where('key_pairs.app_key', '=', accessKey).executeTakeFirst();
    if (!row) return undefined;
    const { enabled, secret_sealed, ...user } = row;
    return { user, enabled: enabled === 1, secret: this.sealer.open(secret_sealed) };
  }

  /** The Access Secret in clear, for verifying signed requests (RDS). */
  async secretOf(accessKey: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('key_pairs').select('secret_sealed').where('app_key', '=', accessKey).executeTakeFirst();
    return row && this.sealer.open(row.secret_sealed);
  }

  async setKeyPairEnabled(accessKey: string, enabled: boolean): Promise<boolean> {
    const r = await this.db.updateTable('key_pairs').set({ enabled: enabled ? 1 : 0 }).where('app_key', '=', accessKey).executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  async deleteKeyPair(accessKey: string): Promise<boolean> {
    const r = await this.db.deleteFrom('key_pairs').where('app_key', '=', accessKey).executeTakeFirst();
    return r.numDeletedRows > 0n;
  }

  async issueToken(userId: number, accessKey: string, now: Date, iso: (d: Date) => string): Promise<string> {
    const token = randomHex32();
    const expires = new Date(now.getTime() + TOKEN_LIFETIME_SECONDS * 1000);
    // Millisecond precision (compared with `Date.toISOString()` of the clock): valid exactly 86,400 s, not
    // up to a second less as a whole-second time would make it.
    await this.db.insertInto('tokens').values({
      token_hash: tokenDigest(token), user_id: userId, app_key: accessKey, expires_at: expires.toISOString(), created_at: iso(now),
    }).execute();
    return token;
  }

  /**
   * The caller behind a token, if the token is known, unexpired, and its key pair still enabled.
   * `nowIso`: `Date.toISOString()`. Every authorized request runs this, so the query is built and compiled
   * once and then run with fresh parameters (building it costs several times what running it does).
   */
  async findTokenUser(token: string, nowIso: string): Promise<TokenUser | undefined> {
    const { sql, query } = (this.tokenUserQuery ??= this.db.selectFrom('tokens')
      .innerJoin('key_pairs', 'key_pairs.app_key', 'tokens.app_key')
      .innerJoin('users', 'users.id', 'tokens.user_id')
      .select(['users.id', 'users.user_name', 'users.status', 'users.balance', 'users.certified', 'users.quotas', 'tokens.app_key'])
      .where('tokens.token_hash', '=', '')
      .where('tokens.expires_at', '>', '')
      .where('key_pairs.enabled', '=', 1)
      .compile());
    const { rows } = await this.db.executeQuery<TokenUser>({ sql, query, parameters: [tokenDigest(token), nowIso, 1], queryId: { queryId: 'find-token-user' } });
    return rows[0];
  }
  private tokenUserQuery: CompiledQuery<TokenUser> | undefined;

  async purgeExpiredTokens(nowIso: string): Promise<void> {
    await this.db.deleteFrom('tokens').where('expires_at', '<=', nowIso).execute();
  }
}
