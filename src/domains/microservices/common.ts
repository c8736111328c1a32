import { ApiError } from '../../catalog/index.ts';
import type { AuthUser } from '../../identity/auth.ts';
import type { Services } from '../../services.ts';
import { isUniqueViolation } from '../../store/db.ts';
import type { Owner } from '../contracts.ts';
import { allocateIds } from './store.ts';

export const TAG = 'microservices';

/** The caller as other domains see them. */
export function ownerOf(user: AuthUser): Owner {
  return { id: user.id, user_name: user.user_name };
}

/**
 * Account state (4030009). This domain checks it at step 7 of its own order (§1.3: after lookups, state
 * and stored-data checks, before quotas), so its routes do not set the pipeline's `mutates` flag.
 */
export function ensureActive(user: AuthUser): void {
  if (user.status === 'abnormal') throw new ApiError('USER_STATUS_ABNORMAL');
}

/** Platform name of a namespace: `<display_name>-<user name in lower case>` (§2.2). */
export function platformName(displayName: string, userName: string): string {
  return `${displayName}-${userName.toLowerCase()}`;
}

/** Every user has a `default` namespace, created the first time any endpoint of this domain is called. */
/**
 * Users known to have their `default` namespace, per server: it can't be deleted, so once seen it stays,
 * and every call of the domain can skip the lookup. Cleared when the operator resets or restores state.
 */
const haveDefault = new WeakMap<Services, Set<number>>();

function knownDefaults(services: Services): Set<number> {
  let known = haveDefault.get(services);
  if (!known) {
    const set = new Set<number>();
    services.storeChangedHooks.push(() => set.clear());
    haveDefault.set(services, set);
    known = set;
  }
  return known;
}

export async function ensureDefaultNamespace(services: Services, user: Owner): Promise<void> {
  const known = knownDefaults(services);
  if (known.has(user.id)) return;
  const { db, dialect } = services.store;
  const found = await db.selectFrom('ms_namespaces').select('id').where('user_id', '=', user.id).where('display_name', '=', 'default').executeTakeFirst();
  if (found) {
    known.add(user.id);
    return;
  }
  try {
    await db.transaction().execute(async (tx) => {
      const [id] = await allocateIds(tx, dialect, 1);
      await tx.insertInto('ms_namespaces').values({
        id: id!, user_id: user.id, display_name: 'default', namespace: platformName('default', user.user_name), service_count: 0, created_at: services.clock.iso(),
      }).execute();
    });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err; // a concurrent first call created it
  }
  known.add(user.id);
}
