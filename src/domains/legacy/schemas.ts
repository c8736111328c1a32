/**
 * Bodies and queries of the beta API (legacy-containers-apps.md). Every rule of that file answers
 * `4000001 Invalid parameters.`, every absent required field `4000002 Missing parameters.`; fields are
 * declared in the documented order, so the first failing field decides.
 */
import { ApiError } from '../../catalog/index.ts';
import { Field, f, schema, type JsonSchema, type RuleScope } from '../../http/schema.ts';

const CODES = { missing: 'MISSING_PARAMETERS', invalid: 'INVALID_PARAMETERS' } as const;

/** Legacy console name rule, containers and apps alike. */
export const NAME = /^[A-Za-z][A-Za-z0-9]{2,31}$/;
export const SPEC_IDS = [1, 10, 20, 30, 40, 50] as const;
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** A DNS host name: dot-separated labels of letters, digits and inner hyphens, at most 253 characters. */
const HOST = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/**
 * A field that is required only when the fields before it say so (`use_public_network` with on-demand
 * billing): absent and needed → 4000002 at its place in the documented order.
 */
class RequiredWhen<T> extends Field<T> {
  constructor(private readonly inner: Field<T>, private readonly when: (values: RuleScope['values']) => boolean, private readonly condition: string) {
    super();
  }
  override parse(raw: unknown, ctx: Parameters<Field<T>['parse']>[1]): T | undefined {
    if (this.inner.isAbsent(raw)) {
      if (this.when(ctx.scope?.values ?? {})) throw new ApiError('MISSING_PARAMETERS', { param: ctx.param });
      return undefined;
    }
    return this.inner.parse(raw, ctx);
  }
  protected coerce(raw: unknown): T {
    return raw as T;
  }
  protected baseSchema(): JsonSchema {
    return { ...this.inner.jsonSchema(), description: `${this.inner.description ?? ''} (required ${this.condition})`.trim() };
  }
  override errorCodes(): ['MISSING_PARAMETERS', 'INVALID_PARAMETERS'] {
    return ['MISSING_PARAMETERS', 'INVALID_PARAMETERS'];
  }
}

/** `env_var`: an object of at most 50 entries, keys `^[A-Za-z_][A-Za-z0-9_]{0,63}$`, values text ≤ 1024. */
export function envVarValid(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const entries = Object.entries(v);
  return entries.length <= 50 && entries.every(([k, value]) => ENV_KEY.test(k)
    && (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)))
    && envText(value).length <= 1024);
}

/** Numbers and booleans are kept as their JSON text. */
function envText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function normalizeEnv(v: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries((v ?? {}) as Record<string, unknown>).map(([k, value]) => [k, envText(value)]));
}

const envVar = () => f.any().rule(envVarValid).describe('object, ≤ 50 entries, keys ^[A-Za-z_][A-Za-z0-9_]{0,63}$, values ≤ 1024 characters');
const desc = () => f.string({ max: 255 }).keepEmpty().describe('at most 255 characters');
const enumInt = (values: number[]) => f.int({ enum: values });

/** `ssh_key_ids`: an array of ids, or a comma-separated string of ids ("1,2"); at most 5 distinct. */
function sshKeyIdsValid(v: unknown): boolean {
  return parseSshKeyIds(v) !== undefined;
}
export function parseSshKeyIds(v: unknown): number[] | undefined {
  const items = typeof v === 'string' ? (v.trim() === '' ? [] : v.split(',').map((s) => s.trim())) : v;
  if (!Array.isArray(items)) return undefined;
  const ids: number[] = [];
  for (const item of items) {
    const n = typeof item === 'number' ? item : typeof item === 'string' && /^\d{1,16}$/.test(item) ? Number(item) : NaN;
    if (!Number.isSafeInteger(n) || n <= 0) return undefined;
    if (!ids.includes(n)) ids.push(n);
  }
  return ids.length <= 5 ? ids : undefined;
}

const onDemand = (v: RuleScope['values']) => v.charge_type === 2;
const withPublicNetwork = (v: RuleScope['values']) => onDemand(v) && v.use_public_network === 1;

export const createContainerBody = schema({
  charge_type: enumInt([1, 2]).required().describe('1 package, 2 on demand'),
  spec_id: enumInt([...SPEC_IDS]).required().describe('1 / 10 / 20 / 30 / 40 / 50'),
  image_type: enumInt([1, 2]).required().describe('1 official image, 2 custom image'),
  image_id: f.int({ min: 1 }).required().describe('id from GET /api/v1/containers/images'),
  name: f.string({ pattern: NAME }).required().describe('^[A-Za-z][A-Za-z0-9]{2,31}$, unique among the caller’s containers'),
  desc: desc(),
  ssh_key_ids: f.any().rule(sshKeyIdsValid).describe('array of secret key ids (or "1,2"), at most 5'),
  env_var: envVar(),
  use_public_network: new RequiredWhen(enumInt([0, 1]), onDemand, 'with charge_type 2'),
  network_charge_type: new RequiredWhen(enumInt([1, 2]), withPublicNetwork, 'with charge_type 2 and public network'),
  bandwidth: new RequiredWhen(f.int({ min: 1, max: 100 }), (v) => withPublicNetwork(v) && v.network_charge_type === 1, 'when billed by bandwidth'),
}, CODES);

export const updateContainerBody = schema({
  charge_type: enumInt([1, 2]),
  desc: desc(),
  network_charge_type: enumInt([1, 2]),
  bandwidth: f.int({ min: 1, max: 100 }),
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
  version_control: new RequiredWhen(versionControl(), (v) => v.image_type === 1, 'with image_type 1'),
  docker_file_type: enumInt([1, 2]).describe('1 generated (default), 2 custom'),
  custom_docker_file: new RequiredWhen(customDockerFile(), (v) => v.docker_file_type === 2, 'with docker_file_type 2'),
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
