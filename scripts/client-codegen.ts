/**
 * Renders src/client/api.ts, the typed operations of `opencomb/client`, from the route declarations — the
 * same declarations that validate requests and make `/openapi.json` (the schemas are taken from the
 * document `buildOpenApi` builds from them, so both name the same types). `npm run gen:client` writes the
 * file; test/client/generated.test.ts fails when it is stale.
 */
import { pino } from 'pino';
import { startServer, VERSION } from '../src/app.ts';
import { defaultConfig } from '../src/config.ts';
import { buildOpenApi } from '../src/http/openapi.ts';
import type { Route } from '../src/http/route.ts';

type Schema = Record<string, any>;

/** Every route of a server with every optional part on (fault injection adds the fault-rule routes). */
export async function allRoutes(): Promise<Route[]> {
  const server = await startServer(defaultConfig({ db: ':memory:', port: 0, tickMs: 0, faultInjection: true, logLevel: 'silent' }), pino({ level: 'silent' }));
  try {
    return [...server.routes.routes];
  } finally {
    await server.close();
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const key = (name: string) => (IDENTIFIER.test(name) ? name : JSON.stringify(name));
const refName = (ref: string) => ref.slice('#/components/schemas/'.length);

function doc(text: string | undefined, indent: string): string {
  if (!text) return '';
  const lines = text.replaceAll('*/', '*\\/').split('\n');
  return lines.length === 1 ? `${indent}/** ${lines[0]} */\n` : `${indent}/**\n${lines.map((l) => `${indent} * ${l}`.trimEnd()).join('\n')}\n${indent} */\n`;
}

/** The TypeScript type of a JSON schema (the subset the route declarations produce). */
export function tsType(s: Schema | boolean | undefined, indent = ''): string {
  if (s === undefined || s === true) return 'unknown';
  if (s === false) return 'never';
  if (s.$ref) return refName(s.$ref);
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return s.enum.map((v: unknown) => JSON.stringify(v)).join(' | ');
  if (s.oneOf || s.anyOf) return union((s.oneOf ?? s.anyOf).map((x: Schema) => tsType(x, indent)));
  if (s.allOf) return s.allOf.map((x: Schema) => tsType(x, indent)).join(' & ');
  if (Array.isArray(s.type)) return union(s.type.map((t: string) => tsType({ ...s, type: t }, indent)));
  switch (s.type) {
    case 'string': return 'string';
    case 'integer': case 'number': return 'number';
    case 'boolean': return 'boolean';
    case 'null': return 'null';
    case 'array': {
      const item = tsType(s.items, indent);
      return /^[A-Za-z0-9_]+$/.test(item) ? `${item}[]` : `Array<${item}>`;
    }
    case 'object': return objectType(s, indent);
    default: return 'unknown';
  }
}

function union(types: string[]): string {
  return [...new Set(types)].join(' | ');
}

function objectType(s: Schema, indent: string): string {
  const props = Object.entries<Schema>(s.properties ?? {});
  const required = new Set<string>(s.required ?? []);
  const extra = s.additionalProperties;
  if (props.length === 0) return extra === false ? 'Record<string, never>' : `Record<string, ${typeof extra === 'object' ? tsType(extra, indent) : 'unknown'}>`;
  const inner = `${indent}  `;
  const lines = props.map(([name, p]) => `${doc(p.description, inner)}${inner}${key(name)}${required.has(name) ? '' : '?'}: ${tsType(p, inner)};`);
  if (extra && typeof extra === 'object') lines.push(`${inner}[key: string]: ${tsType(extra, inner)} | undefined;`);
  return `{\n${lines.join('\n')}\n${indent}}`;
}

interface Param { name: string; required: boolean; type: string; description?: string }

/** What the runtime needs of an operation, and the types of its method. */
interface Operation {
  id: string;
  method: string;
  path: string;
  auth: Route['auth'];
  summary: string;
  pathParams: Param[];
  query: Param[];
  body: { kind: 'json' | 'raw'; type: string; required: boolean; mediaType: string } | undefined;
  result: { kind: 'json' | 'text' | 'none'; type: string };
}

function operationOf(route: Route, openapi: any): Operation {
  const op = openapi.paths[route.path.replace(/:([A-Za-z_]+)/g, '{$1}')][route.method.toLowerCase()];
  const params = (where: string): Param[] => op.parameters.filter((p: any) => p.in === where).map((p: any) => {
    const { 'x-error-codes': _codes, ...schema } = p.schema;
    return { name: p.name, required: p.required, type: where === 'path' ? 'string | number' : tsType(schema), description: schema.description };
  });
  let body: Operation['body'];
  if (op.requestBody) {
    const [mediaType, media] = Object.entries<any>(op.requestBody.content)[0]!;
    body = mediaType === 'application/json'
      ? { kind: 'json', type: tsType(media.schema), required: op.requestBody.required, mediaType }
      : { kind: 'raw', type: mediaType === 'multipart/form-data' ? 'FormData' : 'Blob | string', required: op.requestBody.required, mediaType };
  }
  const success = op.responses[route.success.status];
  const [mediaType, media] = Object.entries<any>(success.content ?? {})[0] ?? [];
  const result: Operation['result'] = mediaType === undefined ? { kind: 'none', type: 'void' }
    : mediaType === 'application/json' ? { kind: 'json', type: tsType(media.schema) } : { kind: 'text', type: 'string' };
  return { id: route.operationId, method: route.method, path: route.path, auth: route.auth, summary: route.summary, pathParams: params('path'), query: params('query'), body, result };
}

function paramsType(op: Operation): string | undefined {
  const all = [...op.pathParams, ...op.query];
  if (all.length === 0) return undefined;
  return `{ ${all.map((p) => `${key(p.name)}${p.required ? '' : '?'}: ${p.type}`).join('; ')} }`;
}

const pascal = (id: string) => id[0]!.toUpperCase() + id.slice(1);

/** The method of one operation: `(params?, body?, options?)`, each argument present only when the operation has it. */
function method(op: Operation): string {
  const args: string[] = [];
  const pType = paramsType(op);
  const paramsRequired = [...op.pathParams, ...op.query].some((p) => p.required);
  if (pType) args.push(`params${paramsRequired ? '' : '?'}: ${pascal(op.id)}Params`);
  if (op.body) args.push(`body${op.body.required && !args.some((a) => a.includes('?')) ? '' : '?'}: ${op.body.type}`);
  args.push('options?: CallOptions');
  const call = `this.call<${op.result.type}>(operations.${op.id}, ${pType ? 'params' : 'undefined'}, ${op.body ? 'body' : 'undefined'}, options)`;
  const summary = `${op.summary} (\`${op.method} ${op.path}\`)`;
  return `${doc(summary, '  ')}  ${op.id}(${args.join(', ')}): Promise<${op.result.type}> {\n    return ${call};\n  }`;
}

/** The whole generated module. */
export function renderClient(routes: Route[]): string {
  const openapi = buildOpenApi(routes, VERSION) as any;
  const ops = routes.map((r) => operationOf(r, openapi));
  // Error answers are thrown as ApiError (errors.ts): their body schemas make no types.
  const schemas = Object.entries<Schema>(openapi.components.schemas).filter(([name]) => name !== 'Error' && name !== 'Problem')
    .map(([name, s]) => `${doc(s.description, '')}export type ${name} = ${tsType(s)};`);
  const paramTypes = ops.flatMap((op) => {
    const t = paramsType(op);
    return t ? [`export interface ${pascal(op.id)}Params ${t}`] : [];
  });
  // An answer of no named schema gets a name of its own, so that methods read `Promise<ListNamespacesResult>`.
  const resultTypes = ops.flatMap((op) => {
    if (/^[A-Za-z0-9_]+(\[\])?$/.test(op.result.type)) return [];
    const name = `${pascal(op.id)}Result`;
    const type = op.result.type;
    op.result.type = name;
    return [`export type ${name} = ${type};`];
  });
  const table = ops.map((op) => {
    const spec: Record<string, unknown> = { method: op.method, path: op.path, auth: op.auth, result: op.result.kind };
    if (op.pathParams.length) spec.pathParams = op.pathParams.map((p) => p.name);
    if (op.query.length) spec.query = op.query.map((p) => p.name);
    if (op.body) spec.body = op.body.kind === 'json' ? 'json' : op.body.mediaType;
    const fields = Object.entries(spec).map(([k, v]) => `${k}: ${JSON.stringify(v).replaceAll('","', "', '").replaceAll('"', "'")}`);
    return `  ${op.id}: { ${fields.join(', ')} },`;
  });
  return `// Generated by \`npm run gen:client\` (scripts/client-codegen.ts) from the route declarations. Do not edit.
// opencomb ${VERSION}: ${ops.length} operations.
/* eslint-disable */
import type { CallOptions, OperationSpec } from './transport.ts';

${schemas.join('\n\n')}

${resultTypes.join('\n\n')}

${paramTypes.join('\n')}

/** Every operation: what the transport needs to send it. */
export const operations = {
${table.join('\n')}
} as const satisfies Record<string, OperationSpec>;

export type OperationId = keyof typeof operations;

/** One typed method per operation of the public and the operator API. */
export abstract class Operations {
  protected abstract call<T>(op: OperationSpec, params: object | undefined, body: unknown, options: CallOptions | undefined): Promise<T>;

${ops.map(method).join('\n\n')}
}
`;
}
