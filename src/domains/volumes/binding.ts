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
import { findVolume, settleCreating } from './store.ts';

export function createVolumeBinding({ store, clock }: { store: Store; clock: Clock }): VolumeBinding {
  const { db, dialect } = store;

  return {
    async checkAttachable(owner, volumeIds) {
      await settleCreating(db, clock.iso(), owner.id);
      const found = [];
      for (const id of volumeIds) found.push(await findVolume(db, owner.id, id));
      checkAttach(found);
    },

    async attach(tx, owner, serviceName, mounts) {
      await lockUser(tx, dialect, owner.id);
      const now = clock.iso();
      await settleCreating(tx, now, owner.id);
      // Checked again inside the transaction: the volumes may have changed since checkAttachable.
      const found = [];
      for (const mount of mounts) found.push(await findVolume(tx, owner.id, mount.volumeId));
      checkAttach(found);
      for (const [i, mount] of mounts.entries()) {
        const volume = found[i]!;
        const r = await tx.updateTable('volumes')
          .set({ status: 'mount_succ', service_name: serviceName, mount_path: mount.mountPath, service_container_id: mount.serviceContainerId, updated_at: now })
          .where('id', '=', volume.id).where('status', '=', 'create_succ').executeTakeFirst();
        if (r.numUpdatedRows !== 1n) throw new ApiError('MICROSERVICE_UPDATE_VOLUME_INFO_FAIL');
      }
    },

    async detach(tx, owner, volumeIds) {
      if (volumeIds.length === 0) return;
      await lockUser(tx, dialect, owner.id);
      // Only attached volumes change; a volume that is already detached stays as it is (idempotent).
      await tx.updateTable('volumes')
        .set({ status: 'create_succ', service_name: '', mount_path: null, service_container_id: null, updated_at: clock.iso() })
        .where('user_id', '=', owner.id).where('id', 'in', volumeIds)
        .where('status', 'in', ['mount_succ', 'mounting', 'unmounting', 'mount_fail']).execute();
    },

    async names(owner, volumeIds) {
      const out = new Map<number, string>();
      if (volumeIds.length === 0) return out;
      const rows = await db.selectFrom('volumes').select(['id', 'name']).where('user_id', '=', owner.id).where('id', 'in', volumeIds).execute();
      for (const r of rows) out.set(r.id, r.name);
      return out;
    },
  };
}
