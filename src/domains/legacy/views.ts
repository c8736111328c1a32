/** Response objects in the documented member order (legacy-containers-apps.md list examples). */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { members } from './lifecycle.ts';
import type { AppRow, ContainerRow } from './store.ts';

export function containerView(row: ContainerRow) {
  const pod = members(row)[0];
  return {
    id: row.id,
    name: row.name,
    desc: row.desc,
    status: row.status,
    bandwidth: row.bandwidth,
    replicas: 1,
    charge_type: row.charge_type,
    spec_id: row.spec_id,
    created_at: row.created_at,
    updated_at: row.updated_at,
    public_ip: row.public_ip,
    private_ip: pod?.private_ip ?? null,
    ssh_key_ids: JSON.parse(row.ssh_key_ids) as number[],
    network_charge_type: row.network_charge_type,
    image_id: row.image_id,
    use_public_network: row.use_public_network,
    env_var: JSON.parse(row.env_var) as Record<string, string>,
  };
}

export function appView(row: AppRow, base: string) {
  return {
    id: row.id,
    name: row.name,
    desc: row.desc,
    domain: row.domain,
    status: row.status,
    replicas: row.replicas,
    volumes: JSON.parse(row.volumes) as unknown[],
    charge_type: 2,
    spec_id: row.spec_id,
    created_at: row.created_at,
    updated_at: row.updated_at,
    public_ip: row.public_ip,
    private_ip: null,
    version_control: row.version_control === null ? null : JSON.parse(row.version_control) as unknown,
    custom_docker_file: row.custom_docker_file,
    image_id: row.image_id,
    containers: members(row),
    env_var: JSON.parse(row.env_var) as Record<string, string>,
    web_hook_url: hookUrl(base, row.hook_id),
  };
}

export function hookUrl(base: string, hookId: string): string {
  return `${base}/api/v1/hooks/app/${hookId}`;
}

/** The server's public base URL as the client reached it (the web hook URL is built on it). */
export function publicBase(req: IncomingMessage): string {
  const tls = (req.socket as TLSSocket).encrypted === true;
  return `${tls ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`;
}
