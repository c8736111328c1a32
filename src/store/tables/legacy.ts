import type { Generated } from 'kysely';

/**
 * Single containers and apps of the beta API (legacy-containers-apps.md). JSON columns hold text;
 * `pods` is the runtime's view of the members (`[{name, lanIp, dockerIds}]`), `operation`/`due_at` the
 * operation handed to the runtime and when it is expected to finish (millisecond ISO), null when stable.
 */
export interface LegacyContainersTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  desc: string;
  status: string;
  charge_type: number;
  spec_id: number;
  image_type: number;
  image_id: number;
  image_path: string;
  ssh_key_ids: string;
  env_var: string;
  use_public_network: number;
  network_charge_type: number | null;
  bandwidth: number | null;
  public_ip: string | null;
  pods: string;
  operation: string | null;
  due_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface LegacyAppsTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  desc: string;
  domain: string | null;
  status: string;
  replicas: number;
  spec_id: number;
  image_type: number;
  image_id: number;
  image_path: string;
  env_var: string;
  /** As returned: the password replaced by its digest; null when none was given. */
  version_control: string | null;
  /** The source-control password, sealed under the master key (kept for checkouts, never returned). */
  vc_password_sealed: string | null;
  docker_file_type: number;
  custom_docker_file: string | null;
  volumes: string;
  /** The 32-hex id at the end of the web hook URL; unique over all apps. */
  hook_id: string;
  public_ip: string | null;
  pods: string;
  operation: string | null;
  due_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface LegacyTables {
  legacy_containers: LegacyContainersTable;
  legacy_apps: LegacyAppsTable;
}
