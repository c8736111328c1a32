/**
 * Due work at scale: 10 000 metered resources (public IPs of 10 users), then the clock is advanced by 10
 * hours in one call, and by 10 more in ten calls of one hour; each answers only once every charge that fell
 * due is written. On SQLite and on a throw-away PostgreSQL database (BENCH_PG_URL, default the local
 * server; skipped with a note when none answers). `npm run bench` runs it after the HTTP load;
 * `npm run bench -- --due-work` runs it alone.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startProcess } from './harness.ts';

const USERS = 10;
const PER_USER = 1_000;
const PG_SERVER = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';

async function call(url: string, path: string, body: unknown, token?: string): Promise<any> {
  const headers: Record<string, string> = { connection: 'close', 'content-type': 'application/json', ...(token ? { authorization: `Token ${token}` } : {}) };
  const r = await fetch(url + path, { method: path.startsWith('/_opencomb/users/') ? 'PATCH' : 'POST', headers, body: JSON.stringify(body) });
  if (r.status >= 300) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

interface Row { store: string; metered: number; tenHours: number; tenSteps: number }

async function measure(store: string, db: string | undefined): Promise<Row> {
  const data = mkdtempSync(join(tmpdir(), 'opencomb-bench-due-'));
  const args = ['src/main.ts', '--port', '0', '--data', data, '--rate-user', '0', '--rate-ip', '0', '--log-level', 'warn', ...(db ? ['--db', db] : [])];
  const server = await startProcess(args);
  try {
    let metered = 0;
    for (let u = 0; u < USERS; u++) {
      const user = await call(server.url, '/_opencomb/users', { user_name: `due${u}` });
      await call(server.url, `/_opencomb/users/due${u}`, { balance: 1e9, quotas: { ips_nce: PER_USER } });
      const { token } = await call(server.url, '/api/v1/token', { app_key: user.app_key, app_secret: user.app_secret });
      metered += (await call(server.url, '/api/v1/ips', { nce: PER_USER }, token)).total as number;
    }
    const tenHours = await timed(() => call(server.url, '/_opencomb/clock', { advance_seconds: 36_000 }));
    const tenSteps = await timed(async () => {
      for (let i = 0; i < 10; i++) await call(server.url, '/_opencomb/clock', { advance_seconds: 3_600 });
    });
    return { store, metered, tenHours, tenSteps };
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
    rmSync(data, { recursive: true, force: true });
  }
}

async function admin(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${PG_SERVER}/postgres`, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export async function dueWorkBench(): Promise<void> {
  const rows = [await measure('sqlite', undefined)];
  const name = `oc_bench_${randomBytes(6).toString('hex')}`;
  const created = await admin(`create database ${name}`).then(() => true, (err: Error) => {
    console.log(`PostgreSQL at ${PG_SERVER} unavailable (${err.message}): due work measured on SQLite only`);
    return false;
  });
  if (created) {
    try {
      rows.push(await measure('postgres', `${PG_SERVER}/${name}`));
    } finally {
      await admin(`drop database if exists ${name} with (force)`);
    }
  }
  console.log('\n| store | metered resources | advance 10 h in one call (ms) | advance 10 × 1 h (ms, total) |');
  console.log('|---|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.store} | ${r.metered} | ${r.tenHours.toFixed(0)} | ${r.tenSteps.toFixed(0)} |`);
}

if (import.meta.url === `file://${process.argv[1]}`) await dueWorkBench();
