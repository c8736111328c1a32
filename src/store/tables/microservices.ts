import type { Generated } from 'kysely';

/**
 * Tables of the microservices domain. Namespaces, services and container definitions share one id
 * sequence (`ms_ids`, microservices.md §2.1). JSON columns hold the normalised request values.
 */
export interface MsIdsTable {
  id: Generated<number>;
}

export interface MsNamespacesTable {
  id: number;
  user_id: number;
  display_name: string;
  /** Platform name `<display_name>-<user_name>`. */
  namespace: string;
  /** Services in the namespace, kept by create/delete so that the list's `total` costs O(1). */
  service_count: number;
  created_at: string;
}

export interface MicroservicesTable {
  id: number;
  user_id: number;
  namespace_id: number;
  service_name: string;
  stateful: number;
  replicas: number;
  /** Number of container definitions (quota: replicas × containers). */
  container_count: number;
  status: string;
  spec_alias: string;
  /** JSON `[{protocol, port, target_port}]`. */
  port_maps: string;
  /** JSON `{used, type, bandwidth}`. */
  public_net: string;
  ip_id: string | null;
  disk_type: number;
  bill_info: string;
  stop_service: number;
  /** The operation in progress (JSON, see runtime.ts `Operation`), null when settled. */
  operation: string | null;
  /** When the runtime expects the operation in progress to finish (ISO with milliseconds, internal), null when settled. */
  due_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface MsContainersTable {
  id: number;
  service_id: number;
  position: number;
  container_name: string;
  container_desc: string | null;
  image_path: string;
  command: string | null;
  /** JSON `[{key, value}]`. */
  envs: string;
  /** JSON array of normalised directories. */
  log_dirs: string;
  cpu_weight: number;
  memory_weight: number;
  /** JSON array of key names. */
  ssh_keys: string;
  /** JSON `[{volume_id, mount_path}]`. */
  volumes: string;
}

export interface MsPodsTable {
  id: Generated<number>;
  service_id: number;
  /** Creation order within the service (oldest first). */
  ordinal: number;
  name: string;
  lan_ip: string;
  /** JSON array of runtime container ids, aligned with the container definitions' positions. */
  docker_ids: string;
  /** When the pod started (ISO with milliseconds); its metric series begins here. Null for pods recorded before this was kept. */
  started_at: string | null;
}

/** Runtime container id → its pod, for `PUT .../containers/{uuid}/actions/restart`. */
export interface MsRuntimeContainersTable {
  docker_id: string;
  user_id: number;
  service_id: number;
  pod_id: number;
}

/** A user's totals over their services (quotas of microservices.md §2.9), kept by every insert, delete and resize. */
export interface MsUsageTable {
  user_id: number;
  services: number;
  replicas: number;
  /** Sum of replicas × container definitions. */
  containers: number;
}

export interface MicroservicesTables {
  ms_usage: MsUsageTable;
  ms_ids: MsIdsTable;
  ms_namespaces: MsNamespacesTable;
  microservices: MicroservicesTable;
  ms_containers: MsContainersTable;
  ms_pods: MsPodsTable;
  ms_runtime_containers: MsRuntimeContainersTable;
}
