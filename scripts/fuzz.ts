/**
 * The long fuzz run: `npm run fuzz -- --requests 100000 --db <sqlite-path|postgres-url> [--seed N] [--concurrency C]`.
 * Starts the server in this process on that store (fault injection on, rate limits off), runs the
 * OpenAPI-driven fuzzer (test/reliability/fuzzer.ts) and prints its figures; exits 1 on any violation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { startServer } from '../src/app.ts';
import { defaultConfig } from '../src/config.ts';
import { runFuzz } from '../test/reliability/fuzzer.ts';

const { values } = parseArgs({
  options: { requests: { type: 'string', default: '100000' }, db: { type: 'string' }, seed: { type: 'string' }, concurrency: { type: 'string', default: '4' } },
  strict: true,
});
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const dataDir = mkdtempSync(join(tmpdir(), 'opencomb-fuzz-'));
const config = defaultConfig({
  port: 0, dataDir, db: values.db, faultInjection: true, tickMs: 0,
  limits: { perUser: 0, privateKey: 0, perIp: 0 },
});
const server = await startServer(config, pino({ level: process.env.OPENCOMB_FUZZ_LOG ?? 'silent' }));
const started = performance.now();
try {
  const report = await runFuzz({
    url: server.url, requests: Number(values.requests), seed, concurrency: Number(values.concurrency), faultInjection: true,
    progress: (line) => process.stdout.write(`  ${line}\n`),
  });
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`store ${server.services.store.where}\nseed ${seed}\noperations ${report.operations}\nrequests ${report.requests} in ${seconds.toFixed(1)} s\n`);
  process.stdout.write(`contract violations ${report.violations.length}\n5xx (not injected) ${report.serverErrors}\ninjected faults ${report.injected}\n`);
  process.stdout.write(`statuses ${JSON.stringify(report.byStatus)}\n`);
  const undeclared = Object.entries(report.undeclared).sort((a, b) => b[1].count - a[1].count);
  for (const [key, { count, example }] of undeclared) process.stdout.write(`not in x-error-codes: ${key} ×${count}, e.g. ${example}\n`);
  for (const v of report.violations.slice(0, 20)) process.stdout.write(`VIOLATION ${v.problem}: ${v.request} → ${v.status} ${v.body}\n`);
  process.exitCode = report.violations.length ? 1 : 0;
} finally {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
