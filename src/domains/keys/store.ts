import type { Store, Tx } from '../../store/db.ts';
import { prepared } from '../../store/prepared.ts';
import { inUserTransaction } from '../../store/transaction.ts';
import { ApiError } from '../../catalog/index.ts';

export interface SecretKeyRow {
  id: number;
  name: string;
  fingerprint: string;
  created_at: string;
}

export interface NewSecretKey {
  /** Absent: the key is named `key-<id>` (with `-2`, `-3`, ... if that name is taken). */
  name: string | undefined;
  fingerprint: string;
  publicKey: string;
  privateKeySealed: string;
  createdAt: string;
}

/**
 * Secret keys of one user. Names are unique per user by a database constraint, so of two concurrent
 * creates with one name exactly one wins; the quota count and the insert share one transaction under the
 * user's lock.
 */
/** The caller's keys, newest first: every `GET /api/v1/secret-keys` (compiled once, src/store/prepared.ts). */
const listKeys = prepared((db, userId: number) => db.selectFrom('secret_keys').select(['id', 'name', 'fingerprint', 'created_at'])
  .where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id', 'desc'));

export class SecretKeyStore {
  constructor(private readonly store: Store) {}

  async create(userId: number, quota: number, key: NewSecretKey): Promise<SecretKeyRow> {
    return inUserTransaction(this.store, userId, async (tx) => {
      if (key.name !== undefined) {
        const taken = await tx.selectFrom('secret_keys').select('id').where('user_id', '=', userId).where('name', '=', key.name).executeTakeFirst();
        if (taken) throw new ApiError('DUPLICATE_SECRET_KEY_NAME');
      }
      const { count } = await tx.selectFrom('secret_keys').select((eb) => eb.fn.countAll<string | number>().as('count')).where('user_id', '=', userId).executeTakeFirstOrThrow();
      if (Number(count) >= quota) throw new ApiError('SECRET_KEY_COUNT_LIMIT');
      // '#' cannot occur in a valid name, so the placeholder never collides with a user's key.
      const placeholder = key.name ?? `#pending:${key.fingerprint}`;
      const row = await tx.insertInto('secret_keys').values({
        user_id: userId, name: placeholder, fingerprint: key.fingerprint, public_key: key.publicKey,
        private_key_sealed: key.privateKeySealed, created_at: key.createdAt,
      }).returning(['id', 'name', 'fingerprint', 'created_at']).executeTakeFirstOrThrow();
      if (key.name !== undefined) return row;
      const name = await this.freeDefaultName(tx, userId, `key-${row.id}`);
      await tx.updateTable('secret_keys').set({ name }).where('id', '=', row.id).execute();
      return { ...row, name };
    }, 'DUPLICATE_SECRET_KEY_NAME');
  }

  private async freeDefaultName(tx: Tx, userId: number, base: string): Promise<string> {
    const rows = await tx.selectFrom('secret_keys').select('name').where('user_id', '=', userId)
      .where((eb) => eb.or([eb('name', '=', base), eb('name', 'like', `${base}-%`)])).execute();
    const taken = new Set(rows.map((r) => r.name));
    if (!taken.has(base)) return base;
    for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
  }

  list(userId: number): Promise<SecretKeyRow[]> {
    return listKeys.all(this.store.db, userId);
  }

  async privateKey(userId: number, id: number): Promise<string | undefined> {
    const row = await this.store.db.selectFrom('secret_keys').select('private_key_sealed')
      .where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
    return row?.private_key_sealed;
  }

  /** Public-key lines of keys found by name, for services that inject keys (microservices reference). */
  findByNames(userId: number, names: string[]): Promise<Array<{ id: number; name: string; public_key: string }>> {
    if (names.length === 0) return Promise.resolve([]);
    return this.store.db.selectFrom('secret_keys').select(['id', 'name', 'public_key'])
      .where('user_id', '=', userId).where('name', 'in', names).execute();
  }

  findByIds(userId: number, ids: number[]): Promise<Array<{ id: number; name: string; public_key: string }>> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.store.db.selectFrom('secret_keys').select(['id', 'name', 'public_key'])
      .where('user_id', '=', userId).where('id', 'in', ids).execute();
  }

  async delete(userId: number, id: number): Promise<boolean> {
    const r = await this.store.db.deleteFrom('secret_keys').where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
    return r.numDeletedRows > 0n;
  }
}
