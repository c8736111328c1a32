/**
 * The README's "What is implemented" section cannot go stale: endpoint counts come from the reference and
 * the route table, the parts "not yet" served really answer 4040006, and the per-family counts of codes
 * asserted by tests are what `npm run codes:covered` computes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { apiRoutes } from '../../src/routes.ts';
import { codeCoverage } from '../../scripts/code-coverage.ts';
import { expectError, startTestServer, type TestServer } from '../helpers/server.ts';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const readme = read('README.md');
const section = readme.slice(readme.indexOf('## What is implemented'), readme.indexOf('\n## ', readme.indexOf('## What is implemented') + 1));

/** Rows of the Markdown tables in `text` whose first cell matches `first`, as trimmed cells. */
function rows(text: string, first: RegExp): string[][] {
  return text.split('\n').filter((l) => l.startsWith('|')).map((l) => l.slice(1, -1).split('|').map((c) => c.trim())).filter((c) => first.test(c[0] ?? ''));
}

/** `METHOD /path` of every endpoint a reference file documents (its "`GET /api/v1/…`" lines). */
function referenceEndpoints(file: string): Array<{ method: string; path: string }> {
  return [...read(`docs/reference/${file}`).matchAll(/^`(GET|POST|PUT|PATCH|DELETE) (\/[^`?\s]*)[^`]*`$/gm)].map((m) => ({ method: m[1]!, path: m[2]! }));
}

function operationsTagged(tags: string[]): number {
  return new Set(apiRoutes.filter((r) => tags.includes(r.tag)).map((r) => r.operationId)).size;
}

/** The first segment after /api/v1 of every served path (`secret-keys`, `microservices`, …). */
const servedFirstSegments = new Set(apiRoutes.map((r) => r.path.split('/')[3]).filter(Boolean));

const parts = rows(section, /^`[a-z-]+\.md`$/).map(([file, , documented, served, tags]) => ({
  file: file!.slice(1, -1), documented: Number(documented), served: served!, tags: tags === '–' ? [] : tags!.split(', '),
}));

describe('README', () => {
  test('links the getting-started guide and says how to learn the failing field', () => {
    assert.match(readme.slice(0, 2000), /\(docs\/getting-started\.md\)/);
    assert.match(readme.slice(0, 2000), /Accept: application\/problem\+json/);
  });

  test('"What is implemented": every reference file, with its endpoint count and the operations served', () => {
    const files = readFileSync(new URL('../../docs/reference/README.md', import.meta.url), 'utf8').match(/`[a-z-]+\.md`/g)!
      .map((f) => f.slice(1, -1)).filter((f) => referenceEndpoints(f).length > 0);
    assert.deepEqual(parts.map((p) => p.file).sort(), [...new Set(files)].sort());
    for (const part of parts) {
      assert.equal(part.documented, referenceEndpoints(part.file).length, `${part.file}: endpoints in the reference`);
      if (part.served === 'not yet') assert.deepEqual(part.tags, [], `${part.file} names no tag`);
      else assert.equal(Number(part.served), operationsTagged(part.tags), `${part.file}: operations served with tags ${part.tags.join(', ')}`);
    }
  });

  test('"What is implemented": the codes asserted by tests per family are current (npm run codes:covered)', () => {
    const shown = rows(section, /^\d\d$/).map(([family, , asserted, total]) => ({ family, asserted: Number(asserted), total: Number(total) }));
    const actual = codeCoverage().map((f) => ({ family: f.family, asserted: f.covered.length, total: f.covered.length + f.missing.length }));
    assert.deepEqual(shown, actual, 'update the README table from `npm run codes:covered`');
  });

  describe('parts not yet served', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer();
    });
    after(() => server.close());

    test('answer 4040006 on every path of their reference (e.g. /api/v1/nlb)', async () => {
      const unserved = parts.filter((p) => p.served === 'not yet');
      assert.ok(unserved.length > 0);
      for (const part of unserved) {
        // A reference may cite a served endpoint of another part (the beta page's update-image).
        const endpoints = referenceEndpoints(part.file).filter((e) => !servedFirstSegments.has(e.path.split('/')[3]));
        assert.ok(endpoints.length > 0, part.file);
        for (const { method, path } of endpoints) {
          const res = await server.request(method, path.replace(/\{[^}]+\}/g, 'x1'));
          expectError(res, 404, 4040006, 'No such api.');
        }
      }
      expectError(await server.request('GET', '/api/v1/nlb'), 404, 4040006, 'No such api.');
    });
  });
});
