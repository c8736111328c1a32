/**
 * `npm run bench -- --replicas`: one and two replicas on one PostgreSQL database and one Redis, under the
 * same load spread evenly over them (one autocannon per replica, the connections split between them, as a
 * round-robin balancer would). Also one process on PostgreSQL without Redis, for the cost of sharing.
 * The target is an authorized GET /api/v1/secret-keys with a rate limit high enough never to refuse, so
 * every request takes from a Redis bucket. BENCH_SECONDS, BENCH_CONNECTIONS as for the main bench;
 * BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432) and BENCH_REDIS_URL (default redis://127.0.0.1:6379).
 * On a 2-core machine the ceiling is the cores: two replicas and the load generator share them.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { databaseUrl, maintenanceQuery } from '../test/helpers/postgres.ts';
import { spawn, type ChildProcess } from 'node:child_process';

interface Started { url: string; child: ChildProcess }

/** The server in its own process (run.ts has the same; importing it from here would wait on its own start). */
function startProcess(args: string[], env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1]!, child });
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const pgUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const KEY = 'b'.repeat(32);
const SECRET = 'c'.repeat(32);

interface Row { name: string; rps: number; p99: number; non2xx: number }

async function measure(name: string, urls: string[], token: string): Promise<Row> {
  const share = Math.max(1, Math.floor(connections / urls.length));
  const runs = await Promise.all(urls.map((url) => autocannon({ url: `${url}/api/v1/secret-keys`, connections: share, duration: seconds, headers: { authorization: `Token ${token}` } })));
  return {
    name,
    rps: runs.reduce((sum, r) => sum + r.requests.average, 0),
    p99: Math.max(...runs.map((r) => r.latency.p99)),
    non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
  };
}

async function deployment(count: number, redis: boolean): Promise<{ urls: string[]; token: string; stop(): Promise<void> }> {
  const name = `oc_bench_${randomBytes(6).toString('hex')}`;
  await maintenanceQuery(pgUrl, `create database ${name}`);
  const data = mkdtempSync(join(tmpdir(), 'opencomb-bench-'));
  const env = {
    OPENCOMB_DB: databaseUrl(pgUrl, name), OPENCOMB_DATA: data, OPENCOMB_MASTER_KEY: randomBytes(32).toString('hex'),
    OPENCOMB_ACCESS_KEY: KEY, OPENCOMB_ACCESS_SECRET: SECRET, OPENCOMB_USER: 'bench',
    ...(redis ? { OPENCOMB_REDIS: redisUrl, OPENCOMB_REDIS_PREFIX: `${name}:` } : {}),
  };
  const started: Started[] = [];
  const stop = async () => {
    await Promise.all(started.map((s) => new Promise((resolve) => {
      s.child.once('exit', resolve);
      s.child.kill('SIGTERM');
    })));
    await maintenanceQuery(pgUrl, `drop database if exists ${name} with (force)`);
    rmSync(data, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < count; i++) {
      started.push(await startProcess(['src/main.ts', '--port', '0', '--rate-user', '1000000', '--rate-ip', '1000000', '--log-level', 'warn'], env));
    }
    const r = await fetch(`${started[0]!.url}/api/v1/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ app_key: KEY, app_secret: SECRET }) });
    const { token } = await r.json() as { token: string };
    return { urls: started.map((s) => s.url), token, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

export async function replicasBench(): Promise<void> {
  console.log(`replicas: autocannon, ${connections} connections split over the replicas, ${seconds} s per target`);
  const rows: Row[] = [];
  for (const [name, count, redis] of [['1 process, PostgreSQL, no Redis', 1, false], ['1 replica, PostgreSQL + Redis', 1, true], ['2 replicas, PostgreSQL + Redis', 2, true]] as const) {
    const d = await deployment(count, redis);
    try {
      rows.push(await measure(name, d.urls, d.token));
    } finally {
      await d.stop();
    }
  }
  console.log('\n| deployment | req/s (authorized GET /api/v1/secret-keys) | p99 ms | non-2xx |');
  console.log('|---|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.name} | ${r.rps.toFixed(0)} | ${r.p99} | ${r.non2xx} |`);
}
