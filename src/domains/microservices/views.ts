/** Response bodies in the documented member order (microservices.md §2.4, §3.6–§3.8). */
import type { PortMap, PublicNet } from './rules.ts';
import { specInfo } from './specs.ts';
import type { ContainerRow, ServiceRow } from './store.ts';

export function listItem(s: Pick<ServiceRow, 'id' | 'status' | 'replicas' | 'service_name' | 'stateful' | 'port_maps' | 'spec_alias' | 'stop_service'>) {
  const maps = JSON.parse(s.port_maps) as PortMap[];
  return {
    id: s.id, status: s.status, replicas: s.replicas, service_name: s.service_name, stateful: s.stateful,
    port_maps: maps.map((m) => ({ protocol: m.protocol, port: m.port, target_port: m.target_port })),
    spec_info: specInfo(s.spec_alias), stop_service: s.stop_service,
  };
}

/** Detail's `port_maps`: JSON text, `destPort` = container port, `sourcePort` = service port. */
export function detailPortMaps(json: string): string {
  return JSON.stringify((JSON.parse(json) as PortMap[]).map((m) => ({ destPort: m.target_port, protocol: m.protocol, sourcePort: m.port })));
}

export function detailPublicNet(json: string): string {
  const n = JSON.parse(json) as PublicNet;
  return JSON.stringify({ bandwidth: n.bandwidth, type: n.type, used: n.used });
}

/** `hub.c.163.com/<owner>/<repo...>:<tag>` → repository name (after the owner, no tag) and tag. */
export function imageParts(path: string): { repo_name: string; image_tag: string } {
  const withoutHost = path.split('/').slice(2).join('/');
  const colon = withoutHost.lastIndexOf(':');
  return colon === -1 ? { repo_name: withoutHost, image_tag: 'latest' } : { repo_name: withoutHost.slice(0, colon), image_tag: withoutHost.slice(colon + 1) };
}

export interface PodView { name: string; lan_ip: string; docker_ids: string }

export function detail(s: ServiceRow, namespace: string, pubIp: string | null, containers: ContainerRow[], pods: PodView[], volumeNames: Map<number, string>, v2: boolean) {
  const podIds = pods.map((p) => JSON.parse(p.docker_ids) as string[]);
  return {
    service_info: {
      id: s.id, namespace, replicas: s.replicas, status: s.status, service_name: s.service_name, spec_info: specInfo(s.spec_alias),
      port_maps: detailPortMaps(s.port_maps), stateful: s.stateful, state_public_net: detailPublicNet(s.public_net),
      extends_disk_size: 0, pub_ip: pubIp, stop_service: s.stop_service,
    },
    service_container_infos: containers.map((c, i) => {
      const volumes = (JSON.parse(c.volumes) as Array<{ volume_id: number; mount_path: string }>)
        .map((v) => ({ name: volumeNames.get(v.volume_id) ?? '', mount_path: v.mount_path }));
      const { repo_name, image_tag } = imageParts(c.image_path);
      return {
        envs: JSON.parse(c.envs), command: c.command, volumes,
        ...(v2 ? { replicas: pods.map((p) => p.name) } : {}),
        container_id: Number(c.id), container_name: c.container_name, ssh_keys: JSON.parse(c.ssh_keys), log_dirs: JSON.parse(c.log_dirs),
        image_path: c.image_path, repo_name, image_tag, local_disk_info: [], cpu_weight: c.cpu_weight, memory_weight: c.memory_weight,
        docker_container_ids: podIds.map((ids) => ids[i] ?? ''), lan_ips: pods.map((p) => p.lan_ip),
      };
    }),
  };
}
