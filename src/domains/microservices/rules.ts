/**
 * Pure field rules of microservices.md §2.10 (step 1 of microservices.md §1.3: syntax, field by field in the order of each
 * endpoint's table, "missing" before "invalid"). Each function takes the raw JSON and either returns the
 * normalised value or throws the field's own catalog code. No I/O: lookups happen later in the handlers.
 */
import { ApiError, type ErrorName } from '../../catalog/index.ts';

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

export const SERVICE_NAME = /^[a-z]([a-z0-9-]{0,22}[a-z0-9])?$/;
export const NAMESPACE_NAME = SERVICE_NAME;
export const CONTAINER_NAME = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
export const SPEC_ALIAS = /^[Cc][0-9]+[Mm][0-9]+[Ss][0-9]+$/;
export const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const LOG_DIR_CHARS = /^[A-Za-z0-9._/-]+$/;
export const LOG_DIR_NORMALISED = /^\/([A-Za-z0-9._-]+\/)+$/;
export const MOUNT_PATH = /^(\/[A-Za-z0-9._-]+)+\/?$/;
export const VOLUME_KEY = /^[1-9][0-9]*$/;
const RESERVED_MOUNTS = new Set(['/bin', '/boot', '/dev', '/etc', '/lib', '/lib64', '/proc', '/sbin', '/sys', '/usr']);

export const LIMITS = { containers: 10, envs: 50, envKey: 128, envValue: 4096, command: 1024, logDirs: 10, logDir: 255, portMaps: 20, volumes: 4, sshKeys: 5, sshKey: 64, desc: 255, bandwidth: 100 } as const;

function bad(code: ErrorName, param?: string): never {
  throw new ApiError(code, param ? { param } : undefined);
}

/** `null`, absent and `""` count as absent (core.md §2.2). */
export function absent(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** int/long: a JSON integer or a string of decimal digits with an optional `-` (microservices.md §1.2). */
export function toInt(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : undefined;
  if (typeof v === 'string' && /^-?\d{1,16}$/.test(v)) {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

/**
 * An int/long that names a stored object (`namespace_id`, `spec_id`): like `toInt`, but an integer too large
 * to be an id (beyond 2^53 − 1) is still an integer — it names nothing, so it becomes 0 and the lookup
 * answers its "No such" code instead of a type error.
 */
export function toIdRef(v: unknown): number | undefined {
  const n = toInt(v);
  if (n !== undefined) return n;
  if ((typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && /^-?\d+$/.test(v))) return 0;
  return undefined;
}

/** Booleans: true/false, "true"/"false" (any case), 0/1 as number or string (microservices.md §1.2). */
export function toBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 0 || v === '0') return false;
  if (v === 1 || v === '1') return true;
  if (typeof v === 'string') {
    const s = v.toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------- parts

export function parseServiceName(v: unknown): string {
  if (absent(v)) bad('MICROSERVICE_MISSING_PARAM', 'service_name');
  if (typeof v !== 'string' || !SERVICE_NAME.test(v)) bad('MICROSERVICE_NAME_FORMAT_INVALID', 'service_name');
  return v;
}

/** `port_maps`: array (≤ 20, checked before entries), ports 1–65535, TCP/UDP, no duplicate ports per protocol. */
export function parsePortMaps(v: unknown): PortMap[] {
  if (!Array.isArray(v)) bad('MICROSERVICE_PORT_MAP_INVALID', 'port_maps');
  if (v.length > LIMITS.portMaps) bad('MICROSERVICE_PORT_MAP_SIZE_UP_TO_LIMIT', 'port_maps');
  const out: PortMap[] = [];
  const targets = new Set<string>();
  const ports = new Set<string>();
  for (const entry of v) {
    if (!isObject(entry)) bad('MICROSERVICE_PORT_MAP_INVALID', 'port_maps');
    const target = toInt(pick(entry, 'target_port', 'dest_port', 'dst_port'));
    const port = toInt(pick(entry, 'port', 'source_port', 'src_port'));
    const rawProto = entry.protocol;
    const protocol = absent(rawProto) ? 'TCP' : typeof rawProto === 'string' ? rawProto.toUpperCase() : '';
    if (target === undefined || target < 1 || target > 65535) bad('MICROSERVICE_PORT_MAP_INVALID', 'port_maps');
    if (port === undefined || port < 1 || port > 65535) bad('MICROSERVICE_PORT_MAP_INVALID', 'port_maps');
    if (protocol !== 'TCP' && protocol !== 'UDP') bad('MICROSERVICE_PORT_MAP_INVALID', 'port_maps');
    const t = `${target}/${protocol}`;
    const p = `${port}/${protocol}`;
    if (targets.has(t) || ports.has(p)) bad('MICROSERVICE_PORT_MAP_INVALID', 'port_maps');
    targets.add(t);
    ports.add(p);
    out.push({ protocol, port, target_port: target });
  }
  return out;
}

function pick(o: Record<string, unknown>, ...names: string[]): unknown {
  for (const n of names) if (!absent(o[n])) return o[n];
  return undefined;
}

/** `spec_alias` wins over legacy `spec_id`; neither → 4000112. */
export function parseSpecChoice(alias: unknown, id: unknown): SpecChoice {
  if (!absent(alias)) {
    if (typeof alias !== 'string' || !SPEC_ALIAS.test(alias)) bad('MICROSERVICE_SPEC_INFO_INVALID', 'spec_alias');
    return { alias: alias.toUpperCase() };
  }
  if (!absent(id)) {
    const n = toIdRef(id);
    if (n === undefined) bad('MICROSERVICE_SPEC_INFO_INVALID', 'spec_id');
    return { id: n };
  }
  bad('MICROSERVICE_MISSING_PARAM', 'spec_alias');
}

/** Create's `state_public_net` (microservices.md §2.10): stateless may only say "not used"; stateful `used` needs type and bandwidth. */
export function parseCreatePublicNet(v: unknown, stateful: boolean): PublicNet {
  if (absent(v)) return { used: false, type: 'flow', bandwidth: 0 };
  if (!isObject(v)) bad('MICROSERVICE_PUBLIC_NETWORK_INFO_INVALID', 'state_public_net');
  const used = absent(v.used) ? false : toBool(v.used);
  if (used === undefined) bad('MICROSERVICE_PUBLIC_NETWORK_INFO_INVALID', 'state_public_net.used');
  if (!used) {
    // Not validated when unused; whatever was given is stored (and echoed by detail) when it has the right shape.
    const type = typeof v.type === 'string' ? canonicalNetType(v.type) ?? v.type : 'flow';
    return { used: false, type, bandwidth: toInt(v.bandwidth) ?? 0 };
  }
  if (!stateful) bad('MICROSERVICE_PUBLIC_NETWORK_INFO_INVALID', 'state_public_net.used');
  const type = typeof v.type === 'string' ? canonicalNetType(v.type) : undefined;
  if (!type) bad('MICROSERVICE_PUBLIC_NETWORK_INFO_INVALID', 'state_public_net.type');
  const bandwidth = toInt(v.bandwidth);
  if (bandwidth === undefined || bandwidth < 1 || bandwidth > LIMITS.bandwidth) bad('MICROSERVICE_PUBLIC_NETWORK_INFO_INVALID', 'state_public_net.bandwidth');
  return { used: true, type, bandwidth };
}

function canonicalNetType(t: string): 'flow' | 'bandwidth' | undefined {
  const s = t.toLowerCase();
  return s === 'flow' || s === 'bandwidth' ? s : undefined;
}

/** update-stateful's body: all three members required; the `used` comparison with the service comes later. */
export function parseUpdatePublicNet(v: unknown): PublicNet {
  if (absent(v)) bad('MICROSERVICE_MISSING_PARAM', 'state_public_net');
  if (!isObject(v)) bad('MICROSERVICE_PUBLIC_NETWORK_INFO_INVALID', 'state_public_net');
  if (absent(v.bandwidth)) bad('MICROSERVICE_MISSING_PARAM', 'state_public_net.bandwidth');
  const bandwidth = toInt(v.bandwidth);
  if (bandwidth === undefined || bandwidth < 1 || bandwidth > LIMITS.bandwidth) bad('MICROSERVICE_PUBLIC_NETWORK_INFO_INVALID', 'state_public_net.bandwidth');
  if (absent(v.type)) bad('MICROSERVICE_MISSING_PARAM', 'state_public_net.type');
  const type = typeof v.type === 'string' ? canonicalNetType(v.type) : undefined;
  if (!type) bad('MICROSERVICE_PUBLIC_NETWORK_INFO_INVALID', 'state_public_net.type');
  if (absent(v.used)) bad('MICROSERVICE_MISSING_PARAM', 'state_public_net.used');
  const used = toBool(v.used);
  if (used === undefined) bad('MICROSERVICE_PUBLIC_NETWORK_INFO_INVALID', 'state_public_net.used');
  return { used, type, bandwidth };
}

/** `envs`: an array of `{key, value}` or, leniently, an object map (entries in key order); ≤ 50; unique keys. */
export function parseEnvs(v: unknown): EnvVar[] {
  if (absent(v)) return [];
  let entries: unknown[];
  if (Array.isArray(v)) entries = v;
  else if (isObject(v)) entries = Object.keys(v).map((key) => ({ key, value: v[key] }));
  else bad('MICROSERVICE_ENV_SIZE_OUT_OF_LIMIT', 'envs');
  if (entries.length > LIMITS.envs) bad('MICROSERVICE_ENV_SIZE_OUT_OF_LIMIT', 'envs');
  const seen = new Set<string>();
  return entries.map((e) => {
    if (!isObject(e)) bad('MICROSERVICE_ENV_KEY_FORMAT_INVALID', 'envs');
    const key = e.key;
    if (typeof key !== 'string' || key.length < 1 || key.length > LIMITS.envKey || !ENV_KEY.test(key) || seen.has(key)) bad('MICROSERVICE_ENV_KEY_FORMAT_INVALID', 'envs.key');
    seen.add(key);
    return { key, value: parseEnvValue(e.value) };
  });
}

function parseEnvValue(v: unknown): string {
  if (v === undefined) return '';
  let s: string;
  if (typeof v === 'string') s = v;
  else if (typeof v === 'number' || typeof v === 'boolean') s = JSON.stringify(v);
  else bad('MICROSERVICE_ENV_VALUE_FORMAT_INVALID', 'envs.value');
  if ([...s].length > LIMITS.envValue || s.includes('\u0000')) bad('MICROSERVICE_ENV_VALUE_FORMAT_INVALID', 'envs.value');
  return s;
}

/** `command`: null/absent/"" → null (image CMD kept); a string of ≤ 1024 characters. */
export function parseCommand(v: unknown): string | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string' || [...v].length > LIMITS.command) bad('MICROSERVICE_CMD_LENGTH_OUT_OF_RANGE', 'command');
  return v;
}

/** One log dir, normalised with a trailing `/`; undefined never — throws the entry's code. */
export function normaliseLogDir(v: unknown): string {
  if (typeof v !== 'string') bad('MICROSERVICE_PARAM_INVALID', 'log_dirs');
  if ([...v].length > LIMITS.logDir) bad('MICROSERVICE_LOG_DIR_TOO_LONG', 'log_dirs');
  if (!v.startsWith('/') || !LOG_DIR_CHARS.test(v)) bad('MICROSERVICE_PARAM_INVALID', 'log_dirs');
  const dir = v.endsWith('/') ? v : `${v}/`;
  if (!LOG_DIR_NORMALISED.test(dir)) bad('MICROSERVICE_PARAM_INVALID', 'log_dirs');
  if (dir.split('/').some((seg) => seg === '.' || seg === '..')) bad('MICROSERVICE_PARAM_INVALID', 'log_dirs');
  return dir;
}

/** `log_dirs`: array of ≤ 10 entries, each normalised; duplicates after normalisation → 4090138. */
export function parseLogDirs(v: unknown): string[] {
  if (absent(v)) return [];
  if (!Array.isArray(v) || v.length > LIMITS.logDirs) bad('MICROSERVICE_LOG_DIR_SIZE_OUT_OF_LIMIT', 'log_dirs');
  const out: string[] = [];
  for (const entry of v) {
    const dir = normaliseLogDir(entry);
    if (out.includes(dir)) bad('DUPLICATE_MICROSERVICE_LOG_DIRECTORY', 'log_dirs');
    out.push(dir);
  }
  return out;
}

/** A weight given as an integer (range is judged over the whole set by `checkWeights`). */
export function parseWeight(v: unknown, code: ErrorName): number | undefined {
  if (absent(v)) return undefined;
  const n = toInt(v);
  if (n === undefined) bad(code);
  return n;
}

/** One container: 100 (absent means 100). Several: each 1–99, all given, total exactly 100. */
export function checkWeights(weights: Array<number | undefined>, code: ErrorName): number[] {
  if (weights.length === 1) {
    const w = weights[0] ?? 100;
    if (w !== 100) bad(code);
    return [w];
  }
  let total = 0;
  for (const w of weights) {
    if (w === undefined || w < 1 || w > 99) bad(code);
    total += w;
  }
  if (total !== 100) bad(code);
  return weights as number[];
}

/** `ssh_keys`: array of 1–64-character strings, ≤ 5, distinct; none on a stateless service. */
export function parseSshKeys(v: unknown, stateful: boolean): string[] {
  if (absent(v)) return [];
  if (!Array.isArray(v) || v.length > LIMITS.sshKeys) bad('MICROSERVICE_SSH_KEY_INVALID', 'ssh_keys');
  const out: string[] = [];
  for (const k of v) {
    if (typeof k !== 'string' || [...k].length < 1 || [...k].length > LIMITS.sshKey || out.includes(k)) bad('MICROSERVICE_SSH_KEY_INVALID', 'ssh_keys');
    out.push(k);
  }
  if (out.length > 0 && !stateful) bad('MICROSERVICE_SSH_KEY_INVALID', 'ssh_keys');
  return out;
}

export function validMountPath(p: unknown): p is string {
  if (typeof p !== 'string' || [...p].length > 255 || !MOUNT_PATH.test(p)) return false;
  const segs = p.split('/');
  if (segs.some((s) => s === '.' || s === '..')) return false;
  return !RESERVED_MOUNTS.has(p.replace(/\/$/, ''));
}

/** `volume_info`: `{"<volume id>": "<mount path>"}`; none on a stateless service. */
export function parseVolumeInfo(v: unknown, stateful: boolean): VolumeMountInput[] {
  if (absent(v)) return [];
  if (!isObject(v)) bad('MICROSERVICE_VOLUME_INFO_INVALID', 'volume_info');
  const out: VolumeMountInput[] = [];
  for (const [key, path] of Object.entries(v)) {
    // A well-formed key beyond 2^53 − 1 names no volume: the lookup answers 4040201.
    if (!VOLUME_KEY.test(key) || !validMountPath(path)) bad('MICROSERVICE_VOLUME_INFO_INVALID', 'volume_info');
    out.push({ volume_id: Number(key), mount_path: path });
  }
  if (out.length > 0 && !stateful) bad('MICROSERVICE_VOLUME_INFO_INVALID', 'volume_info');
  return out;
}

function hasVolumes(raw: unknown): boolean {
  return isObject(raw) && Object.keys(raw).length > 0;
}

// ---------------------------------------------------------------------------------------------- create

/** The whole create body (microservices.md §3.5), field by field in the order of its table. */
export function parseCreate(body: Record<string, unknown>): CreateInput {
  const bill = body.bill_info;
  if (!absent(bill) && typeof bill !== 'string') bad('MICROSERVICE_PARAM_INVALID', 'bill_info');
  const bill_info = absent(bill) ? 'default' : (bill as string);

  const si = body.service_info;
  if (absent(si)) bad('MICROSERVICE_MISSING_PARAM', 'service_info');
  if (!isObject(si)) bad('MICROSERVICE_PARAM_INVALID', 'service_info');

  const nsRaw = absent(si.namespace_id) ? si.namespace_Id : si.namespace_id;
  if (absent(nsRaw)) bad('MICROSERVICE_MISSING_PARAM', 'service_info.namespace_id');
  const namespace_id = toIdRef(nsRaw);
  if (namespace_id === undefined) bad('MICROSERVICE_PARAM_INVALID', 'service_info.namespace_id');

  if (absent(si.stateful)) bad('MICROSERVICE_MISSING_PARAM', 'service_info.stateful');
  const stateful = toBool(si.stateful);
  if (stateful === undefined) bad('MICROSERVICE_PARAM_INVALID', 'service_info.stateful');

  const replicas = absent(si.replicas) ? 1 : toInt(si.replicas);
  if (replicas === undefined || (stateful ? replicas !== 1 : replicas < 1 || replicas > 5)) bad('MICROSERVICE_REPLICAS_SIZE_INVALID', 'service_info.replicas');

  const service_name = parseServiceName(si.service_name);

  if (absent(si.port_maps)) bad('MICROSERVICE_MISSING_PARAM', 'service_info.port_maps');
  const port_maps = parsePortMaps(si.port_maps);

  const spec = parseSpecChoice(si.spec_alias, si.spec_id);
  const public_net = parseCreatePublicNet(si.state_public_net, stateful);

  const rawContainers = body.service_container_infos;
  const anyVolumes = Array.isArray(rawContainers) && rawContainers.some((c) => isObject(c) && hasVolumes(c.volume_info));
  let disk_type: 0 | 2;
  if (absent(si.disk_type)) disk_type = anyVolumes ? 0 : 2;
  else {
    const d = toInt(si.disk_type);
    if (d !== 0 && d !== 2) bad('MICROSERVICE_DISK_TYPE_INVALID', 'service_info.disk_type');
    if (d === 0 && !stateful) bad('MICROSERVICE_DISK_TYPE_INVALID', 'service_info.disk_type');
    if (d === 2 && anyVolumes) bad('MICROSERVICE_DISK_TYPE_INVALID', 'service_info.disk_type');
    disk_type = d;
  }

  let ip_id: string | null = null;
  if (public_net.used) {
    if (absent(si.ip_id) || typeof si.ip_id !== 'string') bad('MICROSERVICE_PUBLIC_NETWORK_INFO_INVALID', 'service_info.ip_id');
    ip_id = si.ip_id;
  }

  if (absent(rawContainers) || (Array.isArray(rawContainers) && rawContainers.length === 0)) bad('MICROSERVICE_MISSING_PARAM', 'service_container_infos');
  if (!Array.isArray(rawContainers) || rawContainers.length > LIMITS.containers) bad('MICROSERVICE_PARAM_INVALID', 'service_container_infos');

  const cpu: Array<number | undefined> = [];
  const mem: Array<number | undefined> = [];
  const partial = rawContainers.map((c) => {
    if (!isObject(c)) bad('MICROSERVICE_PARAM_INVALID', 'service_container_infos');
    if (absent(c.image_path)) bad('MICROSERVICE_MISSING_PARAM', 'image_path');
    if (typeof c.image_path !== 'string') bad('MICROSERVICE_PARAM_INVALID', 'image_path');
    if (absent(c.container_name)) bad('MICROSERVICE_MISSING_PARAM', 'container_name');
    if (typeof c.container_name !== 'string' || !CONTAINER_NAME.test(c.container_name)) bad('MICROSERVICE_CONTAINER_NAME_FORMAT_INVALID', 'container_name');
    let container_desc: string | null = null;
    if (c.container_desc !== undefined && c.container_desc !== null) {
      if (typeof c.container_desc !== 'string' || [...c.container_desc].length > LIMITS.desc) bad('MICROSERVICE_CONTAINER_DESC_LENGTH_OUT_OF_RANGE', 'container_desc');
      container_desc = c.container_desc;
    }
    const command = parseCommand(c.command);
    const envs = parseEnvs(c.envs);
    const log_dirs = parseLogDirs(c.log_dirs);
    cpu.push(parseWeight(c.cpu_weight, 'MICROSERVICE_CPU_WEIGHT_INVALID'));
    mem.push(parseWeight(c.memory_weight, 'MICROSERVICE_MEMORY_WEIGHT_INVALID'));
    const ssh_keys = parseSshKeys(c.ssh_keys, stateful);
    const volumes = parseVolumeInfo(c.volume_info, stateful);
    const ldi = c.local_disk_info;
    if (ldi !== undefined && ldi !== null && !(Array.isArray(ldi) && ldi.length === 0)) bad('MICROSERVICE_DISK_TYPE_INVALID', 'local_disk_info');
    return { image_path: c.image_path, container_name: c.container_name, container_desc, command, envs, log_dirs, ssh_keys, volumes };
  });
  const cpus = checkWeights(cpu, 'MICROSERVICE_CPU_WEIGHT_INVALID');
  const mems = checkWeights(mem, 'MICROSERVICE_MEMORY_WEIGHT_INVALID');

  const allVolumes = partial.flatMap((c) => c.volumes);
  if (disk_type === 0 && allVolumes.length === 0) bad('MICROSERVICE_VOLUME_INFO_INVALID', 'volume_info');
  if (allVolumes.length > LIMITS.volumes) bad('MICROSERVICE_VOLUME_INFO_INVALID', 'volume_info');

  const names = new Set<string>();
  for (const c of partial) {
    if (names.has(c.container_name)) bad('DUPLICATE_MICROSERVICE_CONTAINER_NAME', 'container_name');
    names.add(c.container_name);
  }
  const volumeIds = new Set<number>();
  for (const c of partial) {
    const paths = new Set<string>();
    for (const v of c.volumes) {
      const p = v.mount_path.replace(/\/$/, '');
      if (volumeIds.has(v.volume_id) || paths.has(p)) bad('DUPLICATE_MICROSERVICE_VOLUME_INFO', 'volume_info');
      volumeIds.add(v.volume_id);
      paths.add(p);
    }
  }

  return {
    bill_info, namespace_id, stateful, replicas, service_name, port_maps, spec, public_net, disk_type, ip_id,
    containers: partial.map((c, i) => ({ ...c, cpu_weight: cpus[i]!, memory_weight: mems[i]! })),
  };
}

// ---------------------------------------------------------------------------------------------- updates

export interface ContainerSettings {
  container_id: number;
  envs?: EnvVar[];
  log_dirs?: string[];
  cpu_weight?: number;
  memory_weight?: number;
}

/** A non-empty array of objects with distinct integer `container_id`s (update-stateless, update-image). */
function parseContainerList(v: unknown, param: string): Array<Record<string, unknown> & { id: number }> {
  if (absent(v) || (Array.isArray(v) && v.length === 0)) bad('MICROSERVICE_MISSING_PARAM', param);
  if (!Array.isArray(v)) bad('MICROSERVICE_PARAM_INVALID', param);
  const seen = new Set<number>();
  return v.map((e) => {
    if (!isObject(e)) bad('MICROSERVICE_PARAM_INVALID', param);
    if (absent(e.container_id)) bad('MICROSERVICE_MISSING_PARAM', `${param}.container_id`);
    const id = toInt(e.container_id);
    if (id === undefined || seen.has(id)) bad('MICROSERVICE_PARAM_INVALID', `${param}.container_id`);
    seen.add(id);
    return { ...e, id };
  });
}

/** update-stateless (microservices.md §3.10): absent members keep the stored value; `[]` clears. */
export function parseUpdateStateless(body: Record<string, unknown>): ContainerSettings[] {
  return parseContainerList(body.container_infos, 'container_infos').map((e) => {
    const out: ContainerSettings = { container_id: e.id };
    if (e.envs !== undefined && e.envs !== null) out.envs = parseEnvsStrict(e.envs);
    if (e.log_dirs !== undefined && e.log_dirs !== null) out.log_dirs = parseLogDirsStrict(e.log_dirs);
    const cpu = parseWeight(e.cpu_weight, 'MICROSERVICE_CPU_WEIGHT_INVALID');
    if (cpu !== undefined) out.cpu_weight = cpu;
    const mem = parseWeight(e.memory_weight, 'MICROSERVICE_MEMORY_WEIGHT_INVALID');
    if (mem !== undefined) out.memory_weight = mem;
    return out;
  });
}

/** Present envs (`""` is not an array: invalid). */
function parseEnvsStrict(v: unknown): EnvVar[] {
  if (v === '') bad('MICROSERVICE_ENV_SIZE_OUT_OF_LIMIT', 'envs');
  return parseEnvs(v);
}

function parseLogDirsStrict(v: unknown): string[] {
  if (v === '') bad('MICROSERVICE_LOG_DIR_SIZE_OUT_OF_LIMIT', 'log_dirs');
  return parseLogDirs(v);
}

export interface ImageChange { container_id: number; image_path: string }

/** update-image (microservices.md §3.14): container_images, then min_ready_seconds (1–600). */
export function parseUpdateImage(body: Record<string, unknown>): { images: ImageChange[]; min_ready_seconds: number } {
  const images = parseContainerList(body.container_images, 'container_images').map((e) => {
    if (absent(e.image_path)) bad('MICROSERVICE_MISSING_PARAM', 'container_images.image_path');
    if (typeof e.image_path !== 'string') bad('MICROSERVICE_PARAM_INVALID', 'container_images.image_path');
    return { container_id: e.id, image_path: e.image_path };
  });
  if (absent(body.min_ready_seconds)) bad('MICROSERVICE_MISSING_PARAM', 'min_ready_seconds');
  const n = toInt(body.min_ready_seconds);
  if (n === undefined || n < 1 || n > 600) bad('MICROSERVICE_MIN_READY_SECONDS_OUT_OF_RANGE', 'min_ready_seconds');
  return { images, min_ready_seconds: n };
}

/** update-port (microservices.md §3.12): `port_maps` required (may be `[]`). */
export function parseUpdatePort(body: Record<string, unknown>): PortMap[] {
  if (absent(body.port_maps)) bad('MICROSERVICE_MISSING_PARAM', 'port_maps');
  return parsePortMaps(body.port_maps);
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
