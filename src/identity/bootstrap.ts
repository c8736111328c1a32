import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { IdentityStore } from './store.ts';
import type { Store } from '../store/db.ts';

export interface BootstrapResult {
  /** Set only when a pair was generated now: printed once, never stored in clear. */
  created?: { user_name: string; app_key: string; app_secret: string };
}

/**
 * Start-up identity: with OPENCOMB_ACCESS_KEY + OPENCOMB_ACCESS_SECRET, make sure that user and pair exist
 * (kept as it is, with its tokens, when the secret is unchanged; replaced, which revokes its tokens, when the
 * secret changed); without them, the first start on an empty store creates a user
 * with a generated pair.
 */
export async function bootstrapIdentity(config: Config, identity: IdentityStore, store: Store, clock: Clock): Promise<BootstrapResult> {
  const { user: userName, accessKey, accessSecret } = config.bootstrap;
  const now = clock.iso();
  if (accessKey && accessSecret) {
    const user = (await identity.findUserByName(userName)) ?? (await identity.createUser(userName, now));
    const pair = await identity.findKeyPair(accessKey);
    if (pair && pair.user_id !== user.id) throw new Error(`OPENCOMB_ACCESS_KEY belongs to another user than ${userName}`);
    if (pair && (await identity.hasSecret(accessKey, accessSecret))) return {};
    if (pair) await identity.deleteKeyPair(accessKey);
    await identity.addKeyPair(user.id, now, accessKey, accessSecret);
    return {};
  }
  const any = await store.db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (any) return {};
  const user = await identity.createUser(userName, now);
  const pair = await identity.addKeyPair(user.id, now);
  return { created: { user_name: userName, ...pair } };
}
