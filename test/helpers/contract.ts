/**
 * The answers a test receives, checked against what the route declares: an error's code must be among the
 * route's `x-error-codes`, a success body must match its declared `success.schema`. Either failure fails
 * the test that triggered it, so the OpenAPI document can't drift from what the server answers.
 */
import assert from 'node:assert/strict';
import { byCode } from '../../src/catalog/index.ts';
import { routeErrorCodes } from '../../src/http/openapi.ts';
import type { JsonSchema } from '../../src/http/response-schema.ts';
import type { Route } from '../../src/http/route.ts';

export interface Answer { status: number; json: any; text: string; contentType?: string | null }

export function checkAnswer(route: Route | undefined, method: string, path: string, res: Answer): void {
  // A JSON route may also render itself in another format on request (`/_opencomb/coverage?format=md`).
  const json = !res.contentType || /json/.test(res.contentType);
  if (res.status >= 400) checkDeclaredCode(route, method, path, res);
  else if (route && res.status === route.success.status && route.success.schema && !route.success.contentType && json && res.text !== '' && method !== 'HEAD') {
    const problems = mismatches(route.success.schema, res.json, '$');
    assert.deepEqual(problems, [], `${method} ${path}: the answer does not match ${route.operationId}'s success schema`);
  }
}

function checkDeclaredCode(route: Route | undefined, method: string, path: string, res: Answer): void {
  if (typeof res.json?.code !== 'number') return;
  const declared = route ? routeErrorCodes(route) : ['NO_SUCH_API', 'HTTP_METHOD_NOT_ALLOWED'];
  const name = byCode(res.json.code)?.name;
  assert.ok(name && declared.includes(name), `${method} ${path} answered ${res.json.code} (${name}), which ${route ? `${route.operationId} does not declare` : 'no route declares'}`);
}

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);

/** The subset of JSON Schema the response vocabulary writes: type, enum, properties/required, items, maps, anyOf, JSON in strings. */
function mismatches(schema: JsonSchema, value: unknown, at: string): string[] {
  if (Array.isArray(schema.anyOf)) {
    return (schema.anyOf as JsonSchema[]).some((s) => mismatches(s, value, at).length === 0) ? [] : [`${at}: matches none of anyOf`];
  }
  const types = schema.type === undefined ? undefined : ([] as string[]).concat(schema.type as string | string[]);
  const actual = typeOf(value);
  if (types && !types.includes(actual) && !(actual === 'integer' && types.includes('number'))) return [`${at}: ${actual}, expected ${types.join('|')}`];
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} not in enum`];
  const out: string[] = [];
  if (actual === 'object') {
    const obj = value as Record<string, unknown>;
    for (const key of (schema.required as string[] | undefined) ?? []) if (!(key in obj)) out.push(`${at}.${key}: missing`);
    const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const [key, v] of Object.entries(obj)) {
      if (props[key]) out.push(...mismatches(props[key], v, `${at}.${key}`));
      else if (typeof schema.additionalProperties === 'object') out.push(...mismatches(schema.additionalProperties as JsonSchema, v, `${at}.${key}`));
      else if (schema.properties && schema.additionalProperties !== true) out.push(`${at}.${key}: not declared`);
    }
  }
  if (actual === 'array' && schema.items) (value as unknown[]).forEach((v, i) => out.push(...mismatches(schema.items as JsonSchema, v, `${at}[${i}]`)));
  if (actual === 'string' && schema.contentSchema) out.push(...mismatches(schema.contentSchema as JsonSchema, JSON.parse(value as string), `${at}(json)`));
  return out;
}
