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

/**
 * Provisioning finishes when its time has come: `creating → create_succ` at `ready_at`. Run by the
 * `volumes` due task for everyone and, so that a read never shows a stale state between ticks, for the
 * caller before every operation on volumes.
 */
export async function settleCreating(db: Db | Tx, nowIso: string, userId?: number): Promise<void> {
  // Inside a request only the caller's rows are touched (they are guarded by the caller's user lock), so
  // two requests never wait on each other's rows in opposite orders.
  let q = db.updateTable('volumes').set((eb) => ({ status: 'create_succ' as VolumeStatus, updated_at: eb.ref('ready_at') }))
    .where('status', '=', 'creating').where('ready_at', '<=', nowIso);
  if (userId !== undefined) q = q.where('user_id', '=', userId);
  await q.execute();
}

export interface NewVolume {
  name: string;
  size: number;
  format: 'Ext4' | 'Raw';
  now: string;
  readyAt: string;
}

export async function insertVolume(tx: Tx, userId: number, v: NewVolume): Promise<number> {
  const { id } = await tx.insertInto('volumes').values({
    user_id: userId, name: v.name, size: v.size, status: 'creating', volume_uuid: randomUUID(), service_name: '',
    file_system_type: v.format, created_at: v.now, updated_at: v.now, ready_at: v.readyAt, mount_path: null, service_container_id: null,
  }).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function nameTaken(tx: Tx, userId: number, name: string): Promise<boolean> {
  return (await tx.selectFrom('volumes').select('id').where('user_id', '=', userId).where('name', '=', name).executeTakeFirst()) !== undefined;
}

export function findVolume(db: Db | Tx, userId: number, id: number | undefined): Promise<VolumeRow | undefined> {
  if (id === undefined || !Number.isSafeInteger(id) || id <= 0) return Promise.resolve(undefined);
  return db.selectFrom('volumes').selectAll().where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
}

/** The caller's volume or 4040201 (unknown, another user's, deleted, or a malformed id). */
export async function requireVolume(db: Db | Tx, userId: number, id: number | undefined): Promise<VolumeRow> {
  const row = await findVolume(db, userId, id);
  if (!row) throw new ApiError('NO_SUCH_CLOUD_VOLUME');
  return row;
}

export async function listVolumes(db: Db, userId: number, limit: number, offset: number): Promise<{ total: number; rows: VolumeRow[] }> {
  const { count } = await db.selectFrom('volumes').select((eb) => eb.fn.countAll<string | number>().as('count'))
    .where('user_id', '=', userId).executeTakeFirstOrThrow();
  const rows = await db.selectFrom('volumes').selectAll().where('user_id', '=', userId).orderBy('id').limit(limit).offset(offset).execute();
  return { total: Number(count), rows };
}
