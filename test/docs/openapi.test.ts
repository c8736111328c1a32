/**
 * The served OpenAPI document: Redocly's recommended rules find no error in it, and it keeps the promises a
 * client generator relies on (schemas and examples for bodies and answers, honest `required`, problem+json,
 * one form of `x-error-codes`). The browsable reference at /docs is served from the installed package.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { entries } from '../../src/catalog/index.ts';
import { expectError, startTestServer, type TestServer } from '../helpers/server.ts';

const redocly = join(createRequire(import.meta.url).resolve('@redocly/cli/package.json'), '..', 'bin', 'cli.js');
const CODES = new Set(entries.map((e) => e.code));

describe('OpenAPI document', () => {
  let server: TestServer;
  let doc: any;
  before(async () => {
    server = await startTestServer('sqlite', { faultInjection: true });
    const r = await server.request('GET', '/openapi.json');
    assert.equal(r.status, 200);
    doc = r.json;
  });
  after(() => server.close());

  const operations = () => Object.entries(doc.paths).flatMap(([path, ops]: [string, any]) => Object.entries(ops).map(([method, op]: [string, any]) => ({ path, method, op })));

  test('Redocly (recommended rules) finds no error', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'opencomb-openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(doc));
      const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
      const { stdout } = await promisify(execFile)(process.execPath, [redocly, 'lint', file, '--extends=recommended', '--format=json'], { env, maxBuffer: 64 << 20 })
        .catch((err: { stdout: string }) => ({ stdout: err.stdout }));
      const report = JSON.parse(stdout);
      for (const p of report.problems) t.diagnostic(`${p.severity} ${p.ruleId}: ${p.message} (${p.location?.[0]?.pointer})`);
      t.diagnostic(`redocly: ${report.totals.errors} errors, ${report.totals.warnings} warnings`);
      assert.equal(report.totals.errors, 0, JSON.stringify(report.problems.filter((p: any) => p.severity === 'error'), null, 1));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('servers, license, tags with descriptions, security on every operation (none on public ones)', () => {
    assert.ok(doc.servers.length > 0);
    assert.equal(doc.info.license.identifier, 'MIT');
    const used = new Set(operations().flatMap(({ op }) => op.tags));
    assert.deepEqual(new Set(doc.tags.map((t: any) => t.name)), used);
    for (const tag of doc.tags) assert.ok(tag.description && tag.description !== tag.name, tag.name);
    for (const { path, method, op } of operations()) {
      assert.ok(Array.isArray(op.security), `${method} ${path}`);
      if (path === '/api/v1/token' || path === '/healthz' || path === '/openapi.json') assert.deepEqual(op.security, []);
    }
    assert.deepEqual(doc.paths['/api/v1/microservices'].post.security, [{ token: [] }]);
  });

  test('every JSON request body and JSON success answer has a schema; bodies of the reference have their example', () => {
    for (const { path, method, op } of operations()) {
      const body = op.requestBody?.content?.['application/json'];
      if (body) assert.ok(body.schema.$ref, `${method} ${path}: request schema is a component`);
      const success = Object.entries(op.responses).find(([status]) => status.startsWith('2'))![1] as any;
      for (const [type, media] of Object.entries(success.content ?? {}) as Array<[string, any]>) assert.ok(media.schema, `${method} ${path} ${type}`);
    }
    const create = doc.paths['/api/v1/microservices'].post;
    assert.equal(create.requestBody.content['application/json'].example.service_info.spec_alias, 'C1M2S20');
    assert.deepEqual(create.responses['200'].content['application/json'].example, { service_id: '51573' });
    // The documented shapes are types, not `any`: the container definitions and their fields.
    const body = doc.components.schemas.CreateMicroserviceBody;
    const container = body.properties.service_container_infos.items;
    assert.equal(container.properties.envs.items.properties.key.type, 'string');
    assert.deepEqual(body.properties.service_info.properties.port_maps.items.properties.protocol.enum, ['TCP', 'UDP']);
    assert.equal(body.properties.service_info.properties.spec_alias.enum.length, 18);
    assert.ok(doc.components.schemas.MicroserviceDetail);
    assert.ok(doc.components.schemas.MicroserviceListItem.properties.status.enum.includes('create_succ'));
  });

  test('required is honest: creates need a body, a field whose absence is "missing" is required', () => {
    assert.equal(doc.paths['/api/v1/microservices'].post.requestBody.required, true);
    assert.deepEqual(doc.components.schemas.CreateMicroserviceBody.required, ['service_info', 'service_container_infos']);
    const scale = doc.paths['/api/v1/microservices/{id}/actions/elastic-scale'].put.parameters.find((p: any) => p.name === 'new_replicas');
    assert.equal(scale.required, true);
    const list = doc.paths['/api/v1/namespaces/{id}/microservices'].get.parameters.find((p: any) => p.name === 'limit');
    assert.equal(list.required, false);
  });

  test('errors: application/json and application/problem+json, and x-error-codes as catalog numbers everywhere', () => {
    for (const { path, method, op } of operations()) {
      assert.ok(op['x-error-codes'].every((c: unknown) => typeof c === 'number' && CODES.has(c)), `${method} ${path}`);
      for (const [status, response] of Object.entries(op.responses) as Array<[string, any]>) {
        if (Number(status) < 400) continue;
        assert.deepEqual(Object.keys(response.content), ['application/json', 'application/problem+json'], `${method} ${path} ${status}`);
        assert.ok(response['x-error-codes'].every((c: number) => String(c).startsWith(status)));
      }
    }
    const walk = (schema: any): void => {
      if (typeof schema !== 'object' || schema === null) return;
      if ('x-error-codes' in schema) assert.ok(schema['x-error-codes'].every((c: unknown) => typeof c === 'number' && CODES.has(c)));
      for (const v of Object.values(schema)) walk(v);
    };
    walk(doc.components.schemas);
    const fields = doc.components.schemas.CreateMicroserviceBody.properties.service_info.properties;
    assert.deepEqual(fields.service_name['x-error-codes'], [4000112, 4000115]);
  });
});

describe('/docs: the browsable reference', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer('sqlite');
  });
  after(() => server.close());

  test('a page over /openapi.json whose assets the server itself serves (no CDN)', async () => {
    const page = await server.request('GET', '/docs');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type')!, /^text\/html/);
    assert.match(page.text, /url: '\/openapi\.json'/);
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    assert.deepEqual(assets, ['/docs/swagger-ui.css', '/docs/swagger-ui-bundle.js']);
    const js = await server.request('GET', '/docs/swagger-ui-bundle.js');
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type')!, /^text\/javascript/);
    assert.match(js.text, /SwaggerUIBundle/);
    const css = await server.request('GET', '/docs/swagger-ui.css');
    assert.match(css.headers.get('content-type')!, /^text\/css/);
  });

  test('any other file is unknown: 4040006', async () => {
    expectError(await server.request('GET', '/docs/package.json'), 404, 4040006, 'No such api.');
    expectError(await server.request('GET', '/docs/..%2Fpackage.json'), 404, 4040006, 'No such api.');
  });
});
