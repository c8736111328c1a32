import type { Generated } from 'kysely';

export type VolumeStatus = 'creating' | 'create_succ' | 'create_fail' | 'mounting' | 'mount_succ' | 'mount_fail' | 'unmounting';

export interface VolumesTable {
  id: Generated<number>;
  user_id: number;
  /** Unique per user (database constraint); freed when the volume is deleted. */
  name: string;
  size: number;
  status: VolumeStatus;
  volume_uuid: string;
  /** `""` when unattached; `<namespace>/<microservice>` when mounted by a microservice. */
  service_name: string;
  file_system_type: 'Ext4' | 'Raw';
  created_at: string;
  updated_at: string;
  /** When a `creating` volume finishes provisioning (server clock). */
  ready_at: string;
  /** The single mount (microservice volumes); null when unattached. */
  mount_path: string | null;
  service_container_id: number | null;
}

export interface VolumeTables {
  volumes: VolumesTable;
}
