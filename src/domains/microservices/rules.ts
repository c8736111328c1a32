/**
 * The formats and limits of microservices.md §2.10, and what the handlers derive from a validated body
 * (the bodies themselves are declared in `schemas.ts`). Pure: no I/O, lookups happen in the handlers.
 */
import { ApiError, type ErrorName } from '../../catalog/index.ts';
import { f, parseField } from '../../http/schema.ts';
import {
  codes, createBody, envs, logDir, portMaps, specificationQuery, updateImageBody, updatePortBody, updateStatefulBody, updateStatelessBody,
  weightsValid, type CreateBody,
} from './schemas.ts';

export { LIMITS, NAMESPACE_NAME, validMountPath } from './schemas.ts';

export interface PortMap { protocol: 'TCP' | 'UDP'; port: number; target_port: number }
export interface EnvVar { key: string; value: string }
export interface PublicNet { used: boolean; type: string; bandwidth: number }
export interface VolumeMountInput { volume_id: number; mount_path: string }
export interface ContainerInput {
  image_path: string;
  container_name: string;
  container_desc: string | null;
  command: string | null;
  envs: EnvVar[];
  log_dirs: string[];
  cpu_weight: number;
  memory_weight: number;
  ssh_keys: string[];
  volumes: VolumeMountInput[];
}
/** A spec chosen by alias (canonical upper case) or legacy numeric id; existence is checked later (4040118). */
export type SpecChoice = { alias: string } | { id: number };
export interface CreateInput {
  bill_info: string;
  namespace_id: number;
  stateful: boolean;
  replicas: number;
  service_name: string;
  port_maps: PortMap[];
  spec: SpecChoice;
  public_net: PublicNet;
  disk_type: 0 | 2;
  ip_id: string | null;
  containers: ContainerInput[];
}

/** The weights of the containers a service has after an update (microservices.md §3.10): the same rule, answered by the handler. */
export function checkWeights(weights: number[], code: ErrorName): void {
  if (!weightsValid(weights)) throw new ApiError(code);
}

/** A validated create body as the handler stores it: defaults that depend on other fields filled in (microservices.md §3.5). */
export function toCreateInput(body: CreateBody): CreateInput {
  const si = body.service_info;
  const containers = body.service_container_infos.map((c) => ({
    image_path: c.image_path,
    container_name: c.container_name,
    container_desc: c.container_desc ?? null,
    command: c.command ?? null,
    envs: c.envs,
    log_dirs: c.log_dirs,
    // One container: absent means 100 (several must all give theirs, checked by the schema).
    cpu_weight: c.cpu_weight ?? 100,
    memory_weight: c.memory_weight ?? 100,
    ssh_keys: c.ssh_keys,
    volumes: Object.entries(c.volume_info).map(([id, mount_path]) => ({ volume_id: Number(id), mount_path })),
  }));
  const anyVolumes = containers.some((c) => c.volumes.length > 0);
  return {
    bill_info: body.bill_info,
    namespace_id: si.namespace_id,
    stateful: si.stateful,
    replicas: si.replicas,
    service_name: si.service_name,
    port_maps: si.port_maps,
    spec: si.spec_alias !== undefined ? { alias: si.spec_alias } : { id: si.spec_id! },
    public_net: si.state_public_net,
    disk_type: (si.disk_type ?? (anyVolumes ? 0 : 2)) as 0 | 2,
    ip_id: si.state_public_net.used ? si.ip_id! : null,
    containers,
  };
}

/** A spec chosen in a query or body: the alias when given, else the legacy id. */
export function specChoice(q: { spec_alias?: string; spec_id?: number }): SpecChoice {
  return q.spec_alias !== undefined ? { alias: q.spec_alias } : { id: q.spec_id! };
}

/** Two port-map lists are equal as sets. */
export function samePortMaps(a: PortMap[], b: PortMap[]): boolean {
  const key = (m: PortMap) => `${m.protocol}/${m.port}/${m.target_port}`;
  const sa = new Set(a.map(key));
  return sa.size === new Set(b.map(key)).size && b.every((m) => sa.has(key(m)));
}

/** The repository part of an image path (everything before the tag); a path without a tag means `latest`. */
export function splitImagePath(path: string): { repo: string; tag: string } {
  const slash = path.lastIndexOf('/');
  const colon = path.lastIndexOf(':');
  return colon > slash ? { repo: path.slice(0, colon), tag: path.slice(colon + 1) } : { repo: path, tag: 'latest' };
}

export const IMAGE_PATH = /^hub\.c\.163\.com\/[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)+(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?$/;

// ------------------------------------------------------------------------ the declarations as pure functions
// Each runs a declaration of `schemas.ts` on a raw value (tables of cases test them without a server).

/** The whole create body (microservices.md §3.5): validated, then derived. */
export function parseCreate(body: Record<string, unknown>): CreateInput {
  return toCreateInput(createBody.validate(body));
}

export function parseEnvs(v: unknown): EnvVar[] {
  return parseField(envs().default([]), v, 'envs', codes)!;
}

export function parsePortMaps(v: unknown): PortMap[] {
  return parseField(portMaps(), v, 'port_maps', codes) as PortMap[];
}

export function normaliseLogDir(v: unknown): string {
  return parseField(logDir.required(), v, 'log_dirs', codes)!;
}

/** `spec_alias` wins over the legacy `spec_id`; neither → 4000112. */
export function parseSpecChoice(alias: unknown, id: unknown): SpecChoice {
  return specChoice(specificationQuery.validate({ spec_alias: alias, spec_id: id }));
}

export function parseUpdatePublicNet(v: unknown): PublicNet {
  return updateStatefulBody.validate({ state_public_net: v }).state_public_net;
}

export interface ContainerSettings {
  container_id: number;
  envs?: EnvVar[];
  log_dirs?: string[];
  cpu_weight?: number;
  memory_weight?: number;
}

export function parseUpdateStateless(body: Record<string, unknown>): ContainerSettings[] {
  return updateStatelessBody.validate(body).container_infos;
}

export interface ImageChange { container_id: number; image_path: string }

export function parseUpdateImage(body: Record<string, unknown>): { images: ImageChange[]; min_ready_seconds: number } {
  const { container_images, min_ready_seconds } = updateImageBody.validate(body);
  return { images: container_images, min_ready_seconds };
}

export function parseUpdatePort(body: Record<string, unknown>): PortMap[] {
  return updatePortBody.validate(body).port_maps;
}

const INT = f.int().invalid('MICROSERVICE_PARAM_INVALID');
const BOOL = f.boolean({ lenient: true }).invalid('MICROSERVICE_PARAM_INVALID');

/** int/long as microservices.md §1.2 reads it: a JSON integer or a string of decimal digits; otherwise undefined. */
export function toInt(v: unknown): number | undefined {
  return attempt(() => parseField(INT, v, 'value'));
}

/** Booleans as microservices.md §1.2 reads them: true/false, "true"/"false" (any case), 0/1 as number or string; otherwise undefined. */
export function toBool(v: unknown): boolean | undefined {
  return attempt(() => parseField(BOOL, v, 'value'));
}

function attempt<T>(work: () => T): T | undefined {
  try {
    return work();
  } catch (err) {
    if (err instanceof ApiError) return undefined;
    throw err;
  }
}
