/**
 * Cloud volumes as microservices see them (contracts.ts VolumeBinding; microservices.md §2.8). Attach
 * and detach are synchronous: `create_succ → mount_succ` when the stateful microservice is accepted,
 * back to `create_succ` when it is deleted.
 */
import { ApiError } from '../../catalog/index.ts';
import type { VolumeBinding } from '../contracts.ts';
import type { Clock } from '../../clock.ts';
import { lockUser, type Store } from '../../store/db.ts';
import { checkAttach } from './rules.ts';
import { VolumeStore } from './store.ts';

export function createVolumeBinding({ store, clock }: { store: Store; clock: Clock }): VolumeBinding {
  const volumes = new VolumeStore(store.db);

  return {
    async checkAttachable(owner, volumeIds) {
      await volumes.settleCreating(clock.iso(), owner.id);
      const found = [];
      for (const id of volumeIds) found.push(await volumes.find(owner.id, id));
      checkAttach(found);
    },

    async attach(tx, owner, serviceName, mounts) {
      await lockUser(tx, store.dialect, owner.id);
      const inTx = volumes.with(tx);
      const now = clock.iso();
      await inTx.settleCreating(now, owner.id);
      // Checked again inside the transaction: the volumes may have changed since checkAttachable.
      const found = [];
      for (const mount of mounts) found.push(await inTx.find(owner.id, mount.volumeId));
      checkAttach(found);
      for (const [i, mount] of mounts.entries()) {
        const attached = await inTx.attach(found[i]!.id, { serviceName, mountPath: mount.mountPath, serviceContainerId: mount.serviceContainerId }, now);
        if (!attached) throw new ApiError('MICROSERVICE_UPDATE_VOLUME_INFO_FAIL');
      }
    },

    async detach(tx, owner, volumeIds) {
      if (volumeIds.length === 0) return;
      await lockUser(tx, store.dialect, owner.id);
      // Only attached volumes change; a volume that is already detached stays as it is (idempotent).
      await volumes.with(tx).detach(owner.id, volumeIds, clock.iso());
    },

    names(owner, volumeIds) {
      return volumes.names(owner.id, volumeIds);
    },
  };
}
