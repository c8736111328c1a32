/**
 * The compiled entry point: `npm start` runs `node dist/main.js` so a supervisor's SIGTERM reaches the server,
 * `npx opencomb` works, and `opencomb/catalog` imports from plain Node (no TypeScript loader).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { entries } from '../../src/catalog/index.ts';
import { assertBuilt, root, startCli, stop } from './process.ts';

const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('entry point', () => {
  before(assertBuilt);

  test('SIGTERM to the `npm start` process stops the server and frees the port', async () => {
    const p = await startCli(['--port', '0', '--db', ':memory:'], { OPENCOMB_LOG_LEVEL: 'info' }, [npm, 'start', '--silent', '--']);
    const port = Number(new URL(p.url).port);
    const serverPid = JSON.parse(p.stdout().split('\n').find((l) => l.includes('listening on'))!).pid as number;
    assert.notEqual(serverPid, p.child.pid, 'npm runs the server as its own child');
    // The compiled server serves what it reads at start-up (documentation built from the catalog).
    const docs = await fetch(`${p.url}/_opencomb/docs/errors.md`);
    assert.equal(docs.status, 200);
    assert.ok((await docs.text()).includes(String(entries[0]!.code)));
    // …and files it finds through module resolution (the browsable reference's assets).
    const asset = await fetch(`${p.url}/docs/swagger-ui.css`);
    assert.equal(asset.status, 200);
    assert.ok((await asset.text()).length > 0);

    try {
      p.child.kill('SIGTERM'); // to npm, not to the server: npm must pass it on
      assert.equal(await p.exit, 0);
      assert.equal(isAlive(serverPid), false, 'the server process is gone');
      assert.equal(await portIsFree(port), true, `port ${port} is free again`);
      assert.match(p.stdout(), /"signal":"SIGTERM","msg":"shutting down"/);
    } finally {
      // A server left running (the failure this test is about) would hold this test's pipes open for ever.
      if (isAlive(serverPid)) process.kill(serverPid, 'SIGKILL');
    }
  });

  test('on SQLite alone the server never loads the PostgreSQL or Redis clients (a quarter of a start’s CPU)', async () => {
    // NODE_DEBUG=module makes Node name every CommonJS file it loads, on stderr.
    const p = await startCli(['--port', '0', '--db', ':memory:'], { NODE_DEBUG: 'module' });
    try {
      assert.equal((await fetch(`${p.url}/api/v1/secret-keys`)).status, 401);
      assert.match(p.out(), /node_modules\/better-sqlite3\//, 'the debug output names loaded packages');
      for (const pkg of ['pg', 'pg-pool', 'ioredis', 'pino-pretty']) assert.doesNotMatch(p.out(), new RegExp(`node_modules/${pkg}/`), `${pkg} was loaded`);
    } finally {
      await stop(p);
    }
  });

  test('npx opencomb runs the bin, with the Node flags of `npm start`', () => {
    const out = execFileSync(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['--no', '--', 'opencomb', '--version'], { cwd: root, encoding: 'utf8' });
    assert.equal(out, `opencomb ${version}\n`);
    // The young generation's cap (docs/running.md) is one choice, made in package.json and in the bin's first line alike.
    const start = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start as string;
    const flags = /node ((?:--\S+ )*)dist\/main\.js/.exec(start)?.[1]?.trim();
    assert.ok(flags, start);
    assert.equal(readFileSync(join(root, 'dist', 'main.js'), 'utf8').split('\n', 1)[0], `#!/usr/bin/env -S node ${flags}`);
  });

  test('opencomb/catalog imports from plain Node, with its types beside it', () => {
    const script = "import { entries, ApiError } from 'opencomb/catalog'; const e = new ApiError('NO_SUCH_API'); console.log(JSON.stringify([entries.length, e.status, e.toBody()]));";
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    assert.deepEqual(JSON.parse(out), [entries.length, 404, { code: 4040006, message: 'No such api.' }]);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    for (const target of Object.values(pkg.exports) as Array<{ types: string; default: string }>) {
      readFileSync(join(root, target.types)); // exists
      readFileSync(join(root, target.default));
    }
  });

  test('the server starts from code: import { startServer } from "opencomb"', async () => {
    const script = "import { startServer, VERSION } from 'opencomb'; console.log(typeof startServer, VERSION);";
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    assert.equal(out, `function ${version}\n`);
  });
});
