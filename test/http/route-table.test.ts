/**
 * The route table registers router-only paths (repository names of every depth) on the first lookup that
 * misses: it must answer every path exactly as a table with everything registered up front.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RouteTable } from '../../src/http/pipeline.ts';
import type { Route } from '../../src/http/route.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const sample = (pattern: string) => pattern.replace(/:[a-z_]+/g, (_, i: number) => `x${i}`);

describe('route table', () => {
  let server: TestServer;
  let routes: Route[];
  before(async () => {
    server = await startTestServer('sqlite');
    routes = server.running.routes.routes;
  });
  after(() => server.close());

  test('deferred router-only paths answer as if registered up front, and only they wait', async () => {
    // Up front: the same paths as aliases, which are registered at once.
    const eager = new RouteTable();
    eager.add(routes.map((r) => ({ ...r, aliases: [...(r.aliases ?? []), ...(r.routerPaths ?? [])], routerPaths: undefined })));
    const deep = routes.flatMap((r) => (r.routerPaths ?? []).map((p) => ({ method: r.method, path: sample(p) })));
    assert.ok(deep.length > 100, 'the registry declares router-only paths');
    const shallow = routes.flatMap((r) => [r.path, ...(r.aliases ?? [])].map((p) => ({ method: r.method, path: sample(p) })));
    const probes = [...shallow, ...deep, { method: 'GET', path: '/api/v1/nothing/here' }, { method: 'PUT', path: deep[0]!.path }];

    // A deep path first: found through the miss that registers the rest.
    const lazy = new RouteTable();
    lazy.add(routes);
    for (const { method, path } of [deep.at(-1)!, ...probes]) {
      assert.equal(lazy.find(method, path)?.route.operationId, eager.find(method, path)?.route.operationId, `${method} ${path}`);
      assert.deepEqual(lazy.allowed(path), eager.allowed(path), path);
    }
    // 405's Allow list of a deep path, asked before any lookup missed.
    const fresh = new RouteTable();
    fresh.add(routes);
    assert.deepEqual(fresh.allowed(deep[0]!.path), eager.allowed(deep[0]!.path));
    assert.ok(fresh.allowed(deep[0]!.path).length > 0);
  });
});
