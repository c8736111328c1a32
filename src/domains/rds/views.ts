/** RDS answers in the documented member order (rds.md), misspelled keys kept. */
import type { InstanceRow } from './store.ts';
import type { RdsSnapshotsTable } from '../../store/tables/rds.ts';

export function instanceView(row: InstanceRow, latestRestorableTime: string) {
  const available = row.status === 'available';
  return {
    disk_size: row.disk_size,
    memory: row.memory_gb * 1024,
    vcpu: row.cpu,
    backup_type: 'full',
    full_backup_interval: 3,
    backup_retention_num: 7,
    incre_backup_interval: 1,
    instance_name: row.name,
    instance_status: row.status,
    endpoint: { address: row.address, port: row.port },
    engine_version: row.engine_version,
    instance_create_time: row.created_at,
    latest_restorable_time: latestRestorableTime,
    preferred_backup_window: row.preferred_backup_window,
    disk_medium: 'SSD',
    replication_type: 'VSR',
    charge_type: row.charge_type,
    security_groups: [{ security_group_name: 'default', security_group_description: 'Default security group', ip_ranges: ['0.0.0.0/0'] }],
    read_replica_instance_name: '',
    read_replica_source_instance_name: '',
    health_check_status: available ? 'normal' : 'unknown',
    health_check_score: available ? 100 : 0,
    enable_public_ip: false,
    public_ip: null,
  };
}

type SnapshotRow = Pick<RdsSnapshotsTable, 'name' | 'status' | 'created_at' | 'size_kb'>;

export function snapshotView(row: SnapshotRow, instanceName: string) {
  return {
    instance_name: instanceName,
    snapshot_name: row.name,
    snapshot_create_time: row.created_at,
    status: row.status,
    snapshot_type: 'manual',
    snaptshot_size: row.status === 'backuping' ? 0 : row.size_kb,
    snapshot_policy: 'full',
  };
}
