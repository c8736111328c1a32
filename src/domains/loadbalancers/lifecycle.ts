/**
 * What every endpoint of the domain shares: the caller's namespace (4000459, 5000400), the LB an
 * endpoint addresses (4040402), and the async phases on the server clock: `CREATING → WORKING` and
 * `DELETING → removed` (the IP back to `available`) once the configured delay has passed.
 */
import { ApiError } from '../../catalog/index.ts';
import type { AuthUser } from '../../identity/auth.ts';
import type { Services } from '../../services.ts';
import type { Tx } from '../../store/db.ts';
import { inUserTransaction } from '../../store/transaction.ts';
import { translating } from '../../errors.ts';
import type { Owner } from '../contracts.ts';
import { type LbRow, lbStore } from './store.ts';

export const TAG = 'load balancers';
export const METER_KIND = 'loadbalancer';

export function ownerOf(user: AuthUser): Owner {
  return { id: user.id, user_name: user.user_name };
}

/** Emitted times keep milliseconds in this domain (core.md §10). */
export function nowMs(services: Services, at = services.clock.now()): string {
  return at.toISOString();
}

/** When a phase that starts now ends: the IP binding delay, so the LB and its IP change together. */
export function phaseEnd(services: Services): string {
  return new Date(services.clock.now().getTime() + services.config.ipBindingDelaySeconds * 1000).toISOString();
}

/** The caller's namespace by system name; a failure to read it is the domain's general 5000400. */
export async function resolveNamespace(services: Services, user: AuthUser, name: string): Promise<{ id: number; namespace: string }> {
  const found = await translating({ failure: 'LB_SERVER_ERROR' }, () => services.resources.directory.findNamespace(ownerOf(user), name));
  if (!found) throw new ApiError('LB_NAMESPACE_NOT_FOUND');
  return found;
}

/** The namespace, then the LB in it (settled first, so a read never shows a phase that has ended). */
export async function requireLb(services: Services, user: AuthUser, namespace: string, name: string | undefined): Promise<{ lb: LbRow; namespaceId: number }> {
  const ns = await resolveNamespace(services, user, namespace);
  await settleDue(services, user.id);
  const lb = name === undefined ? undefined : await lbStore(services).findLb(user.id, ns.namespace, name);
  if (!lb) throw new ApiError('NO_SUCH_LOADBALANCER');
  return { lb, namespaceId: ns.id };
}

/** The LB again inside the user's transaction (it may have changed since it was looked up), or 4040402. */
export async function currentLb(services: Services, tx: Tx, user: AuthUser, lb: LbRow): Promise<LbRow> {
  const current = await lbStore(services, tx).findLb(user.id, lb.namespace, lb.name);
  if (!current) throw new ApiError('NO_SUCH_LOADBALANCER');
  return current;
}

/** Ends the phases that are due (everyone's from the due task; the caller's inside a request). */
export async function settleDue(services: Services, userId?: number, now = services.clock.now()): Promise<void> {
  for (const row of await lbStore(services).dueLbs(now.toISOString(), userId)) {
    await inUserTransaction(services.store, row.user_id, async (tx) => {
      const lbs = lbStore(services, tx);
      if (row.status === 'CREATING') {
        await lbs.finishPhase(row, 'WORKING');
      } else if (await lbs.removeLb(row)) {
        // Never released: the IP returns to `available` with its service fields cleared.
        await services.resources.ips.unbind(tx, { id: row.user_id, user_name: '' }, row.address, false);
      }
    });
  }
}
