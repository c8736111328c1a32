import { randomUUID } from 'node:crypto';
import { ApiError } from '../../catalog/index.ts';
import type { Db, Tx } from '../../store/db.ts';
import type { VolumesTable, VolumeStatus } from '../../store/tables/volumes.ts';

export type VolumeRow = Omit<VolumesTable, 'id'> & { id: number };

/** Billing names a volume's meter `volume` + its id. */
export const METER_KIND = 'volume';

/** The volume object in the documented member order (`upated_at`, then `updated_at`; see Doc notes). */
export function volumeView(row: VolumeRow) {
  const mounted = row.file_system_type === 'Ext4' && row.mount_path !== null && row.service_container_id !== null;
  return {
    id: row.id,
    name: row.name,
    size: row.size,
    status: row.status,
    volume_uuid: row.volume_uuid,
    service_name: row.service_name,
    file_system_type: row.file_system_type,
    created_at: row.created_at,
    upated_at: row.updated_at,
    updated_at: row.updated_at,
    from_snapshot_id: 0,
    volume_mappings: mounted ? [{ mount_path: row.mount_path, service_container_id: row.service_container_id }] : [],
  };
}

export interface NewVolume {
  name: string;
  size: number;
  format: 'Ext4' | 'Raw';
  now: string;
  readyAt: string;
}

/** The volumes table. Pass a transaction with `.with(tx)` to run the same operations inside it. */
export class VolumeStore {
  constructor(private readonly db: Db | Tx) {}

  /** The same operations inside a transaction. */
  with(tx: Tx): VolumeStore {
    return new VolumeStore(tx);
  }

  /**
   * Provisioning finishes when its time has come: `creating → create_succ` at `ready_at`. Run by the
   * `volumes` due task for everyone and, so that a read never shows a stale state between ticks, for the
   * caller before every operation on volumes.
   */
  async settleCreating(nowIso: string, userId?: number): Promise<void> {
    // Inside a request only the caller's rows are touched (they are guarded by the caller's user lock), so
    // two requests never wait on each other's rows in opposite orders.
    let q = this.db.updateTable('volumes').set((eb) => ({ status: 'create_succ' as VolumeStatus, updated_at: eb.ref('ready_at') }))
      .where('status', '=', 'creating').where('ready_at', '<=', nowIso);
    if (userId !== undefined) q = q.where('user_id', '=', userId);
    await q.execute();
  }

  async insert(userId: number, v: NewVolume): Promise<number> {
    const { id } = await this.db.insertInto('volumes').values({
      user_id: userId, name: v.name, size: v.size, status: 'creating', volume_uuid: randomUUID(), service_name: '',
      file_system_type: v.format, created_at: v.now, updated_at: v.now, ready_at: v.readyAt, mount_path: null, service_container_id: null,
    }).returning('id').executeTakeFirstOrThrow();
    return id;
  }

  async nameTaken(userId: number, name: string): Promise<boolean> {
    return (await this.db.selectFrom('volumes').select('id').where('user_id', '=', userId).where('name', '=', name).executeTakeFirst()) !== undefined;
  }

  find(userId: number, id: number | undefined): Promise<VolumeRow | undefined> {
    if (id === undefined || !Number.isSafeInteger(id) || id <= 0) return Promise.resolve(undefined);
    return this.db.selectFrom('volumes').selectAll().where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
  }

  /** The caller's volume or 4040201 (unknown, another user's, deleted, or a malformed id). */
  async require(userId: number, id: number | undefined): Promise<VolumeRow> {
    const row = await this.find(userId, id);
    if (!row) throw new ApiError('NO_SUCH_CLOUD_VOLUME');
    return row;
  }

  async list(userId: number, limit: number, offset: number): Promise<{ total: number; rows: VolumeRow[] }> {
    const { count } = await this.db.selectFrom('volumes').select((eb) => eb.fn.countAll<string | number>().as('count'))
      .where('user_id', '=', userId).executeTakeFirstOrThrow();
    const rows = await this.db.selectFrom('volumes').selectAll().where('user_id', '=', userId).orderBy('id').limit(limit).offset(offset).execute();
    return { total: Number(count), rows };
  }

  async resize(id: number, size: number, nowIso: string): Promise<void> {
    await this.db.updateTable('volumes').set({ size, updated_at: nowIso }).where('id', '=', id).execute();
  }

  async remove(id: number): Promise<void> {
    await this.db.deleteFrom('volumes').where('id', '=', id).execute();
  }

  /** Any volume by id (operator API); `readyAt` restarts provisioning. Undefined when there is no such volume. */
  setStatus(id: number, status: VolumeStatus, nowIso: string, readyAt?: string): Promise<VolumeRow | undefined> {
    return this.db.updateTable('volumes').set({ status, updated_at: nowIso, ...(readyAt !== undefined && { ready_at: readyAt }) })
      .where('id', '=', id).returningAll().executeTakeFirst();
  }

  /** `create_succ → mount_succ` with the mapping; false when the volume was no longer `create_succ`. */
  async attach(id: number, mount: { serviceName: string; mountPath: string; serviceContainerId: number }, nowIso: string): Promise<boolean> {
    const r = await this.db.updateTable('volumes')
      .set({ status: 'mount_succ', service_name: mount.serviceName, mount_path: mount.mountPath, service_container_id: mount.serviceContainerId, updated_at: nowIso })
      .where('id', '=', id).where('status', '=', 'create_succ').executeTakeFirst();
    return r.numUpdatedRows === 1n;
  }

  /** Attached volumes of the user back to `create_succ`; a volume that is already detached stays as it is. */
  async detach(userId: number, ids: number[], nowIso: string): Promise<void> {
    await this.db.updateTable('volumes')
      .set({ status: 'create_succ', service_name: '', mount_path: null, service_container_id: null, updated_at: nowIso })
      .where('user_id', '=', userId).where('id', 'in', ids)
      .where('status', 'in', ['mount_succ', 'mounting', 'unmounting', 'mount_fail']).execute();
  }

  async names(userId: number, ids: number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    if (ids.length === 0) return out;
    const rows = await this.db.selectFrom('volumes').select(['id', 'name']).where('user_id', '=', userId).where('id', 'in', ids).execute();
    for (const r of rows) out.set(r.id, r.name);
    return out;
  }
}
