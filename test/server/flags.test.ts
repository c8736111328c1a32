/**
 * Flags a person can use: --help, --version, and one clear line (exit code 2) for every value that cannot be
 * used, naming the flag or variable and the accepted form.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FLAGS } from '../../src/flags.ts';
import { PG_URL, STORES } from '../helpers/server.ts';
import { databaseUrl } from '../helpers/postgres.ts';
import { assertBuilt, root, runCli, startCli, stop } from './process.ts';

const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string;

/** A loopback port nothing listens on (it was free a moment ago). */
function closedPort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

describe('flags', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'opencomb-flags-'));
    dirs.push(d);
    return d;
  };
  before(assertBuilt);
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  test('--help lists every flag with its variable and default, and exits 0', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    for (const f of FLAGS) {
      const line = r.stdout.split('\n').find((l) => (f.name ? l.startsWith(`  --${f.name} `) : l.startsWith(`  ${f.env} `)));
      assert.ok(line, `--help has no line for ${f.name || f.env}`);
      if (f.env && f.name) assert.ok(line.includes(`env ${f.env}`), line);
      if (f.default) assert.ok(line.includes(`default ${f.default}`), line);
    }
  });

  test('--version prints the package version and exits 0', async () => {
    assert.deepEqual(await runCli(['--version']), { code: 0, stdout: `opencomb ${version}\n`, stderr: '' });
  });

  test('the README table lists every flag and variable', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const rows = readme.split('\n').filter((l) => l.startsWith('| '));
    for (const f of FLAGS) {
      if (f.name) assert.ok(rows.some((r) => r.includes(`\`--${f.name}\``)), `README table lacks --${f.name}`);
      if (f.env) assert.ok(rows.some((r) => r.includes(`\`${f.env}`)), `README table lacks ${f.env}`);
    }
  });

  test('every bad value is one line naming the flag and the accepted form, exit code 2', async () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'x');
    const cases: Array<[string[], Record<string, string>, string]> = [
      [['--port', '-1'], {}, '--port must be an integer from 0 to 65535, got "-1"'],
      [['--port', '70000'], {}, '--port must be an integer from 0 to 65535, got "70000"'],
      [['--port', 'abc'], {}, '--port must be an integer from 0 to 65535, got "abc"'],
      [[], { PORT: '65536' }, 'PORT must be an integer from 0 to 65535, got "65536"'],
      [['--port'], {}, '--port needs a value: --port PORT'],
      [['--db', 'mysql://localhost/x'], {}, '--db must be postgres://USER@HOST:PORT/DATABASE, :memory: or an SQLite file path, got "mysql://localhost/x"'],
      [['--data', file], {}, `--data ${file} is not a directory: give a directory the server may write to`],
      [['--data', join(file, 'sub')], {}, `--data ${join(file, 'sub')} is not writable (ENOTDIR): give a directory the server may write to`],
      [['--log-level', 'loud'], {}, '--log-level must be one of fatal, error, warn, info, debug, trace, silent, got "loud"'],
      [['--log-format', 'xml'], {}, '--log-format must be json or pretty, got "xml"'],
      [['--rate-user', '-5'], {}, '--rate-user must be a non-negative integer (0 = off), got "-5"'],
      [['--client-timeout-ms', '0'], {}, '--client-timeout-ms must be a positive integer (milliseconds), got "0"'],
      [['--registry-host', 'hub example'], {}, '--registry-host must be a host name, optionally with :PORT, got "hub example"'],
      [[], { OPENCOMB_FAULT_INJECTION: 'yes' }, 'OPENCOMB_FAULT_INJECTION must be 1 or 0 (true/false, on/off), got "yes"'],
      [['--tls-cert', 'x.pem'], {}, '--tls-cert and --tls-key go together: give both files (certificate and private key, PEM)'],
      [['--tls-cert', join(file, 'no.pem'), '--tls-key', join(file, 'no.pem')], {}, `--tls-cert ${join(file, 'no.pem')}: cannot read the file (ENOTDIR)`],
      [['--nope'], {}, 'unknown flag --nope (opencomb --help lists them all)'],
      [['8080'], {}, 'unexpected argument 8080: every value follows its flag, e.g. --port 8080 (opencomb --help lists them all)'],
      [[], { OPENCOMB_MASTER_KEY: 'short' }, 'OPENCOMB_MASTER_KEY must be 64 hex characters (32 bytes), e.g. from `openssl rand -hex 32`'],
    ];
    for (const [args, env, message] of cases) {
      const r = await runCli(['--data', tempDir(), ...args], env);
      assert.deepEqual(r, { code: 2, stdout: '', stderr: `opencomb: ${message}\n` }, `${args.join(' ')} ${JSON.stringify(env)}`);
    }
  });

  test('a directory that cannot be written is named with its path (also as root)', { skip: !existsSync('/proc/1') && 'needs /proc' }, async () => {
    // /proc/1 is a directory nobody can create files in, root included.
    const r = await runCli(['--data', '/proc/1']);
    assert.deepEqual(r, { code: 2, stdout: '', stderr: 'opencomb: --data /proc/1 is not writable (ENOENT): give a directory the server may write to\n' });
  });

  test('a port in use is named, with what to do', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const { port } = busy.address() as { port: number };
    try {
      const r = await runCli(['--db', ':memory:', '--port', String(port)]);
      assert.deepEqual(r, { code: 2, stdout: '', stderr: `opencomb: --port ${port}: the port is already in use on 127.0.0.1 (choose another, or 0 for a free one)\n` });
    } finally {
      busy.close();
    }
  });

  test('PostgreSQL down: one line with a hint', async () => {
    const port = await closedPort();
    const r = await runCli(['--data', tempDir(), '--db', `postgres://postgres@127.0.0.1:${port}/opencomb`]);
    assert.deepEqual(r, { code: 2, stdout: '', stderr: `opencomb: --db postgres://postgres@127.0.0.1:${port}/opencomb: no PostgreSQL answers at 127.0.0.1:${port} (ECONNREFUSED); start it, or check host and port\n` });
  });

  for (const store of STORES) {
    if (store !== 'postgres') continue;
    test('PostgreSQL database missing: one line with the command that creates it', async () => {
      const url = new URL(databaseUrl(PG_URL, 'opencomb_no_such_db'));
      const r = await runCli(['--data', tempDir(), '--db', url.toString()]);
      url.password = '';
      assert.deepEqual(r, {
        code: 2, stdout: '',
        stderr: `opencomb: --db ${url}: database "opencomb_no_such_db" does not exist; create it first: createdb -h ${url.hostname} -p ${url.port || 5432} -U ${url.username} opencomb_no_such_db\n`,
      });
    });
  }

  test('--db :memory: (the CI mode) writes nothing to disk, not even the master key', async () => {
    const data = join(tempDir(), 'data');
    const p = await startCli(['--port', '0', '--db', ':memory:', '--data', data], { OPENCOMB_ACCESS_KEY: 'a'.repeat(32), OPENCOMB_ACCESS_SECRET: 'b'.repeat(32) });
    const token = await fetch(`${p.url}/api/v1/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ app_key: 'a'.repeat(32), app_secret: 'b'.repeat(32) }) });
    assert.equal(token.status, 201);
    const created = await fetch(`${p.url}/api/v1/secret-keys`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Token ${(await token.json() as { token: string }).token}` }, body: JSON.stringify({ key_name: 'k' }) });
    assert.equal(created.status, 201);
    assert.match(p.stdout(), /\(store sqlite::memory:\)/);
    assert.equal(await stop(p), 0);
    assert.equal(existsSync(data), false, `${resolve(data)} was created`);
  });
});
