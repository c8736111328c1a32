/**
 * The server as its own process, started from the repository's entry point (`src/main.ts`) on a data
 * directory and store that outlive it, so a test can stop it (SIGTERM) or kill it (SIGKILL) and start it
 * again on the same data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PG_URL, type StoreKind } from '../helpers/server.ts';

const ENTRY = join(import.meta.dirname, '..', '..', 'src', 'main.ts');

/** A data directory (and, for PostgreSQL, a database) that server processes can share in turn. */
export interface Data {
  dir: string;
  db: string | undefined;
  remove(): Promise<void>;
}

export async function createData(store: StoreKind): Promise<Data> {
  const dir = mkdtempSync(join(tmpdir(), 'opencomb-process-'));
  if (store === 'sqlite') return { dir, db: undefined, remove: async () => rmSync(dir, { recursive: true, force: true }) };
  const name = `oc_proc_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  return {
    dir, db: `${PG_URL}/${name}`,
    async remove() {
      await adminQuery(`drop database if exists ${name} with (force)`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${PG_URL}/postgres` });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code or signal once the process is gone. */
  exited: Promise<number | string | null>;
  /** SIGTERM: in-flight requests finish, then the process exits. */
  stop(): Promise<number | string | null>;
  /** SIGKILL: nothing is flushed or closed. */
  kill(): Promise<number | string | null>;
}

/** Starts `src/main.ts` on `data` and resolves once it listens (on an ephemeral loopback port). */
export function startProcess(data: Data, env: Record<string, string> = {}): Promise<ServerProcess> {
  const args = ['--import', 'tsx', ENTRY, '--port', '0', '--host', '127.0.0.1', '--data', data.dir, '--rate-user', '0', '--rate-ip', '0', '--log-level', 'error'];
  if (data.db) args.push('--db', data.db);
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (https?:\/\/\S+)/.exec(out);
      if (!m) return;
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      resolve({
        url: m[1]!, child, exited,
        stop: () => (child.kill('SIGTERM'), exited),
        kill: () => (child.kill('SIGKILL'), exited),
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    exited.then((code) => reject(new Error(`server exited (${code}) before listening: ${out}`)));
  });
}

/** One HTTP call with a JSON body; the answer's status and parsed body. */
export async function call(url: string, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: any; text: string }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Token ${token}`;
  const r = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: r.status, json, text };
}
