/**
 * `npm run bench`: every performance target of the server, in one run, printed as one table and written to
 * bench/results/latest.json so runs can be compared.
 *
 * - Ratio targets (401 and 404 error paths, an authenticated GET, a list of 10 microservices with 1 000 and
 *   100 000 stored): autocannon against opencomb and, just before, against a bare `node:http` server
 *   (bench/baseline.ts, its own process) answering the very bytes opencomb answered for that request.
 * - Absolute targets: token issue and microservice creation (10 connections, every write committed
 *   durably before it is answered), cold start to the first `200` (empty store, and a restart with
 *   100 000 services stored), resident memory with 100 000 services stored.
 *
 * Flags: `--quick` (2 s per load, under a minute), `--db postgres://…` (a throw-away database is created
 * on that server and dropped after), `--only 401,auth-get,…` (a subset of the loads), `--profile` (the
 * server runs under `node --cpu-prof`; the top frames are printed, the profile kept in
 * bench/results/profiles/; `rss` among them keeps the 100 000 services), `--due-work` (only the due-work bench, bench/due-work.ts, which the full run
 * also ends with). `--replicas` (only one and two replicas on
 * PostgreSQL + Redis behind a round-robin client, bench/replicas.ts). `--calibrate` (only the ratio a bare
 * server reaches when it burns 0–80 µs per request: what a ratio means on this machine, bench/calibrate.ts). BENCH_SECONDS and BENCH_CONNECTIONS override the load's length and width.
 * The server is `dist/main.js` when the build is current (`npm run build`), else `src/main.ts` via tsx.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore } from '../src/store/db.ts';
import { seedServices } from '../src/domains/microservices/store.ts';
import { dueWorkBench } from './due-work.ts';
import { api, call, interleaved, load, rssMb, serverEntry, startNode, startProcess, stop, type Load, type LoadSpec, type Started } from './harness.ts';
import { summarizeProfile } from './profile-summary.ts';


const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const option = (name: string) => {
  const i = argv.indexOf(name);
  return i === -1 ? undefined : argv[i + 1];
};
const quick = flag('--quick');
const seconds = Number(process.env.BENCH_SECONDS ?? (quick ? 2 : 10));
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const WRITE_CONNECTIONS = 10;
const only = option('--only')?.split(',');
const profileDir = flag('--profile') ? join('bench/results/profiles', new Date().toISOString().replace(/[:.]/g, '-')) : undefined;

const KEY = 'b'.repeat(32);
const SECRET = 'c'.repeat(32);
const USER = 'bench';
const SERVER_ENV = { OPENCOMB_ACCESS_KEY: KEY, OPENCOMB_ACCESS_SECRET: SECRET, OPENCOMB_USER: USER };

interface Row {
  id: string;
  name: string;
  /** What the target asks: `ratio ≥ 0.5`, `≥ 5000/s`, `≤ 300 ms`… */
  target: string;
  met?: boolean;
  rps?: number;
  p99?: number;
  baselineRps?: number;
  ratio?: number;
  /** Server CPU µs per request, opencomb and the baseline. */
  cpuUs?: number;
  baselineCpuUs?: number;
  value?: number;
  unit?: string;
  note?: string;
}

const rows: Row[] = [];
const wanted = (id: string) => !only || only.includes(id);

function warnUnexpected(id: string, l: Load, expectNon2xx: boolean): void {
  if (l.errors || (!expectNon2xx && l.non2xx)) console.log(`warning: ${id}: ${l.errors} connection errors, ${l.non2xx} non-2xx of ${l.requests}`);
}

/** One ratio target: the answer opencomb gives is registered with the baseline, which is loaded first. */
async function ratioTarget(baseline: Started, id: string, name: string, min: number, spec: LoadSpec, expectStatus: number): Promise<Load> {
  const sample = await call(spec.url, 'GET', undefined, spec.headers?.authorization?.slice('Token '.length));
  if (sample.status !== expectStatus) throw new Error(`${id}: expected ${expectStatus}, got ${sample.status} ${sample.body}`);
  const put = await fetch(`${baseline.url}/_bench/${id}`, { method: 'PUT', body: JSON.stringify(sample) });
  if (put.status !== 200) throw new Error(`baseline refused the answer of ${id}`);
  const [base, l] = await interleaved({ url: `${baseline.url}/${id}`, pid: baseline.child.pid, seconds, connections }, spec);
  warnUnexpected(id, l, expectStatus >= 300);
  const ratio = l.rps / base.rps;
  rows.push({ id, name, target: `ratio ≥ ${min}`, met: ratio >= min, rps: l.rps, p99: l.p99, baselineRps: base.rps, ratio, cpuUs: l.cpuPerRequest, baselineCpuUs: base.cpuPerRequest });
  return l;
}

function absoluteTarget(id: string, name: string, min: number, l: Load): void {
  warnUnexpected(id, l, false);
  rows.push({ id, name, target: `≥ ${min}/s`, met: l.rps >= min, rps: l.rps, p99: l.p99, cpuUs: l.cpuPerRequest });
}

async function seed(db: string | undefined, data: string, namespaceId: number, count: number, prefix: string): Promise<void> {
  const store = await openStore(db, data);
  try {
    const user = await store.db.selectFrom('users').select('id').where('user_name', '=', USER).executeTakeFirstOrThrow();
    await seedServices(store, { userId: user.id, namespaceId, count, prefix });
  } finally {
    await store.close();
  }
}

function serviceBody(namespaceId: number, name: string): string {
  return JSON.stringify({
    bill_info: 'default',
    service_info: { namespace_id: String(namespaceId), stateful: 0, replicas: 1, service_name: name, port_maps: [{ target_port: '80', port: '8080', protocol: 'TCP' }], spec_alias: 'C1M2S20', disk_type: 2 },
    service_container_infos: [{ image_path: 'hub.c.163.com/public/ubuntu:14.04', container_name: 'web', command: '', envs: [], log_dirs: [], cpu_weight: 100, memory_weight: 100 }],
  });
}

/** Spawn to the first `200` of an authenticated request (the server answers /healthz before that). */
async function coldStart(entry: string[], serverArgs: string[]): Promise<{ ms: number; server: Started }> {
  const server = await startNode([...entry, ...serverArgs], SERVER_ENV);
  const { token } = await api(`${server.url}/api/v1/token`, 'POST', { app_key: KEY, app_secret: SECRET });
  const first = await call(`${server.url}/api/v1/secret-keys`, 'GET', undefined, token);
  if (first.status !== 200) throw new Error(`cold start: ${first.status} ${first.body}`);
  return { ms: performance.now() - server.startedAt, server };
}

async function pgAdmin(url: string, text: string): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const pgServer = option('--db');
  const pgName = pgServer ? `oc_bench_${randomBytes(6).toString('hex')}` : undefined;
  let db: string | undefined;
  if (pgServer) {
    await pgAdmin(pgServer, `create database ${pgName}`);
    const u = new URL(pgServer);
    u.pathname = `/${pgName}`;
    db = u.toString();
  }
  const data = mkdtempSync(join(tmpdir(), 'opencomb-bench-'));
  const entry = serverEntry();
  const nodeFlags = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const serverArgs = ['--port', '0', '--data', data, '--rate-user', '0', '--rate-ip', '0', '--log-level', 'warn', ...(db ? ['--db', db] : [])];
  const loadavgBefore = loadavg();
  const baseline = await startProcess(['bench/baseline.ts']);
  let opencomb: Started | undefined;
  try {
    const first = await coldStart([...nodeFlags, ...entry.args], serverArgs);
    opencomb = first.server;
    let url = opencomb.url;
    let pid = opencomb.child.pid;
    // A running server holds its SQLite file alone (store/db.ts), so services are seeded while it is stopped.
    const seedStopped = async (namespaceId: number, count: number, prefix: string) => {
      if (!db) await stop(opencomb!);
      await seed(db, data, namespaceId, count, prefix);
      if (!db) {
        opencomb = await startNode([...nodeFlags, ...entry.args, ...serverArgs], SERVER_ENV);
        url = opencomb.url;
        pid = opencomb.child.pid;
      }
    };
    rows.push({ id: 'cold-start-empty', name: 'cold start to the first 200, empty store', target: '≤ 300 ms', value: first.ms, unit: 'ms', met: first.ms <= 300 });
    console.log(`opencomb: ${entry.compiled ? 'dist/main.js' : 'src/main.ts via tsx (run `npm run build` to bench the compiled server)'}, store ${db ? 'PostgreSQL' : 'SQLite'}; autocannon ${connections} connections (writes ${WRITE_CONNECTIONS}), ${seconds} s per load; ${cpus().length} CPUs, load average ${loadavgBefore.map((l) => l.toFixed(2)).join(' ')}`);

    const { token } = await api(`${url}/api/v1/token`, 'POST', { app_key: KEY, app_secret: SECRET });
    const auth = { authorization: `Token ${token}` };
    await api(`${url}/_opencomb/users/${USER}`, 'PATCH', { balance: 1e12, quotas: { services: 1e8, replicas: 1e9, containers: 1e9 } });
    // A small resource: the caller's one secret key.
    await api(`${url}/api/v1/secret-keys`, 'POST', { key_name: 'bench' }, token);

    if (wanted('401')) await ratioTarget(baseline, '401', '401 path (GET /api/v1/secret-keys, no token)', 0.85, { url: `${url}/api/v1/secret-keys`, pid, seconds, connections }, 401);
    if (wanted('404')) await ratioTarget(baseline, '404', '404 path (GET /api/v1/no-such-api)', 0.85, { url: `${url}/api/v1/no-such-api`, pid, seconds, connections }, 404);
    if (wanted('auth-get')) await ratioTarget(baseline, 'auth-get', 'authenticated GET /api/v1/secret-keys (1 key)', 0.5, { url: `${url}/api/v1/secret-keys`, pid, seconds, connections, headers: auth }, 200);

    const ns = await api(`${url}/api/v1/namespaces`, 'POST', { name: 'bench' }, token);
    await seedStopped(ns.namespace_id, 1_000, 'a-');
    const list = () => `${url}/api/v1/namespaces/${ns.namespace_id}/microservices?limit=10`;
    const small = wanted('list-1k') ? await ratioTarget(baseline, 'list-1k', 'list 10 microservices, 1 000 stored', 0.5, { url: list(), pid, seconds, connections, headers: auth }, 200) : undefined;
    if (!only || wanted('list-100k') || wanted('rss')) {
      await seedStopped(ns.namespace_id, 99_000, 'b-');
      const page = await api(list(), 'GET', undefined, token);
      if (page.total !== 100_000 || page.microservice_infos.length !== 10) throw new Error(`unexpected page: total ${page.total}`);
    }
    if (wanted('list-100k')) {
      const large = await ratioTarget(baseline, 'list-100k', 'list 10 microservices, 100 000 stored', 0.5, { url: list(), pid, seconds, connections, headers: auth }, 200);
      const row = rows.at(-1)!;
      if (small) {
        const drift = large.rps / small.rps - 1;
        row.note = `${(drift * 100).toFixed(0)} % against 1 000 stored (target ± 20 %)`;
        row.met = row.met! && Math.abs(drift) <= 0.2;
      }
    }

    if (wanted('token')) {
      absoluteTarget('token', 'issue a token (POST /api/v1/token)', 5000,
        await load({ url: `${url}/api/v1/token`, pid, method: 'POST', seconds, connections: WRITE_CONNECTIONS, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ app_key: KEY, app_secret: SECRET }) }));
    }
    if (wanted('create')) {
      const target = await api(`${url}/api/v1/namespaces`, 'POST', { name: 'bench-create' }, token);
      let n = 0;
      absoluteTarget('create', 'create a microservice (POST /api/v1/microservices)', 2000,
        await load({ url: `${url}/api/v1/microservices`, pid, method: 'POST', seconds, connections: WRITE_CONNECTIONS, headers: { 'content-type': 'application/json', ...auth }, nextBody: () => serviceBody(target.namespace_id, `s${n++}`) }));
    }
    const loaded = rssMb(opencomb.child.pid!);
    if (loaded !== undefined) rows.push({ id: 'rss-loaded', name: 'RSS after every load, 100 000+ services stored', target: '≤ 120 MB', value: loaded, unit: 'MB', met: loaded <= 120 });

    await stop(opencomb);
    const restart = await coldStart([...nodeFlags, ...entry.args], serverArgs);
    opencomb = restart.server;
    rows.push({ id: 'cold-start-stored', name: 'cold start to the first 200, 100 000 services stored', target: '≤ 300 ms', value: restart.ms, unit: 'ms', met: restart.ms <= 300 });
    const idle = rssMb(opencomb.child.pid!);
    if (idle !== undefined) rows.push({ id: 'rss-restarted', name: 'RSS after a restart and one request, 100 000+ services stored', target: '≤ 120 MB', value: idle, unit: 'MB', met: idle <= 120 });
  } finally {
    if (opencomb) await stop(opencomb);
    await stop(baseline);
    rmSync(data, { recursive: true, force: true });
    if (pgServer) await pgAdmin(pgServer, `drop database if exists ${pgName} with (force)`);
  }

  report({ store: db ? 'postgres' : 'sqlite', compiled: entry.compiled, loadavgBefore, loadavgAfter: loadavg() });
  if (profileDir) for (const file of readdirSync(profileDir)) console.log(`\n${join(profileDir, file)}\n${summarizeProfile(join(profileDir, file), 25)}`);
}

function report(run: { store: string; compiled: boolean; loadavgBefore: number[]; loadavgAfter: number[] }): void {
  const fmt = (n: number | undefined, digits = 0) => (n === undefined ? '' : n.toFixed(digits));
  console.log('\n| target | req/s | p99 ms | node:http req/s | ratio | server CPU µs/req (node:http) | figure | goal | met |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---|---|');
  for (const r of rows) {
    const figure = r.value === undefined ? '' : `${fmt(r.value)} ${r.unit}`;
    console.log(`| ${r.name}${r.note ? ` (${r.note})` : ''} | ${fmt(r.rps)} | ${fmt(r.p99)} | ${fmt(r.baselineRps)} | ${fmt(r.ratio, 2)} | ${fmt(r.cpuUs)}${r.baselineCpuUs === undefined ? '' : ` (${fmt(r.baselineCpuUs)})`} | ${figure} | ${r.target} | ${r.met ? 'yes' : 'no'} |`);
  }
  mkdirSync('bench/results', { recursive: true });
  const out = { date: new Date().toISOString(), ...run, cpus: cpus().length, connections, writeConnections: WRITE_CONNECTIONS, seconds, quick, rows };
  writeFileSync('bench/results/latest.json', JSON.stringify(out, null, 2) + '\n');
  console.log('\nwritten to bench/results/latest.json');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (flag('--replicas')) {
    await (await import('./replicas.ts')).replicasBench();
  } else if (flag('--calibrate')) {
    await (await import('./calibrate.ts')).calibrate(seconds, connections);
  } else {
    if (!flag('--due-work')) await main();
    if (!quick && !only && !profileDir) await dueWorkBench();
  }
}
