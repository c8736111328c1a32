/**
 * `npm run bench`: autocannon against opencomb and against a bare node:http server answering the same
 * bytes, in the same run, each server in its own process; prints req/s, p99 latency and the ratio.
 * BENCH_SECONDS (default 10) and BENCH_CONNECTIONS (default 50) tune the load. Then due work at scale
 * (bench/due-work.ts); `npm run bench -- --due-work` runs only that. `npm run bench -- --replicas`: one and
 * two replicas on PostgreSQL + Redis (bench/replicas.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { openStore } from '../src/store/db.ts';
import { seedServices } from '../src/domains/microservices/store.ts';
import { dueWorkBench } from './due-work.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);

export interface Started { url: string; child: ChildProcess }

export function startProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Started> {
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

export interface Result { name: string; rps: number; p99: number; non2xx: number; errors: number }

export async function load(name: string, url: string, headers: Record<string, string> = {}): Promise<Result> {
  const r = await autocannon({ url, connections, duration: seconds, headers });
  return { name, rps: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

export function print(results: Result[], baseline: Result): void {
  console.log('\n| target | req/s | p99 ms | ratio to node:http |');
  console.log('|---|---:|---:|---:|');
  for (const r of results) console.log(`| ${r.name} | ${r.rps.toFixed(0)} | ${r.p99} | ${(r.rps / baseline.rps).toFixed(2)} |`);
}

const KEY = 'b'.repeat(32);
const SECRET = 'c'.repeat(32);

async function api(url: string, method: string, body?: unknown, token?: string): Promise<any> {
  // One connection per call: seeding between calls can outlast the server's keep-alive timeout.
  const r = await fetch(url, { method, headers: { connection: 'close', 'content-type': 'application/json', ...(token ? { authorization: `Token ${token}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (r.status >= 300) throw new Error(`${method} ${url}: ${r.status} ${await r.text()}`);
  return r.json();
}

/** Adds `count` services to a namespace straight through the store (the server keeps running: WAL). */
async function seed(data: string, userName: string, namespaceId: number, count: number, prefix: string): Promise<void> {
  const store = await openStore(undefined, data);
  try {
    const user = await store.db.selectFrom('users').select('id').where('user_name', '=', userName).executeTakeFirstOrThrow();
    await seedServices(store, { userId: user.id, namespaceId, count, prefix });
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  const data = mkdtempSync(join(tmpdir(), 'opencomb-bench-'));
  const baselineServer = await startProcess(['bench/baseline.ts']);
  const opencomb = await startProcess(['src/main.ts', '--port', '0', '--data', data, '--rate-user', '0', '--rate-ip', '0', '--log-level', 'warn'],
    { OPENCOMB_ACCESS_KEY: KEY, OPENCOMB_ACCESS_SECRET: SECRET, OPENCOMB_USER: 'bench' });
  try {
    console.log(`autocannon: ${connections} connections, ${seconds} s per target`);
    const baseline = await load('bare node:http (same bytes)', `${baselineServer.url}/api/v1/secret-keys`);
    const results = [baseline, await load('opencomb 401 path (GET /api/v1/secret-keys, no token)', `${opencomb.url}/api/v1/secret-keys`)];

    const { token } = await api(`${opencomb.url}/api/v1/token`, 'POST', { app_key: KEY, app_secret: SECRET });
    const auth = { authorization: `Token ${token}` };
    results.push(await load('opencomb GET /api/v1/secret-keys (token)', `${opencomb.url}/api/v1/secret-keys`, auth));

    const ns = await api(`${opencomb.url}/api/v1/namespaces`, 'POST', { name: 'bench' }, token);
    const list = `${opencomb.url}/api/v1/namespaces/${ns.namespace_id}/microservices?limit=10`;
    await seed(data, 'bench', ns.namespace_id, 1_000, 'a-');
    results.push(await load('opencomb list microservices ?limit=10, 1 000 stored', list, auth));
    await seed(data, 'bench', ns.namespace_id, 99_000, 'b-');
    const page = await api(list, 'GET', undefined, token);
    if (page.total !== 100_000 || page.microservice_infos.length !== 10) throw new Error(`unexpected page: total ${page.total}`);
    results.push(await load('opencomb list microservices ?limit=10, 100 000 stored', list, auth));
    print(results, baseline);
    for (const r of results) if (r.errors || (r !== baseline && r !== results[1] && r.non2xx)) console.log(`warning: ${r.name}: ${r.errors} errors, ${r.non2xx} non-2xx`);
  } finally {
    baselineServer.child.kill('SIGTERM');
    opencomb.child.kill('SIGTERM');
    rmSync(data, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--replicas')) {
    await (await import('./replicas.ts')).replicasBench();
  } else {
    if (!process.argv.includes('--due-work')) await main();
    await dueWorkBench();
  }
}
