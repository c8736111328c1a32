import { entry, type ErrorName } from '../catalog/index.ts';
import type { Route } from './route.ts';

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
  properties: { code: { type: 'integer', description: '7 digits: HTTP status, service, detail' }, message: { type: 'string' } },
  additionalProperties: false,
};

/** The OpenAPI 3.1 document, generated from the same route declarations that validate requests. */
export function buildOpenApi(routes: Route[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    for (const path of [route.path, ...(route.aliases ?? [])]) {
      const oasPath = path.replace(/:([A-Za-z_]+)/g, '{$1}');
      const params = [...path.matchAll(/:([A-Za-z_]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
      const query = route.query ? Object.entries(route.query.jsonSchema().properties as Record<string, unknown>).map(([name, s]) => ({ name, in: 'query', required: false, schema: s })) : [];
      const codes = routeErrorCodes(route);
      const statuses = new Map<number, ErrorName[]>();
      for (const c of codes) statuses.set(entry(c).status, [...(statuses.get(entry(c).status) ?? []), c]);
      const responses: Record<string, unknown> = {
        [route.success.status]: {
          description: route.success.description,
          ...(route.success.contentType ? { content: { [route.success.contentType]: { schema: { type: 'string' } } } }
            : route.success.example !== undefined ? { content: { 'application/json': { example: route.success.example } } } : {}),
        },
      };
      for (const [status, names] of statuses) {
        responses[status] = {
          description: names.map((n) => `${entry(n).code} ${entry(n).message}`).join('; '),
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        };
      }
      const operation: Record<string, unknown> = {
        operationId: path === route.path ? route.operationId : `${route.operationId}Alias${(route.aliases ?? []).indexOf(path) + 1}`,
        summary: route.summary,
        tags: [route.tag],
        parameters: [...params, ...query],
        responses,
        'x-error-codes': codes.map((c) => entry(c).code),
      };
      if (route.auth === 'token') operation.security = [{ token: [] }];
      if (route.auth === 'operator') operation.security = [{ operator: [] }];
      const body = route.body;
      if (body && body !== 'ignored' && route.method !== 'GET' && route.method !== 'DELETE') {
        operation.requestBody = 'validate' in body
          ? { required: false, content: { 'application/json': { schema: body.jsonSchema() } } }
          : { required: true, content: { 'multipart/form-data': { schema: { type: 'object' } } } };
      }
      (paths[oasPath] ??= {})[route.method.toLowerCase()] = operation;
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'opencomb — CloudComb OpenAPI', version },
    paths,
    components: {
      schemas: { Error: errorSchema },
      securitySchemes: {
        token: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Token <token> from POST /api/v1/token' },
        operator: { type: 'http', scheme: 'bearer', description: 'OPENCOMB_OPERATOR_TOKEN' },
      },
    },
  };
}
