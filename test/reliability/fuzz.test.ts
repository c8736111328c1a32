/**
 * A bounded run of the OpenAPI-driven fuzzer (fuzzer.ts) on each store: about 2 000 requests, one at a
 * time, from a fresh seed each run. A failure prints the seed; `OPENCOMB_FUZZ_SEED=<seed>` replays the
 * same requests, and `npm run fuzz -- --seed <seed> --requests 2000 --concurrency 1 --db ...` outside
 * the test runner.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, STORES, type TestServer } from '../helpers/server.ts';
import { runFuzz } from './fuzzer.ts';

const REQUESTS = Number(process.env.OPENCOMB_FUZZ_REQUESTS ?? 2000);

for (const store of STORES) {
  describe(`fuzzing from /openapi.json (${store})`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(store, { faultInjection: true });
    });
    after(() => server.close());

    test(`${REQUESTS} requests: every answer in the contract, no 5xx unless injected`, { timeout: 600_000 }, async () => {
      const seed = Number(process.env.OPENCOMB_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
      const report = await runFuzz({ url: server.url, requests: REQUESTS, seed, faultInjection: true });
      const detail = report.violations.slice(0, 5).map((v) => `  ${v.problem}: ${v.request} → ${v.status} ${v.body}`).join('\n');
      assert.equal(report.requests, REQUESTS);
      assert.ok(report.operations >= 50, `the OpenAPI document lists ${report.operations} operations`);
      assert.equal(report.violations.length, 0, `fuzz seed ${seed} (${store}): ${report.violations.length} contract violations, first:\n${detail}`);
      assert.equal(report.serverErrors, 0, `fuzz seed ${seed} (${store}): ${report.serverErrors} answers were 5xx without an injected fault`);
    });
  });
}
