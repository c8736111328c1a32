/** The bench's moving parts: server processes, HTTP calls, autocannon runs, process memory. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import autocannon from 'autocannon';

export interface Started { url: string; child: ChildProcess; startedAt: number }

/** Starts `node <args>` and resolves once it prints its `listening on <url>` line. */
export function startNode(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Started> {
  const startedAt = performance.now();
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1]!, child, startedAt });
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

/** A TypeScript entry point run through tsx (the baseline, the due-work bench's servers). */
export function startProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Started> {
  return startNode(['--import', 'tsx', ...args], env);
}

/**
 * How to run the opencomb server: the compiled `dist/main.js` (what `npm start` runs) when the build is
 * at least as new as every file under src/ (tsc leaves unchanged outputs alone, so the newest file of each
 * tree is compared), otherwise `src/main.ts` through tsx (slower to start, more memory).
 */
export function serverEntry(): { args: string[]; compiled: boolean } {
  const built = 'dist/main.js';
  if (existsSync(built) && newest('dist') >= newest('src')) return { args: [...startFlags(), built], compiled: true };
  return { args: [...startFlags(), '--import', 'tsx', 'src/main.ts'], compiled: false };
}

/** The Node flags `npm start` runs the server with (package.json), so the bench runs it as users do. */
export function startFlags(): string[] {
  const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start;
  const m = /\bnode((?: --\S+)*) dist\/main\.js/.exec(start);
  if (!m) throw new Error(`package.json: no \`node … dist/main.js\` in the start script: ${start}`);
  return m[1]!.trim().split(' ').filter(Boolean);
}

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

export async function stop(started: Started): Promise<void> {
  if (started.child.exitCode !== null) return;
  const exited = new Promise((resolve) => started.child.once('exit', resolve));
  started.child.kill('SIGTERM');
  await exited;
}

/** Resident set size of a process in MB (Linux /proc; undefined elsewhere). */
export function rssMb(pid: number): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a process has used so far, in µs (Linux /proc; undefined elsewhere). */
export function cpuMicros(pid: number): number | undefined {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in ticks.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
  } catch {
    return undefined;
  }
}

export interface Answer { status: number; contentType: string; body: string }

/**
 * One request on its own connection (seeding between loads can outlast the server's keep-alive timeout),
 * made with node:http: a lean client, so the cold start times the server rather than the client's own
 * set-up (fetch added 20–40 ms to the first requests of a process).
 */
export function call(url: string, method: string, body?: unknown, token?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { connection: 'close', 'content-type': 'application/json', ...(token ? { authorization: `Token ${token}` } : {}) };
    const req = http.request(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, contentType: String(res.headers['content-type'] ?? ''), body: text }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

export async function api(url: string, method: string, body?: unknown, token?: string): Promise<any> {
  const a = await call(url, method, body, token);
  if (a.status >= 300) throw new Error(`${method} ${url}: ${a.status} ${a.body}`);
  return a.body ? JSON.parse(a.body) : undefined;
}

export interface Load {
  rps: number;
  p99: number;
  non2xx: number;
  errors: number;
  requests: number;
  /** The server's own CPU time per request (µs): steadier than req/s on a machine others are using. */
  cpuPerRequest?: number;
}

export interface LoadSpec {
  url: string;
  /** The server process, whose CPU time is measured over the load. */
  pid?: number;
  seconds: number;
  connections: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** A fresh body per request (creates need unique names). */
  nextBody?: () => string;
}

/** Runs the load once briefly, unmeasured (the server's JIT warms up to the path), then measured. */
export async function load(spec: LoadSpec): Promise<Load> {
  await warm(spec);
  return measure(spec);
}

function warm(spec: LoadSpec): Promise<Load> {
  return measure({ ...spec, seconds: Math.max(0.5, spec.seconds / 4) });
}

/**
 * Two loads measured in turns, one-second slices of each alternately, and summed: a machine whose speed
 * drifts (other work, a shared host) slows both alike, so their ratio stays steady where two loads run one
 * after the other would not. req/s is the slices' mean, p99 the worst slice's, CPU per request over all.
 */
export async function interleaved(a: LoadSpec, b: LoadSpec): Promise<[Load, Load]> {
  await warm(a);
  await warm(b);
  const slices = Math.max(1, Math.round(a.seconds));
  const runs: [Load[], Load[]] = [[], []];
  for (let i = 0; i < slices; i++) {
    runs[0].push(await measure({ ...a, seconds: a.seconds / slices }));
    runs[1].push(await measure({ ...b, seconds: b.seconds / slices }));
  }
  return [sum(runs[0]), sum(runs[1])];
}

function sum(loads: Load[]): Load {
  const requests = loads.reduce((n, l) => n + l.requests, 0);
  const cpu = loads.every((l) => l.cpuPerRequest !== undefined) ? loads.reduce((n, l) => n + l.cpuPerRequest! * l.requests, 0) / requests : undefined;
  return {
    rps: loads.reduce((n, l) => n + l.rps, 0) / loads.length,
    p99: Math.max(...loads.map((l) => l.p99)),
    non2xx: loads.reduce((n, l) => n + l.non2xx, 0),
    errors: loads.reduce((n, l) => n + l.errors, 0),
    requests,
    cpuPerRequest: cpu,
  };
}

async function measure(spec: LoadSpec): Promise<Load> {
  const { nextBody } = spec;
  const cpuBefore = spec.pid === undefined ? undefined : cpuMicros(spec.pid);
  const r = await autocannon({
    url: spec.url, connections: spec.connections, duration: spec.seconds, method: spec.method ?? 'GET',
    headers: spec.headers, body: spec.body,
    ...(nextBody && { requests: [{ setupRequest: (req: any) => ({ ...req, body: nextBody() }) }] }),
  });
  const cpuAfter = spec.pid === undefined ? undefined : cpuMicros(spec.pid);
  const cpuPerRequest = cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / r.requests.total;
  return { rps: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors, requests: r.requests.total, cpuPerRequest };
}
