/**
 * The server answers the built console at /console/ (same origin, same port) and its assets, and nothing
 * in the page reaches for another host. `npm test` builds the console before the tests run.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectError, startTestServer, type TestServer } from '../helpers/server.ts';

describe('console serving', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('/console/ answers the page, which loads its script and style from /console/assets/', async () => {
    for (const path of ['/console/', '/console']) {
      const page = await server.request('GET', path);
      assert.equal(page.status, 200);
      assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.match(page.text, /<div id="app"><\/div>/);
    }
    const page = await server.request('GET', '/console/');
    const refs = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    const script = refs.find((r) => r.endsWith('.js'));
    const style = refs.find((r) => r.endsWith('.css'));
    assert.match(script ?? '', /^\/console\/assets\/[\w-]+\.js$/);
    assert.match(style ?? '', /^\/console\/assets\/[\w-]+\.css$/);
    // No CDN: every reference is this server's own path (or an inline data: icon).
    assert.deepEqual(refs.filter((r) => !r.startsWith('/console/') && !r.startsWith('data:')), []);

    const js = await server.request('GET', script!);
    assert.equal(js.status, 200);
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.match(js.headers.get('cache-control') ?? '', /immutable/);
    assert.match(js.text, /\/api\/v1\/namespaces/);
    const css = await server.request('GET', style!);
    assert.equal(css.status, 200);
    assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
  });

  test('an asset the build did not make is 4040006, like any unknown path', async () => {
    expectError(await server.request('GET', '/console/assets/nope.js'), 404, 4040006, 'No such api.');
    expectError(await server.request('GET', '/console/assets/..%2F..%2Fpackage.json'), 404, 4040006, 'No such api.');
    expectError(await server.request('GET', '/console/other'), 404, 4040006, 'No such api.');
  });
});
