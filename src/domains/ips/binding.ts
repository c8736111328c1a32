/**
 * The IP domain as other domains see it (contracts.ts `IpBinding`): microservices bind an `nce` IP by id,
 * load balancers an `nlb` IP by address (volumes-and-ips.md Part B, microservices.md §2.8).
 */
import { ApiError } from '../../catalog/index.ts';
import type { Billing, IpBinding, IpBindingTarget, Owner } from '../contracts.ts';
import type { Clock } from '../../clock.ts';
import type { Config } from '../../config.ts';
import { lockUser, type Store, type Tx } from '../../store/db.ts';
import { toNumber } from './pool.ts';
import { checkQuota, IP_HOURLY_PRICE, IP_METER_KIND, normalizeIpId, serviceTypeLabel } from './rules.ts';
import type { IpStore } from './store.ts';

export interface IpBindingDeps {
  store: Store;
  clock: Clock;
  config: Config;
  billing: Billing;
  ips: IpStore;
}

export function createIpBinding({ store, clock, config, billing, ips }: IpBindingDeps): IpBinding {

  /**
   * An IP of the owner named by its id, or by its address (the form a load balancer's `address` has).
   * `byAddress: false`: a microservice's `ip_id` must be the IP's id (microservices.md §2.8), so an
   * address there names no IP (4040302).
   */
  function lookup(store: IpStore, owner: Owner, idOrAddress: string, byAddress = true) {
    if (toNumber(idOrAddress) === undefined) return store.find(owner.id, normalizeIpId(idOrAddress));
    return byAddress ? store.findByAddress(owner.id, idOrAddress) : Promise.resolve(undefined);
  }

  /** Only a load balancer names the IP it takes by address; every other consumer by id. */
  const namesByAddress = (serviceType: string) => serviceType === 'loadbalancer';

  /** Records the binding; a load balancer holds its IP in `binding` while it is CREATING. */
  async function take(tx: Tx, rowId: number, target: IpBindingTarget): Promise<void> {
    const now = clock.now();
    const delayMs = target.service_type === 'loadbalancer' ? config.ipBindingDelaySeconds * 1000 : 0;
    const dueAt = delayMs > 0 ? clock.iso(new Date(now.getTime() + delayMs)) : null;
    await ips.with(tx).setBinding(rowId, {
      status: dueAt ? 'binding' : 'binded', bind_due_at: dueAt, service_type: serviceTypeLabel(target.service_type),
      service_id: target.service_id, service_name: target.service_name, update_at: clock.iso(now),
    });
  }

  return {
    async checkBindable(owner, ipId, type, codes) {
      // An `nce` IP is taken by a microservice (by id); an `nlb` IP by a load balancer (by address).
      const row = await lookup(ips, owner, ipId, type === 'nlb');
      if (!row) throw new ApiError('NO_SUCH_IP');
      if (row.type !== type) throw new ApiError(codes.wrongType);
      if (row.status !== 'available') throw new ApiError(codes.inUse);
    },

    async bind(tx, owner, ipId, target) {
      await lockUser(tx, store.dialect, owner.id);
      const row = await lookup(ips.with(tx), owner, ipId, namesByAddress(target.service_type));
      if (!row) throw new ApiError('NO_SUCH_IP');
      if (row.status !== 'available') throw new ApiError('LB_IP_IS_USING');
      await take(tx, row.id, target);
      return { ip: row.ip };
    },

    async allocate(tx, owner, quotas, target) {
      await lockUser(tx, store.dialect, owner.id);
      const requested = { nce: 0, nlb: 1 };
      checkQuota(await ips.with(tx).counts(owner.id), requested, quotas);
      const instant = clock.now(); // create_at and the start of billing are one instant
      const [row] = await ips.with(tx).allocate(owner.id, requested, clock.iso(instant));
      await billing.meter(tx, owner.id, IP_METER_KIND, row!.ip_id, IP_HOURLY_PRICE, instant);
      await take(tx, row!.id, target);
      return { id: row!.ip_id, ip: row!.ip };
    },

    async unbind(tx, owner, ipId, release) {
      await lockUser(tx, store.dialect, owner.id);
      // The IP can't be released while bound, so it still exists; a missing one has nothing to unbind.
      const row = await lookup(ips.with(tx), owner, ipId);
      if (!row) return;
      if (release) {
        await ips.with(tx).remove(row.id);
        await billing.unmeter(tx, owner.id, IP_METER_KIND, row.ip_id);
        return;
      }
      await ips.with(tx).setBinding(row.id, {
        status: row.status === 'disabled' ? 'disabled' : 'available', bind_due_at: null,
        service_type: '', service_id: '', service_name: '', update_at: clock.iso(),
      });
    },

    async address(owner, ipId) {
      const row = await lookup(ips, owner, ipId);
      return row?.ip ?? null;
    },
  };
}
