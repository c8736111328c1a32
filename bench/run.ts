/**
 * `npm run bench`: autocannon against opencomb and against a bare node:http server answering the same
 * bytes, in the same run, each server in its own process; prints req/s, p99 latency and the ratio.
 * BENCH_SECONDS (default 10) and BENCH_CONNECTIONS (default 50) tune the load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

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

async function main(): Promise<void> {
  const data = mkdtempSync(join(tmpdir(), 'opencomb-bench-'));
  const baselineServer = await startProcess(['bench/baseline.ts']);
  const opencomb = await startProcess(['src/main.ts', '--port', '0', '--data', data, '--rate-user', '0', '--rate-ip', '0', '--log-level', 'warn']);
  try {
    console.log(`autocannon: ${connections} connections, ${seconds} s per target`);
    const baseline = await load('bare node:http (same bytes)', `${baselineServer.url}/api/v1/secret-keys`);
    const unauth = await load('opencomb 401 path (GET /api/v1/secret-keys, no token)', `${opencomb.url}/api/v1/secret-keys`);
    print([baseline, unauth], baseline);
  } finally {
    baselineServer.child.kill('SIGTERM');
    opencomb.child.kill('SIGTERM');
    rmSync(data, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
