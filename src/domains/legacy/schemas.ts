/**
 * Bodies and queries of the beta API (legacy-containers-apps.md). Every rule of that file answers
 * `4000001 Invalid parameters.`, every absent required field `4000002 Missing parameters.`; fields are
 * declared in the documented order, so the first failing field decides.
 */
import { ApiError } from '../../catalog/index.ts';
import { f, schema, type RuleScope } from '../../http/schema.ts';

const CODES = { missing: 'MISSING_PARAMETERS', invalid: 'INVALID_PARAMETERS' } as const;

/** Legacy console name rule, containers and apps alike. */
export const NAME = /^[A-Za-z][A-Za-z0-9]{2,31}$/;
export const SPEC_IDS = [1, 10, 20, 30, 40, 50] as const;
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** A DNS host name: dot-separated labels of letters, digits and inner hyphens, at most 253 characters. */
const HOST = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** `env_var`: at most 50 entries; keys `^[A-Za-z_][A-Za-z0-9_]{0,63}$`; numbers and booleans kept as their JSON text. */
const envVar = () => f.record(
  f.string({ max: 1024 }).lenient((v) => (typeof v === 'number' || typeof v === 'boolean' ? JSON.stringify(v) : v)),
  { key: ENV_KEY, describeKey: 'a variable name, ^[A-Za-z_][A-Za-z0-9_]{0,63}$' },
).rule((vars) => Object.keys(vars).length <= 50, undefined, 'at most 50 entries');
const desc = () => f.string({ max: 255 }).keepEmpty().describe('at most 255 characters');
const enumInt = (values: number[]) => f.int({ enum: values });

/** `ssh_key_ids`: an array of ids, or a comma-separated string of them (`"1,2"`); at most 5 distinct. */
const sshKeyIds = () => f.array(f.int({ min: 1 }), { max: 5 }).lenient((raw) => {
  const items = typeof raw === 'string' ? raw.split(',').map((id) => id.trim()).filter((id) => id !== '') : raw;
  if (!Array.isArray(items)) return items;
  const seen = new Set<string>();
  return items.filter((id) => !seen.has(String(id)) && seen.add(String(id)));
}).describe('secret key ids (or "1,2"), at most 5 distinct');

const onDemand = ({ values }: RuleScope) => values.charge_type === 2;
const withPublicNetwork = (scope: RuleScope) => onDemand(scope) && scope.values.use_public_network === 1;
const byBandwidth = (scope: RuleScope) => withPublicNetwork(scope) && scope.values.network_charge_type === 1;
const bandwidth = () => f.int({ min: 1, max: 100 }).describe('Mbps, 0 < bandwidth ≤ 100');

export const createContainerBody = schema({
  charge_type: enumInt([1, 2]).required().describe('1 package, 2 on demand'),
  spec_id: enumInt([...SPEC_IDS]).required().describe('1 / 10 / 20 / 30 / 40 / 50'),
  image_type: enumInt([1, 2]).required().describe('1 official image, 2 custom image'),
  image_id: f.int({ min: 1 }).required().describe('id from GET /api/v1/containers/images'),
  name: f.string({ pattern: NAME }).required().describe('^[A-Za-z][A-Za-z0-9]{2,31}$, unique among the caller’s containers'),
  desc: desc(),
  ssh_key_ids: sshKeyIds(),
  env_var: envVar(),
  // With package billing the public IP is included: the value is not read (stored as 1).
  use_public_network: enumInt([0, 1]).required().when(onDemand, 'charge_type is 2 (package billing always has public network)'),
  network_charge_type: enumInt([1, 2]).required().when(withPublicNetwork, 'charge_type is 2 and use_public_network 1 (required then)', enumInt([1, 2])),
  bandwidth: bandwidth().required().when(byBandwidth, 'billed by bandwidth on demand (required then)', bandwidth()),
}, CODES);

export const updateContainerBody = schema({
  charge_type: enumInt([1, 2]),
  desc: desc(),
  network_charge_type: enumInt([1, 2]),
  bandwidth: bandwidth(),
}, CODES);

const DECIMAL = /^\d+$/;
export const pageQuery = schema({
  limit: f.int({ min: 1, max: 30 }).describe('0 < limit ≤ 30, default 20'),
  offset: f.string({ pattern: DECIMAL }).describe('≥ 0, default 0'),
}, CODES);

/** Epoch seconds (values above 10^12 are milliseconds); negative or absent: the default. */
export const flowQuery = schema({
  from_time: f.string({ pattern: /^-?\d{1,16}$/ }).describe('epoch seconds (or ms above 10^12); default: creation'),
  to_time: f.string({ pattern: /^-?\d{1,16}$/ }).describe('epoch seconds (or ms above 10^12); default: now'),
}, CODES);

/** Repository and tag rules of keys-and-registry.md, checked against the caller by the registry's rule. */
export const saveImageBody = schema({
  repo_name: f.string({ pattern: /^[a-z0-9]+(?:[._/-][a-z0-9]+)*$/, max: 198 }).required().describe('repository name rule (keys-and-registry.md)'),
  tag: f.string({ pattern: /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/ }).required().describe('tag rule (keys-and-registry.md)'),
}, CODES);

const vcText = () => f.string({ max: 512 }).keepEmpty();
const versionControl = () => f.object({
  type: f.string({ enum: ['git', 'svn'] }),
  path: vcText().required(),
  subdir: vcText(),
  branch: vcText(),
  version: vcText(),
  account: vcText(),
  password: vcText(),
}).describe('source code location; `path` required when sent');

const logDirs = () => f.array(f.string({ min: 1, max: 256 }), { max: 10 })
  .rule((dirs) => new Set(dirs).size === dirs.length).describe('at most 10 distinct directories, each 1–256 characters');

const customDockerFile = () => f.string({ max: 512 });

export const createAppBody = schema({
  name: f.string({ pattern: NAME }).required().describe('^[A-Za-z][A-Za-z0-9]{2,31}$, unique among the caller’s apps'),
  desc: desc(),
  domain: f.string({ pattern: HOST }).describe('a DNS host name, at most 253 characters'),
  image_type: enumInt([1, 2]).required(),
  image_id: f.int({ min: 1 }).required(),
  spec_id: enumInt([...SPEC_IDS]).required(),
  replicas: f.int({ min: 1 }).describe('≥ 1, default 1'),
  env_var: envVar(),
  version_control: versionControl().required().when(({ values }) => values.image_type === 1, 'image_type is 1 (required then: the code comes from source control)', versionControl()),
  docker_file_type: enumInt([1, 2]).describe('1 generated (default), 2 custom'),
  custom_docker_file: customDockerFile().required().when(({ values }) => values.docker_file_type === 2, 'docker_file_type is 2 (required then)', customDockerFile()),
  log_dirs: logDirs(),
}, CODES);

export const updateAppBody = schema({
  desc: desc(),
  env_var: envVar(),
  version_control: versionControl(),
  docker_file_type: enumInt([1, 2]),
  custom_docker_file: customDockerFile(),
  log_dirs: logDirs(),
}, CODES);

/** The path segment of resize (core.md §8.2 step 5: validated before the app is looked up). */
export function parseReplicas(segment: string | undefined): number {
  const n = segment !== undefined && /^\d{1,9}$/.test(segment) ? Number(segment) : 0;
  if (n < 1) throw new ApiError('INVALID_PARAMETERS', { param: 'replicas' });
  return n;
}
