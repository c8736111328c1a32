/**
 * Request schemas of load-balancers.md, each field with its codes beside it: "missing" (4000402 unless
 * the field says otherwise), then the JSON type (4000460, which takes precedence over formats), then the
 * field's own format code. Fields are checked in the order of the request tables.
 */
import { ApiError, type ErrorName } from '../../catalog/index.ts';
import { f, Field, schema, StringField, type JsonSchema } from '../../http/schema.ts';
import {
  CERT_NAME, chargeModeOf, COOKIE_NAME, hostTokens, isDottedQuad, isIntIn, LB_NAME, LISTENER_NAME, normalizeRules, pathTokens,
  protocolOf, validDescription, validListenPort, type ClusterInput, type Policy, type Protocol,
} from './rules.ts';
import type { LbStatus } from '../../store/tables/loadbalancers.ts';

const TYPE: ErrorName = 'LB_INVALID_PARAMETER_TYPE';
const MISSING: ErrorName = 'LB_MISSING_PARAMETERS';
const codes = { missing: MISSING, invalid: TYPE } as const;

type ParseCtx = Parameters<Field<unknown>['parse']>[1];

function fail(code: ErrorName, param: string): ApiError {
  return new ApiError(code, { param });
}

/**
 * An integer as this domain reads it: a JSON number, or a string of ASCII digits with an optional
 * leading `-`; anything else is a type error. A number with a fraction (80.5) is not a type error: it
 * reaches the field's own rule, which refuses it with the field's code.
 */
class LbIntField extends Field<number> {
  protected coerce(raw: unknown, ctx: ParseCtx): number {
    if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
    if (typeof raw === 'string' && /^-?\d+$/.test(raw)) return Number(raw);
    throw fail(this.invalidCode(ctx), ctx.param);
  }
  protected baseSchema(): JsonSchema {
    return { type: 'integer' };
  }
}

const int = () => new LbIntField();

/**
 * The `namespace` parameter: the request header (any case) or, leniently, the query parameter; a
 * non-empty header wins. Absent or empty: 4000402, before any body field.
 */
class NamespaceField extends StringField {
  override parse(raw: unknown, ctx: ParseCtx): string | undefined {
    const header = ctx.scope?.context.headers?.namespace;
    const value = typeof header === 'string' && header !== '' ? header : raw;
    return super.parse(value, ctx);
  }
}

const namespace = () => new NamespaceField().describe('namespace system name (also accepted as the `namespace` header, which wins)');

/** Endpoints that address an LB: the namespace is required. */
export const namespaceQuery = schema({ namespace: namespace().required() }, codes);

/** List: an optional namespace filter, and paging (4000401). */
const DECIMAL = /^-?\d+$/;
export const listQuery = schema({
  namespace: namespace(),
  offset: f.string({ pattern: DECIMAL }).rule((v) => BigInt(v) >= 0n).describe('index of the first LB, >= 0, default 0'),
  limit: f.string({ pattern: DECIMAL }).rule((v) => BigInt(v) >= 0n).describe('0-199 (larger values are clamped to 199), default 50'),
}, { invalid: 'LB_INVALID_PARAMETERS' });

const chargeMode = () => f.string().rule((v) => chargeModeOf(v) !== undefined, 'LB_INVALID_CHARGE_MODE').describe('netflow (alias flow) or bandwidth, any case');
const bandwidthLimit = () => int().rule(isIntIn(1, 1024), 'LB_INVALID_BANDWIDTH_LIMIT').describe('Mbps, 1-1024');
const description = () => f.string().keepEmpty().rule(validDescription, 'LB_INVALID_DESCRIPTION').describe('at most 256 characters, no control characters');

export const createLbBody = schema({
  name: f.string().required().rule((v) => LB_NAME.test(v), 'LB_INVALID_LB_NAME').describe('^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$, unique in the namespace'),
  chargeMode: chargeMode().default('netflow'),
  bandwidthLimit: bandwidthLimit().default(1024),
  description: description().default(''),
  address: f.string().rule(isDottedQuad, 'LB_INVALID_PARAMETERS').describe('address of an available nlb IP of the caller; absent: a new one is allocated'),
}, codes);

export const updateLbBody = schema({
  chargeMode: chargeMode(),
  bandwidthLimit: bandwidthLimit(),
  description: description(),
}, codes);

/** A present optional member of a cluster or policy: its JSON type, then its own rule. */
function parseMember<T>(field: Field<T>, raw: unknown, param: string, scope: ParseCtx['scope']): T | undefined {
  return field.parse(raw, { param, defaults: codes, scope });
}

const clusterFields = {
  serverName: f.string().rule((v) => hostTokens(v) !== undefined, 'LB_INVALID_SERVER_NAME'),
  certId: f.string().required().missing('LB_CERT_ID_NOT_FOUND'),
  optionalCertId: f.string(),
  path: f.string().rule((v) => pathTokens(v) !== undefined, 'LB_INVALID_PATH'),
  serviceName: f.string().required(),
  servicePort: int().required().rule(isIntIn(1, 65535), 'LB_INVALID_SERVICE_PORT'),
  mode: f.string().required().missing('LB_INVALID_POLICY').rule((v) => /^(insert|rewrite)$/i.test(v), 'LB_INVALID_POLICY'),
  expire: int().rule(isIntIn(1, 86400), 'LB_INVALID_POLICY'),
  cookieName: f.string().required().missing('LB_INVALID_POLICY').rule((v) => COOKIE_NAME.test(v), 'LB_INVALID_POLICY'),
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `policy`: absent, null or `{}` disables persistence; otherwise `mode` decides which member counts. */
function parsePolicy(raw: unknown, param: string, scope: ParseCtx['scope']): Policy | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObject(raw)) throw fail(TYPE, param);
  if (Object.keys(raw).length === 0) return undefined;
  const mode = parseMember(clusterFields.mode, raw.mode, `${param}.mode`, scope)!.toLowerCase();
  if (mode === 'insert') return { mode, expire: parseMember(clusterFields.expire, raw.expire, `${param}.expire`, scope) ?? 30 };
  return { mode: 'rewrite', cookieName: parseMember(clusterFields.cookieName, raw.cookieName, `${param}.cookieName`, scope)! };
}

/**
 * `clusters`: an array (4000460 otherwise) of 1 or more (4000401) objects, each judged field by field in
 * the table's order against the listener's protocol. Create knows the protocol from the body (the field
 * before); update judges before the listener is loaded, so its handler checks `certId` presence later,
 * and fields a tcp listener ignores are still judged (docs/loadbalancers.md). The count limit (4000471)
 * is a quota, checked by the handler.
 */
class ClustersField extends Field<ClusterInput[]> {
  constructor() {
    super();
    this.emptyIsAbsent = false;
  }
  protected coerce(raw: unknown, ctx: ParseCtx): ClusterInput[] {
    if (!Array.isArray(raw)) throw fail(TYPE, ctx.param);
    if (raw.length === 0) throw fail('LB_INVALID_PARAMETERS', ctx.param);
    const declared = ctx.scope?.values.protocol;
    const protocol: Protocol | undefined = typeof declared === 'string' ? protocolOf(declared) : undefined;
    return raw.map((element: unknown, i) => {
      const p = `${ctx.param}[${i}].`;
      if (!isObject(element)) throw fail(TYPE, `${ctx.param}[${i}]`);
      const member = <T>(field: Field<T>, name: string) => parseMember(field, element[name], p + name, ctx.scope);
      const out: Partial<ClusterInput> = {};
      if (protocol !== 'tcp') {
        const serverName = member(clusterFields.serverName, 'serverName');
        out.serverName = normalizeRules(serverName ?? '') || '*';
      }
      if (protocol === 'https') out.certId = member(clusterFields.certId, 'certId')!.toLowerCase();
      else if (protocol === undefined) out.certId = member(clusterFields.optionalCertId, 'certId')?.toLowerCase();
      if (protocol !== 'tcp') out.path = normalizeRules(member(clusterFields.path, 'path') ?? '') || '/';
      out.serviceName = member(clusterFields.serviceName, 'serviceName')!;
      out.servicePort = member(clusterFields.servicePort, 'servicePort')!;
      if (protocol !== 'tcp') out.policy = parsePolicy(element.policy, `${p}policy`, ctx.scope);
      if (out.certId === undefined) delete out.certId;
      if (out.policy === undefined) delete out.policy;
      return out as ClusterInput;
    });
  }
  protected baseSchema(): JsonSchema {
    const str = { type: 'string' };
    return {
      type: 'array', minItems: 1,
      items: {
        type: 'object', required: ['serviceName', 'servicePort'],
        properties: {
          serverName: { ...str, description: 'host rules, default *' }, certId: { ...str, description: 'https: a certificate id of the caller' },
          path: { ...str, description: 'URL rules, default /' }, serviceName: { ...str, description: 'a microservice of the namespace' },
          servicePort: { type: 'integer', minimum: 1, maximum: 65535 },
          policy: { type: 'object', properties: { mode: { type: 'string', enum: ['insert', 'rewrite'] }, expire: { type: 'integer', minimum: 1, maximum: 86400 }, cookieName: str } },
        },
      },
    };
  }
  protected override nestedCodes(): ErrorName[] {
    return [TYPE, MISSING, 'LB_INVALID_PARAMETERS', 'LB_INVALID_SERVER_NAME', 'LB_CERT_ID_NOT_FOUND', 'LB_INVALID_PATH', 'LB_INVALID_SERVICE_PORT', 'LB_INVALID_POLICY'];
  }
}

export const createListenerBody = schema({
  name: f.string().required().rule((v) => LISTENER_NAME.test(v), 'LB_INVALID_PARAMETERS').describe('^[a-z]([a-z0-9-]{0,22}[a-z0-9])?$, unique on the LB'),
  protocol: f.string().required().rule((v) => protocolOf(v) !== undefined, 'LB_INVALID_LISTENER_PROTOCOL').describe('http, https or tcp, any case'),
  listenPort: int().required().rule((v, scope) => validListenPort(protocolOf(scope.values.protocol as string)!, v), 'LB_INVALID_LISTENER_PORT')
    .describe('http: 80 or 1025-65535; https: 443 or 1025-65535; tcp: 20-65535'),
  clusters: new ClustersField().required().describe('1-50 forwarding rules'),
}, codes);

export const updateListenerBody = schema({
  clusters: new ClustersField().required().describe('every cluster the listener has afterwards (1-50)'),
}, codes);

export const certBody = schema({
  name: f.string().required().missing('LB_CERT_NAME_MISSING')
    .rule((v) => v.trim() !== '', 'LB_CERT_NAME_MISSING')
    .rule((v) => CERT_NAME.test(v), 'LB_INVALID_CERT_NAME').describe('1-64 letters, digits, ".", "_" or "-"; unique per user'),
  pubCert: f.string().required().describe('PEM certificate chain, server certificate first'),
  priKey: f.string().required().describe('PEM private key (PKCS#1, PKCS#8 or SEC 1), unencrypted'),
}, codes);

/** Operator simulation of provisioning outcomes (docs/loadbalancers.md). */
export const operatorLbStateBody = schema({
  status: f.string<LbStatus>({ enum: ['CREATING', 'WORKING', 'DELETING', 'ERROR'] }).required(),
}, { missing: 'MISSING_PARAMETERS', invalid: 'INVALID_PARAMETERS' });
