/**
 * docs/sdk.md cannot go stale: every ```ts block is a program that imports `opencomb/client` the way an
 * installed package does (through the package's exports, so the built client), type-checks, runs against
 * a started server, and prints what the ```text block after it shows.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { assertBuilt, root } from '../server/process.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { compareAnswer, fencedBlocks, type Block } from './shell-session.ts';

const GUIDE = 'docs/sdk.md';
const blocks = fencedBlocks(readFileSync(join(root, GUIDE), 'utf8'));
const examples = blocks.flatMap((block, i) => (block.lang === 'ts' ? [{ code: block, shown: blocks[i + 1]?.lang === 'text' ? blocks[i + 1] : undefined }] : []));
const run = promisify(execFile);
const OPERATOR_TOKEN = 'sdk-doc-operator-token';

describe(GUIDE, () => {
  let server: TestServer;
  let dir: string;
  const files: string[] = [];

  before(async () => {
    assertBuilt();
    // The clock ticks in real time here, as on a server a reader starts: the waiting example waits.
    server = await startTestServer('sqlite', { tickMs: 100, operatorToken: OPERATOR_TOKEN });
    // A project that installed opencomb: node_modules/opencomb is this package.
    dir = mkdtempSync(join(tmpdir(), 'opencomb-sdk-doc-'));
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules', 'opencomb'), 'dir');
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    examples.forEach((example, i) => {
      files.push(`example${i + 1}.ts`);
      writeFileSync(join(dir, files[i]!), example.code.text);
    });
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await server.close();
  });

  test('has examples, each with the output it prints', () => {
    assert.ok(examples.length >= 4, `${examples.length} examples`);
    for (const e of examples) assert.ok(e.shown, `${GUIDE}:${e.code.line} shows what it prints`);
  });

  test('the examples type-check against the published types', async () => {
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const args = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--skipLibCheck',
      '--types', 'node', '--typeRoots', join(root, 'node_modules', '@types'), ...files];
    const result = await run(process.execPath, [tsc, ...args], { cwd: dir }).catch((err: { stdout: string }) => ({ stdout: err.stdout, failed: true }));
    assert.ok(!('failed' in result), `tsc: ${result.stdout}`);
  });

  test('every example prints what the guide shows', async () => {
    const user = await server.newUser('reader');
    const env = { ...process.env, COMB_ENDPOINT: server.url, COMB_APP_KEY: user.app_key, COMB_APP_SECRET: user.app_secret, OPENCOMB_OPERATOR_TOKEN: OPERATOR_TOKEN };
    const tsx = fileURLToPath(import.meta.resolve('tsx'));
    for (const [i, { code, shown }] of examples.entries()) {
      const { stdout } = await run(process.execPath, ['--import', tsx, files[i]!], { cwd: dir, env }).catch((err: { stderr: string }) => {
        throw new Error(`${GUIDE}:${code.line} failed: ${err.stderr}`);
      });
      const found = compareAnswer(stdout, shown as Block);
      assert.deepEqual(found, [], `${GUIDE}:${shown!.line}: printed\n${stdout}`);
    }
  });
});
