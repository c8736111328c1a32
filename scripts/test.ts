/**
 * `npm test` (after the type check and the build): runs every `test/**\/*.test.ts`, or the files given.
 * When no PostgreSQL answers at `OPENCOMB_TEST_PG_URL`, one embedded server is started for the whole run
 * and stopped (its folder removed) at the end; if even that fails, the PostgreSQL suites are reported as
 * skipped with the reason (`OPENCOMB_TEST_PG_SKIP`), and the SQLite suites still run.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PG_URL, startEmbeddedPostgres, whyNoPostgres, type EmbeddedPostgres } from '../test/helpers/postgres.ts';

const files = process.argv.slice(2).length > 0
  ? process.argv.slice(2)
  : readdirSync('test', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.test.ts')).map((f) => join('test', f)).sort();

const env: NodeJS.ProcessEnv = { ...process.env, OPENCOMB_TEST_PG_URL: process.env.OPENCOMB_TEST_PG_URL || DEFAULT_PG_URL };
let embedded: EmbeddedPostgres | undefined;
const down = await whyNoPostgres(env.OPENCOMB_TEST_PG_URL!);
if (down) {
  try {
    embedded = await startEmbeddedPostgres();
    env.OPENCOMB_TEST_PG_URL = embedded.url;
    console.log(`# ${down}: started an embedded one at ${embedded.url}`);
  } catch (err) {
    env.OPENCOMB_TEST_PG_SKIP = `${down}, and ${(err as Error).message}`;
    console.log(`# ${env.OPENCOMB_TEST_PG_SKIP}: PostgreSQL suites are skipped`);
  }
}
if (!env.OPENCOMB_TEST_PG_SKIP) env.OPENCOMB_TEST_PG_CHECKED = '1';

// TAP as before, then (scripts/failures-reporter.mjs) the failed tests once more at the very end.
const reporters = ['--test-reporter=tap', '--test-reporter-destination=stdout', '--test-reporter=./scripts/failures-reporter.mjs', '--test-reporter-destination=stdout'];
const child = spawn(process.execPath, ['--import', 'tsx', '--test', ...reporters, ...files], { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
const code = await new Promise<number>((resolve) => child.once('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
await embedded?.stop();
process.exit(code);
