/**
 * The volume state table of volumes-and-ips.md ("Volume status values and allowed operations"), as pure
 * functions that throw the catalog error a request must answer.
 */
import { ApiError } from '../../catalog/index.ts';
import type { VolumeStatus } from '../../store/tables/volumes.ts';

export const STATUSES: readonly VolumeStatus[] = ['creating', 'create_succ', 'create_fail', 'mounting', 'mount_succ', 'mount_fail', 'unmounting'];

/** Documented pay-as-you-go price of a cloud volume (volumes-and-ips.md, Overview): CNY per GB and hour. */
export const PRICE_PER_GB_HOUR = 0.0007;

/** Hourly price of a volume of `sizeGb`, to a millionth of a CNY (the precision billing keeps). */
export function volumeHourlyPrice(sizeGb: number): number {
  return Math.round(sizeGb * PRICE_PER_GB_HOUR * 1e6) / 1e6;
}

/** States in which a volume is busy with an operation of the platform. */
const BUSY: ReadonlySet<VolumeStatus> = new Set(['creating', 'mounting', 'unmounting']);

export interface VolumeFacts {
  size: number;
  status: VolumeStatus;
  file_system_type: 'Ext4' | 'Raw';
}

/** `ext4`/`RAW` → `Ext4`/`Raw`; absent → `Ext4`. The schema already rejected anything else. */
export function normalizeFormat(format: string | undefined): 'Ext4' | 'Raw' {
  return format !== undefined && format.toLowerCase() === 'raw' ? 'Raw' : 'Ext4';
}

/** Resize, after the lookup: size compared with the current one (4000213), then state. */
export function checkResize(volume: VolumeFacts, newSize: number): void {
  if (newSize <= volume.size) throw new ApiError('VOLUME_PARAM_INVALID', { param: 'size' });
  if (volume.status === 'create_fail') throw new ApiError('VOLUME_STATUS_ABNORMAL');
  if (BUSY.has(volume.status)) throw new ApiError('VOLUME_CANT_OPERATE_IN_CURRENT_STATE');
}

/** Delete: refused while busy or attached (`mount_succ`). */
export function checkDelete(volume: VolumeFacts): void {
  if (BUSY.has(volume.status) || volume.status === 'mount_succ') throw new ApiError('VOLUME_CANT_OPERATE_IN_CURRENT_STATE');
}

/**
 * Mounting by a new stateful microservice (microservices.md §2.8): Ext4 only (4000133), `create_succ` only;
 * failed volumes (`create_fail`, `mount_fail`) answer 4030202, mounted or busy ones 4030258.
 * `found` holds the looked-up volume of each requested id (undefined: not the caller's). Every id must
 * exist (4040201) before any volume's format is judged, and every format before any state (core.md §8.2:
 * existence of referenced resources, then their state), so the answer does not depend on the id order.
 */
export function checkAttach(found: ReadonlyArray<VolumeFacts | undefined>): void {
  if (found.some((v) => v === undefined)) throw new ApiError('NO_SUCH_CLOUD_VOLUME');
  const volumes = found as VolumeFacts[];
  if (volumes.some((v) => v.file_system_type !== 'Ext4')) throw new ApiError('MICROSERVICE_VOLUME_INFO_INVALID');
  for (const volume of volumes) {
    if (volume.status === 'create_succ') continue;
    if (volume.status === 'create_fail' || volume.status === 'mount_fail') throw new ApiError('VOLUME_STATUS_ABNORMAL');
    throw new ApiError('VOLUME_CANT_OPERATE_IN_CURRENT_STATE');
  }
}
