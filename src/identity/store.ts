import { canRunEachNow, type Db, type Tx } from '../store/db.ts';
import { InsertBatch } from '../store/insert-batch.ts';
import { prepared } from '../store/prepared.ts';
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

/**
 * The caller behind a token or an Access Key: the user (without the balance, which billing changes on the
 * clock and reads from the store itself) and the Access Key used.
 */
export interface TokenUser extends Omit<UserRow, 'balance'> {
  app_key: string;
}

export const TOKEN_LIFETIME_SECONDS = 86_400;

// The queries of the token endpoint and of every authorized request whose caller is not cached, compiled
// once (src/store/prepared.ts): building them costs several times what running them does.
const keyPair = prepared((db, accessKey: string) => db.selectFrom('key_pairs').innerJoin('users', 'users.id', 'key_pairs.user_id')
  .select(['key_pairs.app_key', 'key_pairs.secret_hash', 'key_pairs.enabled', 'users.id as user_id', 'users.status'])
  .where('key_pairs.app_key', '=', accessKey));
type TokenRow = [token_hash: string, user_id: number, app_key: string, expires_at: string, created_at: string];
const insertToken = prepared((db, token_hash: string, user_id: number, app_key: string, expires_at: string, created_at: string) =>
  db.insertInto('tokens').values({ token_hash, user_id, app_key, expires_at, created_at }));
const tokenUser = prepared((db, digest: string, nowIso: string) => db.selectFrom('tokens')
  .innerJoin('key_pairs', 'key_pairs.app_key', 'tokens.app_key')
  .innerJoin('users', 'users.id', 'tokens.user_id')
  .select(['users.id', 'users.user_name', 'users.status', 'users.certified', 'users.quotas', 'tokens.app_key', 'tokens.expires_at'])
  .where('tokens.token_hash', '=', digest)
  .where('tokens.expires_at', '>', nowIso)
  .where('key_pairs.enabled', '=', 1));

/** What must hear of committed changes to users and key pairs: the token cache (identity/token-cache.ts). */
export interface TokenInvalidation {
  /** Resolves once every replica's cache has forgotten the user (cluster/bus.ts). */
  forgetUser(userId: number): Promise<void> | void;
  forgetAll(): void;
}

/**
 * Users, their Access Key pairs and tokens. The methods that change what a token lookup answers (a user's
 * state, a key pair's) tell the token cache once their single statement has committed, so they refuse
 * to run inside a transaction (the cache could be refilled from the old rows before the commit).
 */
export class IdentityStore {
  /**
   * Tokens issued at the same moment are inserted together, one statement and one commit for all (the
   * insert's commit was the largest part of a token's cost; src/store/insert-batch.ts). Inside a
   * transaction a token is inserted at once, as part of it.
   */
  private readonly issued: InsertBatch<TokenRow> | undefined;

  constructor(private readonly db: Db | Tx, private readonly sealer: Sealer, readonly tokens: TokenInvalidation) {
    this.issued = db.isTransaction ? undefined : new InsertBatch((rows) => this.insertTokens(rows));
  }

  /** The same operations inside a transaction. */
  with(tx: Tx): IdentityStore {
    return new IdentityStore(tx, this.sealer, this.tokens);
  }

  private committed(): void {
    if (this.db.isTransaction) throw new Error('a change to users or key pairs must commit before the token cache forgets');
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
    this.committed();
    await this.db.updateTable('users').set(patch).where('id', '=', id).execute();
    await this.tokens.forgetUser(id);
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
    return keyPair.first(this.db, accessKey);
  }

  /** True when `secret` is the pair's current Access Secret (checked against its keyed hash). */
  async hasSecret(accessKey: string, secret: string): Promise<boolean> {
    const row = await this.db.selectFrom('key_pairs').select('secret_hash').where('app_key', '=', accessKey).executeTakeFirst();
    return row !== undefined && this.sealer.verify(secret, row.secret_hash);
  }

  /** The user behind an Access Key, whether the key is enabled, and its secret in clear (signed requests, RDS). */
  async findKeyUser(accessKey: string): Promise<{ user: TokenUser; enabled: boolean; secret: string } | undefined> {
    const row = await this.db.selectFrom('key_pairs').innerJoin('users', 'users.id', 'key_pairs.user_id')
      .select(['users.id', 'users.user_name', 'users.status', 'users.certified', 'users.quotas', 'key_pairs.app_key', 'key_pairs.enabled', 'key_pairs.secret_sealed'])
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
    this.committed();
    const row = await this.db.updateTable('key_pairs').set({ enabled: enabled ? 1 : 0 }).where('app_key', '=', accessKey).returning('user_id').executeTakeFirst();
    if (row) await this.tokens.forgetUser(row.user_id);
    return row !== undefined;
  }

  /** Deletes the pair and (cascading) its tokens. */
  async deleteKeyPair(accessKey: string): Promise<boolean> {
    this.committed();
    const row = await this.db.deleteFrom('key_pairs').where('app_key', '=', accessKey).returning('user_id').executeTakeFirst();
    if (row) await this.tokens.forgetUser(row.user_id);
    return row !== undefined;
  }

  /** Tokens in as few round trips and commits as the store allows. */
  private async insertTokens(rows: TokenRow[]): Promise<void> {
    if (rows.length === 1) await insertToken.all(this.db, ...rows[0]!);
    // SQLite: one transaction of the prepared insert, run at once.
    else if (canRunEachNow(this.db)) await insertToken.each(this.db, rows);
    // PostgreSQL (or a transaction open on SQLite): one statement, one round trip.
    else await this.db.insertInto('tokens').values(rows.map(([token_hash, user_id, app_key, expires_at, created_at]) => ({ token_hash, user_id, app_key, expires_at, created_at }))).execute();
  }

  async issueToken(userId: number, accessKey: string, now: Date, iso: (d: Date) => string): Promise<string> {
    const token = randomHex32();
    const expires = new Date(now.getTime() + TOKEN_LIFETIME_SECONDS * 1000);
    // Millisecond precision (compared with `Date.toISOString()` of the clock): valid exactly 86,400 s, not
    // up to a second less as a whole-second time would make it.
    const row: TokenRow = [tokenDigest(token), userId, accessKey, expires.toISOString(), iso(now)];
    if (this.issued) await this.issued.add(row);
    else await insertToken.all(this.db, ...row);
    return token;
  }

  /**
   * The caller behind a token (by its digest, `tokenDigest`), if the token is known, unexpired, and its key
   * pair still enabled; with the token's expiry. `nowIso`: `Date.toISOString()`. Authorized requests run
   * this whenever the token cache misses.
   */
  findTokenUser(digest: string, nowIso: string): Promise<(TokenUser & { expires_at: string }) | undefined> {
    return tokenUser.first(this.db, digest, nowIso);
  }

  async purgeExpiredTokens(nowIso: string): Promise<void> {
    await this.db.deleteFrom('tokens').where('expires_at', '<=', nowIso).execute();
  }
}
