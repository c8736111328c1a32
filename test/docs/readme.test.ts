/**
 * The README's "What is implemented" section cannot go stale: the endpoint counts are the reference's, the
 * served counts are what a real server answers, and the per-family counts of codes asserted by tests are
 * what `npm run codes:covered` computes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { codeCoverage } from '../../scripts/code-coverage.ts';
import { expectError, startTestServer, type TestServer } from '../helpers/server.ts';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const readme = read('README.md');
const start = readme.indexOf('## What is implemented');
const section = readme.slice(start, readme.indexOf('\n## ', start + 1));

/** Rows of the Markdown tables in `text` whose first cell matches `first`, as trimmed cells. */
function rows(text: string, first: RegExp): string[][] {
  return text.split('\n').filter((l) => l.startsWith('|')).map((l) => l.slice(1, -1).split('|').map((c) => c.trim())).filter((c) => first.test(c[0] ?? ''));
}

/** Every endpoint a reference file documents (its "`GET /api/v1/…`" lines), path parameters filled in. */
function referenceEndpoints(file: string): Array<{ method: string; path: string }> {
  return [...read(`docs/reference/${file}`).matchAll(/^`(GET|POST|PUT|PATCH|DELETE) (\/[^`?\s]*)[^`]*`$/gm)]
    .map((m) => ({ method: m[1]!, path: m[2]!.replace(/\{[^}]+\}/g, 'x1') }));
}

const parts = rows(section, /^`[a-z-]+\.md`$/).map(([file, , documented, served]) => ({
  file: file!.slice(1, -1), documented: Number(documented), served: parseInt(served!, 10),
}));

describe('README', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('links the getting-started guide and says how to learn the failing field', () => {
    assert.match(readme.slice(0, 2000), /\(docs\/getting-started\.md\)/);
    assert.match(readme.slice(0, 2000), /Accept: application\/problem\+json/);
  });

  test('"What is implemented": every reference file, its endpoint count and how many a server serves', async () => {
    const files = read('docs/reference/README.md').match(/`[a-z-]+\.md`/g)!.map((f) => f.slice(1, -1))
      .filter((f) => referenceEndpoints(f).length > 0);
    assert.deepEqual(parts.map((p) => p.file).sort(), [...new Set(files)].sort());
    for (const part of parts) {
      const endpoints = referenceEndpoints(part.file);
      assert.equal(part.documented, endpoints.length, `${part.file}: endpoints in the reference`);
      let served = 0;
      for (const { method, path } of endpoints) {
        // Without a token: a served endpoint answers 401 (or its own check); an unserved one is unknown.
        const res = await server.request(method, path);
        if (res.json?.code === 4040006) expectError(res, 404, 4040006, 'No such api.');
        else if (res.json?.code !== 4050001) served++;
      }
      assert.equal(part.served, served, `${part.file}: endpoints served`);
    }
  });

  test('"What is implemented": /api/v1/clusters is unknown, as the README says', async () => {
    assert.match(readme, /`\/api\/v1\/clusters`/);
    expectError(await server.request('GET', '/api/v1/clusters'), 404, 4040006, 'No such api.');
  });

  test('"What is implemented": the codes asserted by tests per family are current (npm run codes:covered)', () => {
    const shown = rows(section, /^\d\d$/).map(([family, , asserted, total]) => ({ family, asserted: Number(asserted), total: Number(total) }));
    const actual = codeCoverage().map((f) => ({ family: f.family, asserted: f.covered.length, total: f.covered.length + f.missing.length }));
    assert.deepEqual(shown, actual, 'update the README table from `npm run codes:covered`');
  });
});
