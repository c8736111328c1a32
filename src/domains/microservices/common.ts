import { ApiError } from '../../catalog/index.ts';
import type { AuthUser } from '../../identity/auth.ts';
import type { Owner } from '../contracts.ts';

export const TAG = 'microservices';

/** The caller as other domains see them. */
export function ownerOf(user: AuthUser): Owner {
  return { id: user.id, user_name: user.user_name };
}

/**
 * Account state (4030009). This domain checks it at step 7 of its own order (microservices.md §1.3: after lookups, state
 * and stored-data checks, before quotas), so its routes do not set the pipeline's `mutates` flag.
 */
export function ensureActive(user: AuthUser): void {
  if (user.status === 'abnormal') throw new ApiError('USER_STATUS_ABNORMAL');
}

/** Platform name of a namespace: `<display_name>-<user name in lower case>` (microservices.md §2.2). */
export function platformName(displayName: string, userName: string): string {
  return `${displayName}-${userName.toLowerCase()}`;
}
