/**
 * The generated operations of `opencomb/client` (src/client/api.ts): up to date with the route declarations,
 * one method per operation, and nothing in the client that a browser could not load.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { allRoutes, renderClient } from '../../scripts/client-codegen.ts';
import { OpencombClient, operations } from '../../src/client/index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

test('src/client/api.ts is up to date with the route declarations', async () => {
  const onDisk = readFileSync(join(ROOT, 'src/client/api.ts'), 'utf8');
  assert.ok(onDisk === renderClient(await allRoutes()), 'src/client/api.ts is stale: run `npm run gen:client`');
});

test('every route is one method of the client, sending the declared method and path', async () => {
  const routes = await allRoutes();
  assert.ok(routes.length > 100);
  for (const route of routes) {
    const spec = operations[route.operationId as keyof typeof operations];
    assert.ok(spec, `${route.operationId} has no entry`);
    assert.deepEqual([spec.method, spec.path, spec.auth], [route.method, route.path, route.auth]);
    assert.equal(typeof (OpencombClient.prototype as any)[route.operationId], 'function', route.operationId);
  }
  assert.equal(Object.keys(operations).length, routes.length);
});

test('the client and everything it imports use no Node module (fetch only: it runs in browsers)', () => {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(/(?:import|export)[^'"]*?from\s+'([^']+)'/g)) {
      assert.ok(spec!.startsWith('.'), `${file} imports ${spec}`);
      visit(resolve(dirname(file), spec!));
    }
    assert.doesNotMatch(text, /\bprocess\.|\bBuffer\b|require\(/, file);
  };
  visit(join(ROOT, 'src/client/index.ts'));
  assert.ok(seen.size >= 5, [...seen].join(', '));
});
