/**
 * The bodies and query strings of the microservice endpoints (microservices.md §2.10, §3.5, §3.10–§3.15),
 * declared field by field in the order of each endpoint's table, each field with its own codes. The same
 * declarations validate the request (step 1 of microservices.md §1.3), type the handlers and describe the OpenAPI document.
 */
import { r } from '../../http/response-schema.ts';
import { f, rootScope, schema, type Infer, type RuleScope } from '../../http/schema.ts';
import { SPECS } from './specs.ts';

// ---------------------------------------------------------------------------------------------- formats (microservices.md §2.10)

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
const SPEC_ALIASES = SPECS.map((s) => s.alias);

export const LIMITS = { containers: 10, envs: 50, envKey: 128, envValue: 4096, command: 1024, logDirs: 10, logDir: 255, portMaps: 20, volumes: 4, sshKeys: 5, sshKey: 64, desc: 255, bandwidth: 100 } as const;

export function validMountPath(p: unknown): p is string {
  if (typeof p !== 'string' || [...p].length > 255 || !MOUNT_PATH.test(p)) return false;
  if (p.split('/').some((s) => s === '.' || s === '..')) return false;
  return !RESERVED_MOUNTS.has(p.replace(/\/$/, ''));
}

/** One container: 100 (absent means 100). Several: each 1–99, all given, total exactly 100. */
export function weightsValid(weights: Array<number | undefined>): boolean {
  if (weights.length === 1) return (weights[0] ?? 100) === 100;
  return weights.every((w) => w !== undefined && w >= 1 && w <= 99) && weights.reduce<number>((sum, w) => sum + w!, 0) === 100;
}

export const codes = { missing: 'MICROSERVICE_MISSING_PARAM', invalid: 'MICROSERVICE_PARAM_INVALID' } as const;

const PUBLIC_NET = 'MICROSERVICE_PUBLIC_NETWORK_INFO_INVALID';
const NET_TYPES = ['flow', 'bandwidth'] as const;

// ---------------------------------------------------------------------------------------------- parts

/** `port_maps[]`: every failure of an entry is 4000134; legacy key spellings are read when the main one is absent. */
const portMap = f.object({
  target_port: f.int({ min: 1, max: 65535 }).required().alias('dest_port', 'dst_port').describe('container port').exampleValue(80),
  port: f.int({ min: 1, max: 65535 }).required().alias('source_port', 'src_port').describe('service port (discovery, LB listeners)').exampleValue(8080),
  protocol: f.string<'TCP' | 'UDP'>({ enum: ['TCP', 'UDP'], case: 'upper' }).default('TCP'),
}).missing('MICROSERVICE_PORT_MAP_INVALID').invalid('MICROSERVICE_PORT_MAP_INVALID');

/** At most 20 (4000139, before the entries); no container port and no service port twice for a protocol. */
export const portMaps = () => f.array(portMap, { max: LIMITS.portMaps, overMax: 'MICROSERVICE_PORT_MAP_SIZE_UP_TO_LIMIT' })
  .unique((m) => `${m.target_port}/${m.protocol}`)
  .unique((m) => `${m.port}/${m.protocol}`)
  .invalid('MICROSERVICE_PORT_MAP_INVALID');

/** An env map `{"KEY": "value"}` is read as entries in key order (microservices.md §2.10, 4000123). */
function envEntries(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  return Object.entries(raw).map(([key, value]) => ({ key, value }));
}

/** JSON numbers and booleans are stored as their JSON text. */
const jsonText = (raw: unknown) => (typeof raw === 'number' || typeof raw === 'boolean' ? JSON.stringify(raw) : raw);

export const envs = () => f.array(f.object({
  key: f.string({ max: LIMITS.envKey, pattern: ENV_KEY }).required().missing('MICROSERVICE_ENV_KEY_FORMAT_INVALID')
    .rule((key, scope) => !scope.parent?.earlier?.some((e) => (e as { key: string }).key === key), undefined, 'unique in the container')
    .exampleValue('user'),
  value: f.string({ max: LIMITS.envValue, pattern: /^[^\u0000]*$/ }).keepEmpty().nullIsInvalid().lenient(jsonText).default('')
    .invalid('MICROSERVICE_ENV_VALUE_FORMAT_INVALID').exampleValue('user'),
}).invalid('MICROSERVICE_ENV_KEY_FORMAT_INVALID'), { max: LIMITS.envs })
  .lenient(envEntries)
  .invalid('MICROSERVICE_ENV_SIZE_OUT_OF_LIMIT')
  .describe('[{key, value}], or leniently a map {"KEY": "value"}');

/** A log dir: absolute, normalised with a trailing `/`, no `.`/`..` segment, not `/` (4000113; 4000128 when too long). */
export const logDir = f.string().invalid('MICROSERVICE_PARAM_INVALID')
  .rule((v) => [...v].length <= LIMITS.logDir, 'MICROSERVICE_LOG_DIR_TOO_LONG')
  .rule((v) => v.startsWith('/') && LOG_DIR_CHARS.test(v))
  .normalize((v) => (v.endsWith('/') ? v : `${v}/`))
  .rule((v) => LOG_DIR_NORMALISED.test(v) && !v.split('/').some((seg) => seg === '.' || seg === '..'));

const logDirs = () => f.array(logDir, { max: LIMITS.logDirs })
  .unique((dir) => dir, 'DUPLICATE_MICROSERVICE_LOG_DIRECTORY')
  .invalid('MICROSERVICE_LOG_DIR_SIZE_OUT_OF_LIMIT');

/** A weight: an integer here; the rule over all containers (one: 100; several: 1–99 each, total 100) is the list's. */
const cpuWeight = () => f.int().invalid('MICROSERVICE_CPU_WEIGHT_INVALID');
const memoryWeight = () => f.int().invalid('MICROSERVICE_MEMORY_WEIGHT_INVALID');

// ---------------------------------------------------------------------------------------------- create

/** The service_info being read (a container member's rule reads it through the root). */
const serviceInfo = (scope: RuleScope) => rootScope(scope).values.service_info as { stateful: boolean; disk_type?: number } | undefined;
const stateful = (scope: RuleScope) => serviceInfo(scope)?.stateful === true;
/** For state_public_net's members: the service_info around them, being read. */
const statefulAround = (scope: RuleScope) => scope.parent?.values.stateful === true;
const publicNetUsed = (scope: RuleScope) => scope.values.state_public_net?.used === true;
const specAliasAbsent = (scope: RuleScope) => scope.values.spec_alias === undefined;

/** Some container of the body as received mounts a volume (read ahead, for `disk_type`'s rule and default). */
function anyVolumes(scope: RuleScope): boolean {
  const containers = rootScope(scope).input.service_container_infos;
  return Array.isArray(containers) && containers.some((c) => {
    const info = typeof c === 'object' && c !== null ? (c as Record<string, unknown>).volume_info : undefined;
    return typeof info === 'object' && info !== null && !Array.isArray(info) && Object.keys(info).length > 0;
  });
}

/** `state_public_net` of create: when `used`, type and bandwidth are checked; otherwise stored as given. */
export const createPublicNet = f.object({
  used: f.boolean({ lenient: true }).default(false)
    .rule((used, scope) => !used || statefulAround(scope), PUBLIC_NET, 'a stateless service can not use a public IP'),
  type: f.string({ enum: NET_TYPES, case: 'lower' }).required()
    .when(publicNetOn, '`used` is true (otherwise stored as given)', f.string().keepEmpty().normalize((t) => NET_TYPES.find((n) => n === t.toLowerCase()) ?? t).default('flow').fallback('flow'))
    .exampleValue('flow'),
  bandwidth: f.int({ min: 1, max: LIMITS.bandwidth }).required()
    .when(publicNetOn, '`used` is true (otherwise stored as given)', f.int().default(0).fallback(0))
    .describe('Mbps').exampleValue(20),
}).invalid(PUBLIC_NET).missing(PUBLIC_NET).default({ used: false, type: 'flow', bandwidth: 0 })
  .describe('stateful only; absent means not used');

function publicNetOn(scope: RuleScope): boolean {
  return scope.values.used === true;
}

const container = f.object({
  image_path: f.string().required().describe('hub.c.163.com/<owner>/<repository>[:<tag>]; no tag means latest').exampleValue('hub.c.163.com/public/ubuntu:14.04'),
  container_name: f.string({ pattern: CONTAINER_NAME }).required().invalid('MICROSERVICE_CONTAINER_NAME_FORMAT_INVALID').exampleValue('container002'),
  container_desc: f.string({ max: LIMITS.desc }).keepEmpty().invalid('MICROSERVICE_CONTAINER_DESC_LENGTH_OUT_OF_RANGE').describe('legacy; not echoed'),
  command: f.string({ max: LIMITS.command }).invalid('MICROSERVICE_CMD_LENGTH_OUT_OF_RANGE').describe('replaces the image CMD; "" or absent keeps it'),
  envs: envs().default([]),
  log_dirs: logDirs().default([]).exampleValue(['/var/log/']),
  cpu_weight: cpuWeight().describe('percent; one container: 100 (default); several: 1–99 each, total 100').exampleValue(100),
  memory_weight: memoryWeight().describe('percent; same rule as cpu_weight').exampleValue(100),
  ssh_keys: f.array(f.string({ min: 1, max: LIMITS.sshKey }), { max: LIMITS.sshKeys }).unique((k) => k)
    .rule((keys, scope) => keys.length === 0 || stateful(scope), undefined, 'stateful services only')
    .invalid('MICROSERVICE_SSH_KEY_INVALID').default([]).describe('names of the caller\'s secret keys; stateful only'),
  volume_info: f.record(f.string().rule(validMountPath), { key: VOLUME_KEY, describeKey: 'cloud volume id' })
    .rule((volumes, scope) => Object.keys(volumes).length === 0 || stateful(scope), undefined, 'stateful services only')
    .invalid('MICROSERVICE_VOLUME_INFO_INVALID').default({}).describe('{"<cloud volume id>": "<mount path>"}; stateful only').exampleValue({ 163: '/mnt/' }),
  local_disk_info: f.array(f.object({}), { max: 0 }).keepEmpty().invalid('MICROSERVICE_DISK_TYPE_INVALID').describe('legacy; absent or []'),
});

type Container = Infer<typeof container.shape>;

const volumesOf = (list: Container[]) => list.flatMap((c) => Object.entries(c.volume_info).map(([id, path]) => ({ id, path: path.replace(/\/$/, '') })));

/** microservices.md §3.5, in the order of its table; rules over all containers run once every container is read. */
export const createBody = schema({
  bill_info: f.string().default('default').describe('"default" = pay-as-you-go; other strings are treated alike').exampleValue('default'),
  service_info: f.object({
    namespace_id: f.int({ tooLarge: 0 }).required().alias('namespace_Id').describe('one of the caller\'s namespaces').exampleValue('51616'),
    stateful: f.boolean({ lenient: true }).required().describe('0 = stateless, 1 = stateful').exampleValue(0),
    replicas: f.int().rule((n, scope) => (scope.values.stateful ? n === 1 : n >= 1 && n <= 5)).default(1)
      .invalid('MICROSERVICE_REPLICAS_SIZE_INVALID').describe('stateless 1–5, stateful 1').exampleValue(3),
    service_name: f.string({ pattern: SERVICE_NAME }).required().invalid('MICROSERVICE_NAME_FORMAT_INVALID').exampleValue('ubuntu'),
    port_maps: portMaps().required().describe('may be []; at most 20'),
    spec_alias: f.string({ pattern: SPEC_ALIAS, known: SPEC_ALIASES, case: 'upper' }).invalid('MICROSERVICE_SPEC_INFO_INVALID')
      .describe('required unless the legacy spec_id is given').exampleValue('C1M2S20'),
    spec_id: f.int({ tooLarge: 0 }).required().when(specAliasAbsent, 'spec_alias is absent').invalid('MICROSERVICE_SPEC_INFO_INVALID').describe('legacy 1–7'),
    state_public_net: createPublicNet,
    disk_type: f.int({ enum: [0, 2] })
      .rule((d, scope) => d === 2 || scope.values.stateful, undefined, 'stateless services: 2')
      .rule((d, scope) => d === 0 || !anyVolumes(scope), undefined, '2 is refused when a container mounts volumes')
      .invalid('MICROSERVICE_DISK_TYPE_INVALID').describe('0 = cloud volumes, 2 = no data disk; default 0 when a container mounts volumes, else 2').exampleValue(2),
    ip_id: f.string().required().when(publicNetUsed, 'state_public_net.used is true').invalid(PUBLIC_NET).missing(PUBLIC_NET)
      .describe('an available nce IP').exampleValue('cef9069c-d97d-42b1-a86c-f815f748820c'),
  }).required(),
  service_container_infos: f.array(container, { max: LIMITS.containers, nonEmpty: true }).required()
    .rule((list) => weightsValid(list.map((c) => c.cpu_weight)), 'MICROSERVICE_CPU_WEIGHT_INVALID')
    .rule((list) => weightsValid(list.map((c) => c.memory_weight)), 'MICROSERVICE_MEMORY_WEIGHT_INVALID')
    .rule((list, scope) => scope.values.service_info?.disk_type !== 0 || volumesOf(list).length > 0, 'MICROSERVICE_VOLUME_INFO_INVALID', 'disk_type 0 needs a volume')
    .rule((list) => volumesOf(list).length <= LIMITS.volumes, 'MICROSERVICE_VOLUME_INFO_INVALID', 'at most 4 volumes per service')
    .rule((list) => new Set(list.map((c) => c.container_name)).size === list.length, 'DUPLICATE_MICROSERVICE_CONTAINER_NAME')
    .rule((list) => noDuplicateVolumes(list), 'DUPLICATE_MICROSERVICE_VOLUME_INFO')
    .describe('1–10 container definitions, in pod order'),
}, codes);

/** No volume in two containers; no mount path twice in one container (compared without a trailing `/`). */
function noDuplicateVolumes(list: Container[]): boolean {
  const ids = new Set<string>();
  for (const c of list) {
    const paths = new Set<string>();
    for (const v of volumesOf([c])) {
      if (ids.has(v.id) || paths.has(v.path)) return false;
      ids.add(v.id);
      paths.add(v.path);
    }
  }
  return true;
}

export type CreateBody = Infer<typeof createBody.shape>;

// ---------------------------------------------------------------------------------------------- updates

/** A non-empty list whose entries are identified by distinct `container_id`s, all checked before the rest (microservices.md §3.10, §3.14). */
const containerId = () => f.int().required().describe('a container_id of the service').exampleValue(51577);

/** microservices.md §3.10: absent members keep the stored value; `[]` clears; `""` is a wrong value, not absence. */
export const updateStatelessBody = schema({
  container_infos: f.array(f.object({
    container_id: containerId(),
    envs: envs().keepEmpty(),
    log_dirs: logDirs().keepEmpty(),
    cpu_weight: cpuWeight(),
    memory_weight: memoryWeight(),
  }), { nonEmpty: true }).keyed('container_id').required().describe('one entry per container to change'),
}, codes);

/** microservices.md §3.11: all three members required, in this order; whether `used` may change is judged against the service. */
export const updateStatefulBody = schema({
  state_public_net: f.object({
    bandwidth: f.int({ min: 1, max: LIMITS.bandwidth }).required().describe('Mbps').exampleValue(20),
    type: f.string<'flow' | 'bandwidth'>({ enum: NET_TYPES, case: 'lower' }).required().exampleValue('bandwidth'),
    used: f.boolean({ lenient: true }).required().describe('must equal the current value').exampleValue(true),
  }).required().invalid(PUBLIC_NET),
}, codes);

/** microservices.md §3.12: the complete new list (may be `[]`). */
export const updatePortBody = schema({ port_maps: portMaps().required().describe('the complete new list, at most 20') }, codes);

/** microservices.md §3.14: container_images (ids first), then min_ready_seconds. */
export const updateImageBody = schema({
  container_images: f.array(f.object({
    container_id: containerId(),
    image_path: f.string().required().describe('a tag of the same repository').exampleValue('hub.c.163.com/public/ubuntu:16.04'),
  }), { nonEmpty: true }).keyed('container_id').required(),
  min_ready_seconds: f.int({ min: 1, max: 600 }).required().invalid('MICROSERVICE_MIN_READY_SECONDS_OUT_OF_RANGE').exampleValue(10),
}, codes);

/** microservices.md §3.15's query: spec_alias, or the legacy spec_id when it is absent. */
export const specificationQuery = schema({
  spec_alias: f.string({ pattern: SPEC_ALIAS, known: SPEC_ALIASES, case: 'upper' }).invalid('MICROSERVICE_SPEC_INFO_INVALID').describe('one of the 18 aliases').exampleValue('C2M4S20'),
  spec_id: f.int({ tooLarge: 0 }).required().when(specAliasAbsent, 'spec_alias is absent').invalid('MICROSERVICE_SPEC_INFO_INVALID').describe('legacy 1–7'),
}, codes);

/** microservices.md §3.1 */
export const namespaceBody = schema({
  name: f.string({ pattern: NAMESPACE_NAME }).required().describe('display name; the platform name is <name>-<user name>').exampleValue('my-ev'),
}, codes);

const DECIMAL = /^-?\d+$/;

/** microservices.md §3.6: integers of any size (no upper bound), kept as decimal text; the handler turns them into numbers. */
export const listQuery = schema({
  offset: f.string({ pattern: DECIMAL }).rule((v) => BigInt(v) >= 0n).describe('integer ≥ 0, default 0'),
  limit: f.string({ pattern: DECIMAL }).rule((v) => BigInt(v) > 0n).describe('integer > 0, default: all'),
}, codes);

/** microservices.md §3.9's query. */
export const deleteQuery = schema({
  free_ip: f.boolean({ lenient: true }).default(false).describe('true releases the public IP; false returns it to available'),
}, codes);

// ---------------------------------------------------------------------------------------------- answers

export const SERVICE_STATUSES = [
  'creating', 'create_succ', 'create_fail', 'updating', 'update_succ', 'update_fail',
  'scaling', 'scale_succ', 'scale_fail', 'restarting', 'restart_succ', 'restart_fail',
] as const;

const specInfoJson = r.jsonString(r.object({
  cpu: r.int('millicores'), disk_type: r.enum(['SSD']), memory: r.int('bytes'), spec_alias: r.enum(SPEC_ALIASES), storage: r.int('system disk, GB'),
}), 'the spec, JSON-encoded (microservices.md §2.4)');

/** microservices.md §3.1 */
export const namespaceCreated = {
  schema: r.object({ namespace_id: r.int(), namespace_Id: r.int('the same value, under the spelling of the documented example') }),
  example: { namespace_id: 51616, namespace_Id: 51616 },
};

/** microservices.md §3.2 */
export const namespaceList = {
  schema: r.object({
    namespaces: r.array(r.named('Namespace', r.object({
      deletable: r.boolean('false for default and for namespaces holding services'), id: r.int(),
      display_name: r.string(), namespace: r.string('platform name <display_name>-<user name>'),
    }))),
  }),
  example: {
    namespaces: [
      { deletable: true, id: 51616, display_name: 'my-ev', namespace: 'my-ev-admin' },
      { deletable: false, id: 10685, display_name: 'default', namespace: 'default-sgx52' },
    ],
  },
};

const serviceImage = r.named('ServiceImage', r.object({
  tag: r.string(), repo_id: r.int(), repo_name: r.string(), image_path: r.string('usable as image_path in create and update-image'),
}));

/** microservices.md §3.4 */
export const imageList = {
  schema: r.object({ custom_images: r.array(serviceImage), public_images: r.array(serviceImage) }),
  example: {
    custom_images: [{ tag: 'v1', repo_id: 44627, repo_name: 'mysql', image_path: 'hub.c.163.com/admin/mysql:v1' }],
    public_images: [{ tag: '6.5', repo_id: 1055, repo_name: 'centos', image_path: 'hub.c.163.com/public/centos:6.5' }],
  },
};

/** microservices.md §3.5 */
export const serviceCreated = {
  schema: r.object({ service_id: r.string('the new id, as a decimal string') }),
  example: { service_id: '51573' },
};

/** microservices.md §3.5's stateless example. */
export const createExample = {
  bill_info: 'default',
  service_info: {
    namespace_id: '51616', stateful: 0, replicas: 3, service_name: 'ubuntu', port_maps: [{ target_port: '80', port: '8080', protocol: 'TCP' }],
    spec_alias: 'C1M2S20', disk_type: 2,
  },
  service_container_infos: [{
    image_path: 'hub.c.163.com/public/ubuntu:14.04', container_name: 'container002', command: '',
    envs: [{ key: 'password', value: 'password' }, { key: 'user', value: 'user' }], log_dirs: ['/var/log/'], cpu_weight: 100, memory_weight: 100,
  }],
};

/** microservices.md §3.6 */
export const serviceList = {
  schema: r.object({
    total: r.int('services in the namespace (not the page size)'),
    microservice_infos: r.array(r.named('MicroserviceListItem', r.object({
      id: r.int(), status: r.enum(SERVICE_STATUSES), replicas: r.int(), service_name: r.string(), stateful: r.enum([0, 1]),
      port_maps: r.array(r.object({ protocol: r.enum(['TCP', 'UDP']), port: r.int('service port'), target_port: r.int('container port') })),
      spec_info: specInfoJson, stop_service: r.enum([0, 1], '1: stopped for arrears'),
    }))),
  }),
  example: {
    total: 1,
    microservice_infos: [{
      id: 50511, status: 'restart_succ', replicas: 1, service_name: 'mysql', stateful: 1, port_maps: [{ protocol: 'TCP', port: 80, target_port: 80 }],
      spec_info: '{"cpu":2000,"disk_type":"SSD","memory":2147483648,"spec_alias":"C2M2S20","storage":20}', stop_service: 0,
    }],
  },
};

const containerDetail = (v2: boolean) => r.object({
  envs: r.array(r.object({ key: r.string(), value: r.string() })),
  command: r.nullable(r.string()),
  volumes: r.array(r.object({ name: r.string('cloud volume name'), mount_path: r.string() })),
  ...(v2 ? { replicas: r.array(r.string(), 'pod names, aligned with docker_container_ids and lan_ips') } : {}),
  container_id: r.int(), container_name: r.string(), ssh_keys: r.array(r.string()), log_dirs: r.array(r.string()),
  image_path: r.string(), repo_name: r.string(), image_tag: r.string(), local_disk_info: r.array(r.object({}), 'legacy, always []'),
  cpu_weight: r.int(), memory_weight: r.int(),
  docker_container_ids: r.array(r.string(), 'one runtime container per pod'), lan_ips: r.array(r.string()),
});

const serviceInfoDetail = r.named('MicroserviceInfo', r.object({
  id: r.int(), namespace: r.string('platform name of the namespace'), replicas: r.int(), status: r.enum(SERVICE_STATUSES), service_name: r.string(),
  spec_info: specInfoJson,
  port_maps: r.jsonString(r.array(r.object({ destPort: r.int('container port'), protocol: r.enum(['TCP', 'UDP']), sourcePort: r.int('service port') }))),
  stateful: r.enum([0, 1]),
  state_public_net: r.jsonString(r.object({ bandwidth: r.int(), type: r.string(), used: r.boolean() })),
  extends_disk_size: r.int('always 0'), pub_ip: r.nullable(r.string()), stop_service: r.enum([0, 1], '1: stopped for arrears'),
}));

const detailExample = (v2: boolean) => ({
  service_info: {
    id: 51572, namespace: 'my-ev-admin', replicas: 1, status: 'create_succ', service_name: 'ubuntu',
    spec_info: '{"cpu":2000,"disk_type":"SSD","memory":2147483648,"spec_alias":"C2M2S20","storage":20}',
    port_maps: '[{"destPort":80,"protocol":"TCP","sourcePort":8080}]', stateful: 1, state_public_net: '{"bandwidth":20,"type":"flow","used":true}',
    extends_disk_size: 0, pub_ip: '59.111.163.163', stop_service: 0,
  },
  service_container_infos: [{
    envs: [{ key: 'password', value: 'password' }, { value: 'user', key: 'user' }], command: null, volumes: [{ name: 'volume', mount_path: '/mnt/' }],
    ...(v2 ? { replicas: ['ubuntu-9566-128187165-15zxz'] } : {}),
    container_id: 51577, container_name: 'container002', ssh_keys: ['sshkey1', 'sshkey2'], log_dirs: ['/var/log/'],
    image_path: 'hub.c.163.com/public/ubuntu:14.04', repo_name: 'ubuntu', image_tag: '14.04', local_disk_info: [], cpu_weight: 100, memory_weight: 100,
    docker_container_ids: ['79e666ac71b70e446eb32a7eecc92830d937a4518ebb871456eae5fd8fcf5627'], lan_ips: ['10.18.192.225'],
  }],
});

const detailAnswer = (v2: boolean) => ({
  schema: r.named(v2 ? 'MicroserviceDetailV2' : 'MicroserviceDetail', r.object({ service_info: serviceInfoDetail, service_container_infos: r.array(containerDetail(v2)) })),
  example: detailExample(v2),
});
const DETAIL_ANSWERS = [detailAnswer(false), detailAnswer(true)] as const;

/** microservices.md §3.7 and §3.8 (V2 adds each container's pod names). */
export const serviceDetail = (v2: boolean) => DETAIL_ANSWERS[v2 ? 1 : 0];
