import { entry, type ErrorName } from '../catalog/index.ts';
import { schemaName, type JsonSchema } from './response-schema.ts';
import type { Route } from './route.ts';
import { codeNumbers } from './schema.ts';

/**
 * Every code a route can answer: what the pipeline adds for its kind of route, what its schemas declare
 * field by field, and the domain codes the route lists. Also used by tests to check coverage.
 */
export function routeErrorCodes(route: Route): ErrorName[] {
  const codes = new Set<ErrorName>(['NO_SUCH_API', 'HTTP_METHOD_NOT_ALLOWED', 'REQUEST_TIMEOUT']);
  if (route.auth === 'token' || route.auth === 'operator') codes.add('UNAUTHORIZED_USER');
  if (route.auth === 'token' || route.auth === 'none') codes.add('API_FREQ_OUT_OF_LIMIT');
  for (const scheme of route.schemes ?? []) for (const c of scheme.errors) codes.add(c);
  if (route.certified) codes.add('NOT_CERTIFICATION');
  const body = route.body;
  if (body !== undefined && body !== 'ignored' && route.method !== 'GET' && route.method !== 'DELETE') {
    codes.add('UNSUPPORTED_MEDIA_TYPE');
    codes.add('INVALID_REQUEST_BODY');
    if ('validate' in body) {
      codes.add('UNPROCESSABLE_ENTITY');
      for (const c of body.errorCodes()) codes.add(c);
    }
  }
  for (const c of route.query?.errorCodes() ?? []) codes.add(c);
  if (route.mutates) codes.add('USER_STATUS_ABNORMAL');
  for (const c of route.errors) codes.add(c);
  codes.add(route.internalError ?? 'NCE_INTERNAL_SERVER_ERROR');
  return [...codes].sort((a, b) => entry(a).code - entry(b).code);
}

const errorSchema = {
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: { type: 'integer', description: '7 digits: the HTTP status, then the service and the detail (see /_opencomb/errors)' },
    message: { type: 'string', description: 'the catalog message, byte for byte' },
  },
  additionalProperties: false,
  example: { code: 4000112, message: 'Missing param.' },
};

/** RFC 9457 problem document, answered instead when the request's `Accept` names application/problem+json. */
const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code', 'message', 'request_id'],
  properties: {
    type: { type: 'string', format: 'uri', description: 'link to the code in the error documentation' },
    title: { type: 'string', description: 'the reason phrase of the status' },
    status: { type: 'integer' },
    detail: { type: 'string', description: 'the catalog message' },
    code: { type: 'integer' },
    message: { type: 'string' },
    param: { type: 'string', description: 'the failing field or parameter, when one is to blame (`service_info.port_maps[0]`)' },
    request_id: { type: 'string', format: 'uuid', description: 'the Request-Id header of the answer' },
  },
  example: {
    type: 'http://127.0.0.1:8080/_opencomb/docs/errors.md#4000112', title: 'Bad Request', status: 400, detail: 'Missing param.',
    code: 4000112, message: 'Missing param.', param: 'service_info.namespace_id', request_id: '2b0c6a4e-8f1d-4c55-9a57-0d4c2e8e4f11',
  },
};

/** What each tag groups, for the document's `tags`. */
const TAG_DESCRIPTIONS: Record<string, string> = {
  token: 'Exchange an app key and secret for the token every other public endpoint needs (core.md).',
  'secret keys': 'SSH key pairs injected into stateful services (keys-and-registry.md).',
  'image repositories': 'Private image repositories, their tags and builds (keys-and-registry.md).',
  'public IPs': 'Public IPs bound to stateful services or load balancers (volumes-and-ips.md).',
  'cloud volumes': 'Ext4 and raw block volumes mounted by stateful services (volumes-and-ips.md).',
  microservices: 'Namespaces, service images and microservices: create, inspect, update, scale, restart, delete (microservices.md).',
  'containers (beta)': 'Single VM-like containers of the beta API: images, create, update, restart, save as image, traffic (legacy-containers-apps.md).',
  'apps (beta)': 'Apps (clusters) of the beta API: create, update, resize, the web hook and the watch long poll (legacy-containers-apps.md).',
  'load balancers': 'Load balancers on nlb IPs, their listeners and forwarding rules to microservices, TLS certificates (load-balancers.md).',
  monitoring: 'The last 30 minutes of CPU, memory, disk and network metrics of a microservice container (monitoring.md).',
  rds: 'Managed MySQL: instances, snapshots, databases, accounts and privileges; Token or CC-HMAC-SHA256 signed requests (rds.md).',
  operator: 'The operator API of this server: users, keys, the test clock, snapshots, fault injection (docs/operator.md). Bearer token.',
  server: 'The server\'s own open endpoints: health, the error catalog, this document, the browsable reference.',
};

const DESCRIPTION = `A self-hostable server for the CloudComb container cloud OpenAPI.

Every error is the HTTP status plus \`{"code": <7 digits>, "message": "<catalog text>"}\`; the status is the
code's first three digits. Send \`Accept: application/problem+json\` to get an RFC 9457 problem document
instead, which also names the failing field in \`param\`.

\`x-error-codes\` (on every operation and on every request field) lists the catalog codes that operation or
field can answer, as numbers in ascending order; each response's description pairs them with their messages,
and \`/_opencomb/errors\` lists every code with its status and message.

Integer fields also accept strings of decimal digits, as clients of the original API send them.`;

/** Collects named schemas into `components.schemas`, replacing each occurrence with a reference. */
class Components {
  readonly schemas: Record<string, JsonSchema> = { Error: errorSchema, Problem: problemSchema };
  private readonly seen = new Map<object, string>();

  ref(name: string, schema: JsonSchema): JsonSchema {
    const known = this.seen.get(schema);
    if (known) return { $ref: `#/components/schemas/${known}` };
    if (this.schemas[name]) throw new Error(`two schemas named ${name}`);
    this.seen.set(schema, name);
    this.schemas[name] = this.hoist(schema, true);
    return { $ref: `#/components/schemas/${name}` };
  }

  /** The schema with every named part replaced by a reference to its component. */
  hoist(schema: unknown, top = false): any {
    if (Array.isArray(schema)) return schema.map((s) => this.hoist(s));
    if (typeof schema !== 'object' || schema === null) return schema;
    const name = top ? undefined : schemaName(schema);
    if (name) return this.ref(name, schema as JsonSchema);
    return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === 'example' || k === 'examples' || k === 'default' ? v : this.hoist(v)]));
  }
}

const pascal = (id: string) => id[0]!.toUpperCase() + id.slice(1);

function errorResponses(codes: ErrorName[]): Record<string, unknown> {
  const statuses = new Map<number, ErrorName[]>();
  for (const c of codes) statuses.set(entry(c).status, [...(statuses.get(entry(c).status) ?? []), c]);
  const responses: Record<string, unknown> = {};
  for (const [status, names] of statuses) {
    responses[status] = {
      description: names.map((n) => `${entry(n).code} ${entry(n).message}`).join('; '),
      content: {
        'application/json': { schema: { $ref: '#/components/schemas/Error' } },
        'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
      },
      'x-error-codes': codeNumbers(names),
    };
  }
  return responses;
}

function successResponse(route: Route, components: Components): Record<string, unknown> {
  const { success } = route;
  const out: Record<string, unknown> = { description: success.description };
  if (success.contentType) {
    out.content = { [success.contentType.split(';')[0]!]: { schema: success.schema ? components.hoist(success.schema) : { type: 'string' }, ...(success.example !== undefined ? { example: success.example } : {}) } };
  } else if (success.schema || success.example !== undefined) {
    out.content = { 'application/json': { schema: components.hoist(success.schema ?? {}), ...(success.example !== undefined ? { example: success.example } : {}) } };
  }
  return out;
}

function requestBody(route: Route, components: Components): Record<string, unknown> | undefined {
  const body = route.body;
  if (!body || body === 'ignored' || route.method === 'GET' || route.method === 'DELETE') return undefined;
  if ('validate' in body) {
    return {
      // Required when some member is: an empty body is then refused with that member's "missing" code.
      required: body.hasRequired,
      content: { 'application/json': { schema: components.ref(`${pascal(route.operationId)}Body`, body.jsonSchema()), ...(route.bodyExample !== undefined ? { example: route.bodyExample } : {}) } },
    };
  }
  // A raw body is required when it has required parts (an absent part answers its "missing" code).
  const required = Array.isArray(body.raw.schema?.required) && body.raw.schema.required.length > 0;
  return { required, content: { [body.raw.mediaType ?? 'application/octet-stream']: { schema: body.raw.schema ?? { type: 'string', format: 'binary' } } } };
}

/** The OpenAPI 3.1 document, generated from the same route declarations that validate requests. */
export function buildOpenApi(routes: Route[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const components = new Components();
  const tags = new Set<string>();
  for (const route of routes) {
    tags.add(route.tag);
    for (const path of [route.path, ...(route.aliases ?? [])]) {
      const oasPath = path.replace(/:([A-Za-z_]+)/g, '{$1}');
      const params = [...path.matchAll(/:([A-Za-z_]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
      const query = route.query
        ? Object.entries(route.query.shape).map(([name, field]) => ({
          name, in: 'query', required: field.isRequired && !field.condition,
          schema: { ...field.jsonSchema(route.query!.defaults), 'x-error-codes': codeNumbers(field.errorCodes(route.query!.defaults)) },
        }))
        : [];
      const codes = routeErrorCodes(route);
      const operation: Record<string, unknown> = {
        operationId: path === route.path ? route.operationId : `${route.operationId}Alias${(route.aliases ?? []).indexOf(path) + 1}`,
        summary: route.summary,
        description: route.description ?? route.summary,
        tags: [route.tag],
        parameters: [...params, ...query],
        responses: { [route.success.status]: successResponse(route, components), ...errorResponses(codes) },
        'x-error-codes': codeNumbers(codes),
        security: route.auth === 'token' ? [{ token: [] }] : route.auth === 'operator' ? [{ operator: [] }] : [],
      };
      const body = requestBody(route, components);
      if (body) operation.requestBody = body;
      (paths[oasPath] ??= {})[route.method.toLowerCase()] = operation;
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'opencomb — CloudComb OpenAPI',
      version,
      description: DESCRIPTION,
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/', description: 'this server' }],
    tags: [...tags].map((name) => ({ name, description: TAG_DESCRIPTIONS[name] ?? name })),
    paths,
    components: {
      schemas: components.schemas,
      securitySchemes: {
        token: { type: 'apiKey', in: 'header', name: 'Authorization', description: '`Token <token>`, the token from POST /api/v1/token' },
        operator: { type: 'http', scheme: 'bearer', description: 'the operator token (OPENCOMB_OPERATOR_TOKEN)' },
      },
    },
  };
}
