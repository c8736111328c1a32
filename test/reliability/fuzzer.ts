/**
 * A seeded fuzzer driven by the served OpenAPI document (`/openapi.json`): it reads every operation and
 * sends requests built from it — malformed and boundary path parameters, queries and bodies (wrong types,
 * huge numbers, NUL and other control characters, unicode, deep nesting, duplicate keys, broken JSON),
 * wrong media types, odd methods, missing or bad credentials, problem+json and injected faults — and checks
 * every answer against the contract (core.md §7, §8):
 *   - a `Request-Id` UUID v4 on every answer;
 *   - an error is exactly `{"code","message"}` (or the problem document when asked for), with a catalog
 *     code and its message byte for byte, and status = floor(code / 10000);
 *   - no body on a HEAD answer; no 5xx unless injected; no transport failure, no hang.
 * The same seed gives the same sequence of requests (`requests` are sent one at a time unless
 * `concurrency` says otherwise). Used by `fuzz.test.ts` (a short run per store) and `npm run fuzz`.
 */
import http from 'node:http';
import { byCode, entries } from '../../src/catalog/index.ts';

export interface FuzzOptions {
  url: string;
  requests: number;
  seed: number;
  /** Requests in flight at once (1: fully reproducible). */
  concurrency?: number;
  /** Bearer token for /_opencomb when the server has one. */
  operatorToken?: string;
  /** The server runs with --fault-injection: some requests carry `X-Opencomb-Fault`. */
  faultInjection?: boolean;
  /** Progress lines (every 10 000 requests). */
  progress?: (line: string) => void;
}

export interface Violation {
  request: string;
  status: number;
  body: string;
  problem: string;
}

export interface FuzzReport {
  seed: number;
  requests: number;
  operations: number;
  byStatus: Record<string, number>;
  serverErrors: number;
  injected: number;
  violations: Violation[];
  /** Error codes an operation answered without listing them in its `x-error-codes` (informative): count and a first example. */
  undeclared: Record<string, { count: number; example: string }>;
}

/** Operations the fuzzer leaves alone: they would end its own session or fill the server's memory. */
const SKIPPED = new Set(['operatorReset', 'operatorRestoreSnapshot', 'operatorTakeSnapshot', 'operatorAddFault', 'operatorClearFaults', 'operatorDeleteFault', 'operatorListFaults']);

const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const JSON_TYPE = 'application/json; charset=utf-8';
/** No such api, method not allowed, unauthorized, throttled. */
const ANSWERED_BEFORE_FAULTS = new Set([4040006, 4050001, 4010001, 4030001]);

interface Operation {
  id: string;
  method: string;
  path: string;
  pathParams: string[];
  query: { name: string; schema: Schema }[];
  body: 'json' | 'multipart' | undefined;
  bodySchema: Schema;
  auth: 'token' | 'operator' | 'none';
  errorCodes: Set<number>;
}

type Schema = {
  type?: string; properties?: Record<string, Schema>; required?: string[]; items?: Schema; enum?: unknown[];
  minimum?: number; maximum?: number; minLength?: number; maxLength?: number; pattern?: string;
};

interface Planned {
  op: Operation;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  injected: number | undefined;
  problem: boolean;
  usesToken: boolean;
  /** The path was bent (case, extra segment, ...): it may reach another operation or none. */
  bentPath: boolean;
}

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function runFuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(1, opts.concurrency ?? 1) });
  try {
    return await new Fuzzer(opts, agent).run();
  } finally {
    agent.destroy();
  }
}

class Fuzzer {
  private readonly random: () => number;
  private readonly report: FuzzReport;
  private ops: Operation[] = [];
  private token = '';
  private credentials = { app_key: '', app_secret: '' };
  /** Values seen in answers (ids, names), so that requests reach past "No such ...". */
  private readonly pool = { ids: ['1'] as string[], names: ['a'] as string[] };

  constructor(private readonly opts: FuzzOptions, private readonly agent: http.Agent) {
    this.random = prng(opts.seed);
    this.report = { seed: opts.seed, requests: 0, operations: 0, byStatus: {}, serverErrors: 0, injected: 0, violations: [], undeclared: {} };
  }

  async run(): Promise<FuzzReport> {
    await this.setUp();
    const concurrency = Math.max(1, this.opts.concurrency ?? 1);
    let next = 0;
    const worker = async () => {
      while (next < this.opts.requests) {
        const n = next++;
        await this.one(this.plan());
        if (this.opts.progress && (n + 1) % 10_000 === 0) this.opts.progress(`${n + 1} requests, ${this.report.violations.length} violations, ${this.report.serverErrors} 5xx`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return this.report;
  }

  // ── set-up ────────────────────────────────────────────────────────────────────────────────────────

  private async setUp(): Promise<void> {
    const doc = JSON.parse((await this.send('GET', '/openapi.json', {}, undefined)).body) as { paths: Record<string, Record<string, any>> };
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (SKIPPED.has(op.operationId)) continue;
        const params = (op.parameters ?? []) as { name: string; in: string; schema: Schema }[];
        const content = op.requestBody?.content ?? {};
        this.ops.push({
          id: op.operationId,
          method: method.toUpperCase(),
          path,
          pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
          query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
          body: content['application/json'] ? 'json' : content['multipart/form-data'] ? 'multipart' : undefined,
          bodySchema: content['application/json']?.schema ?? {},
          auth: op.security?.[0]?.token ? 'token' : op.security?.[0]?.operator ? 'operator' : 'none',
          errorCodes: new Set(op['x-error-codes'] ?? []),
        });
      }
    }
    this.report.operations = this.ops.length;
    const name = `fuzz${this.opts.seed.toString(36)}${Date.now().toString(36)}`;
    const user = await this.send('POST', '/_opencomb/users', this.operatorHeaders({ 'content-type': 'application/json' }), Buffer.from(JSON.stringify({ user_name: name })));
    if (user.status !== 201) throw new Error(`fuzz set-up: creating user ${name} answered ${user.status} ${user.body}`);
    this.credentials = JSON.parse(user.body);
    await this.send('PATCH', `/_opencomb/users/${name}`, this.operatorHeaders({ 'content-type': 'application/json' }), Buffer.from(JSON.stringify({ balance: 1_000_000, certified: true })));
    await this.refreshToken();
  }

  private operatorHeaders(headers: Record<string, string>): Record<string, string> {
    return this.opts.operatorToken ? { ...headers, authorization: `Bearer ${this.opts.operatorToken}` } : headers;
  }

  private async refreshToken(): Promise<void> {
    const r = await this.send('POST', '/api/v1/token', { 'content-type': 'application/json' }, Buffer.from(JSON.stringify(this.credentials)));
    if (r.status === 201) this.token = JSON.parse(r.body).token;
  }

  // ── planning a request ────────────────────────────────────────────────────────────────────────────

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  private chance(p: number): boolean {
    return this.random() < p;
  }

  private plan(): Planned {
    const op = this.pick(this.ops);
    const headers: Record<string, string> = {};
    let method = op.method;
    if (this.chance(0.06)) method = this.pick(op.method === 'GET' ? ['HEAD', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'FOO', 'POST', 'PATCH'] : ['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND', 'FOO', 'HEAD']);

    let path = op.path.replace(/\{([A-Za-z_]+)\}/g, () => this.pathValue());
    const bentPath = this.chance(0.03);
    if (bentPath) path = this.pick([path.toUpperCase(), `${path}/`, `/${path}`, path.replace('/api/v1', '/API/v1'), `${path}/extra`, path.replace(/\/[^/]*$/, '/%ZZ')]);
    const query = this.queryString(op);
    if (query) path += `?${query}`;

    let usesToken = false;
    if (op.auth === 'token') {
      const mode = this.random();
      if (mode < 0.86) {
        headers.authorization = `Token ${this.token}`;
        usesToken = true;
      } else if (mode < 0.9) headers.authorization = `Token ${hex(this.random, 32)}`;
      else if (mode < 0.94) headers.authorization = this.pick(['Token', 'Bearer x', `token ${this.token}`, `Token ${this.token} x`, 'Token \u00e9', `Token ${this.token},x`]);
    } else if (op.auth === 'operator' && this.opts.operatorToken && this.chance(0.95)) {
      headers.authorization = `Bearer ${this.opts.operatorToken}`;
    }

    const problem = this.chance(0.1);
    if (problem) headers.accept = 'application/problem+json';
    let injected: number | undefined;
    if (this.opts.faultInjection && this.chance(0.02)) {
      injected = this.chance(0.9) ? this.pick(entries).code : Math.floor(this.random() * 9_999_999);
      headers['x-opencomb-fault'] = String(injected);
      if (!byCode(injected)) injected = undefined;
    }

    let body: Buffer | undefined;
    if (op.body === 'json' || (op.body === undefined && this.chance(0.05)) || this.chance(0.03)) {
      body = this.jsonBody(op.bodySchema);
      headers['content-type'] = 'application/json';
    } else if (op.body === 'multipart') {
      const boundary = 'fuzzb0undary';
      body = this.multipartBody(boundary);
      headers['content-type'] = `multipart/form-data; boundary=${this.chance(0.05) ? 'other' : boundary}`;
    }
    if (body && this.chance(0.08)) {
      const type = this.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/merge-patch+json', 'APPLICATION/JSON', '', 'application/xml', '*/*']);
      if (type === '') delete headers['content-type'];
      else headers['content-type'] = type;
    }
    return { op, method, path, headers, body, injected, problem, usesToken, bentPath };
  }

  private pathValue(): string {
    const r = this.random();
    if (r < 0.45) return pct(this.pick(this.pool.ids));
    if (r < 0.55) return pct(this.pick(this.pool.names));
    if (r < 0.65) return String(Math.floor(this.random() * 30));
    return this.pick([
      '0', '-1', '00001', '1.0', '1e3', '0x10', '+1', '%201', '1%20', '9007199254740991', '9007199254740993', '18446744073709551616', '9'.repeat(40),
      '%00', '1%00', 'a%00b', '%ZZ', '%', '%FF', '%C3%28', '%E4%B8%AD%E6%96%87', '%F0%9F%98%80', '%2e%2e', '..', '%2F', 'a%2Fb', '%0A', '%7F', '%01%1F',
      'x'.repeat(300), 'a'.repeat(70_000).slice(0, 3000), 'null', 'undefined', 'true', '[]', '%7B%7D', 'abc', 'ABC', 'a.b', 'a-b_c',
      '6bd6f0c0-2bd5-4b7d-8a41-9d1d9a1f0b9e', 'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF', hex(this.random, 64),
    ]);
  }

  private queryString(op: Operation): string {
    const parts: string[] = [];
    for (const q of op.query) {
      if (this.chance(0.5)) continue;
      const v = this.chance(0.6) ? this.valueFor(q.schema, 0) : this.nasty(0);
      parts.push(`${pct(q.name)}=${pct(typeof v === 'string' ? v : JSON.stringify(v) ?? '')}`);
    }
    if (this.chance(0.1)) parts.push(this.pick(['limit=%00', 'offset=-1', 'limit=1e400', '=x', '&&', 'a=%ZZ', 'limit=1&limit=2', 'x=%E4%B8%AD', `pad=${'y'.repeat(2000)}`]));
    return parts.join('&');
  }

  private jsonBody(schema: Schema): Buffer {
    const r = this.random();
    if (r < 0.05) return Buffer.from(this.pick(['', '{', '{"a":', 'nul', '[]', '"text"', '1', 'null', '{}}', '{"a":1,}', "{'a':1}", '\uFEFF{}', ' ', '[{}]']));
    if (r < 0.07) return Buffer.from([0xff, 0xfe, 0x7b, 0x7d]);
    if (r < 0.075) return Buffer.from(`{"pad":"${'z'.repeat(1_100_000)}"}`);
    if (r < 0.09) {
      // Deep nesting, as text (JSON.stringify would run out of stack first), alone or as a member's value.
      const deep = deepNest(this.chance(0.5) ? 'array' : 'object', 1000 + Math.floor(this.random() * 9000));
      const key = this.pick(Object.keys(schema.properties ?? { a: {} }));
      return Buffer.from(this.chance(0.5) ? deep : `{${JSON.stringify(key)}:${deep}}`);
    }
    const value = this.chance(0.85) ? this.valueFor(schema, 0) : this.nasty(0);
    let text = JSON.stringify(value) ?? 'null';
    if (this.chance(0.08) && text.startsWith('{') && text.length > 2 && schema.properties) {
      // Duplicate keys: the same member again with another value.
      const key = this.pick(Object.keys(schema.properties));
      text = `${text.slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(this.nasty(0)) ?? 'null'}}`;
    }
    return Buffer.from(text);
  }

  private multipartBody(boundary: string): Buffer {
    const content = this.pick([
      'FROM ubuntu:14.04\nRUN true\n', 'RUN echo no base\n', '', '\u0000\u0000FROM x\n', '# escape=`\nFROM x\n', '\uFEFFFROM x', 'ARG A\nFROM x\n', '中文\n', 'x'.repeat(2000),
    ]);
    const name = this.chance(0.9) ? 'docker_file' : this.pick(['dockerfile', 'file', '', 'docker_file"; x="']);
    if (this.chance(0.05)) return Buffer.from(`--${boundary}\r\nbroken`);
    return Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="Dockerfile"\r\n\r\n${content}\r\n--${boundary}--\r\n`);
  }

  /** A value shaped by the schema, sometimes bent at one place (wrong type, boundary, hostile text). */
  private valueFor(schema: Schema, depth: number): unknown {
    if (depth > 6 || this.chance(0.12)) return this.nasty(depth);
    if (schema.enum && this.chance(0.8)) return this.pick(schema.enum);
    switch (schema.type) {
      case 'object': {
        const out: Record<string, unknown> = {};
        for (const [name, s] of Object.entries(schema.properties ?? {})) {
          if (this.chance((schema.required ?? []).includes(name) ? 0.92 : 0.6)) out[name] = this.valueFor(s, depth + 1);
        }
        if (this.chance(0.1)) out[this.pick(['extra', '__proto__', 'constructor', '\u0000', ''])] = this.nasty(depth + 1);
        return out;
      }
      case 'array': {
        const n = this.chance(0.9) ? Math.floor(this.random() * 4) : Math.floor(this.random() * 40);
        return Array.from({ length: n }, () => this.valueFor(schema.items ?? {}, depth + 1));
      }
      case 'integer':
      case 'number': {
        const lo = schema.minimum ?? 0;
        const hi = schema.maximum ?? lo + 100;
        const pickNum = this.pick([lo, hi, lo - 1, hi + 1, Math.floor(lo + this.random() * (Math.min(hi, lo + 1000) - lo + 1))]);
        return this.chance(0.15) ? String(pickNum) : pickNum;
      }
      case 'boolean':
        return this.chance(0.5);
      case 'string': {
        const pool = [...this.pool.names, 'web', 'default', 'nginx', 'a/b', 'hub.c.163.com/public/ubuntu:14.04', 'normal', 'nce', 'nlb'];
        const base = this.chance(0.6) ? this.pick(pool) : randomText(this.random, Math.floor(this.random() * 20) + 1);
        return schema.maxLength !== undefined && this.chance(0.1) ? 'q'.repeat(schema.maxLength + 1) : base;
      }
      default:
        return this.chance(0.5) ? this.nasty(depth) : this.randomStructure(depth);
    }
  }

  private randomStructure(depth: number): unknown {
    if (depth > 5) return this.nasty(depth);
    const r = this.random();
    if (r < 0.4) return Array.from({ length: Math.floor(this.random() * 3) }, () => this.randomStructure(depth + 1));
    if (r < 0.8) {
      const keys = ['name', 'id', 'key', 'value', 'image_path', 'cpu_weight', 'memory_weight', 'envs', 'port_maps', 'log_dirs', 'replicas', 'spec_alias', 'container_id', 'bandwidth', 'type', 'used', 'target_port', 'dest_port', 'protocol'];
      const out: Record<string, unknown> = {};
      for (let i = Math.floor(this.random() * 5); i > 0; i--) out[this.pick(keys)] = this.randomStructure(depth + 1);
      return out;
    }
    return this.nasty(depth);
  }

  /** Values no schema asks for. */
  private nasty(depth: number): unknown {
    const r = this.random();
    return this.pick<unknown>([
      null, true, false, 0, -0, -1, 1.5, 1e308, -1e308, 2 ** 53, 2 ** 53 + 2, 2 ** 64, 1e-320, Number.MAX_SAFE_INTEGER, 2147483647, 2147483648, -2147483649,
      '', ' ', '\u0000', 'a\u0000b', '\u0001\u001f\u007f', '\t\n\r', '\ud800', '\udfff\ud800', '中文字符', '😀'.repeat(5), 'x'.repeat(10_000), '\u202e', '<script>',
      "'; drop table users; --", '%00', '../..', '123', '-5', '1e3', ' 12 ', '0x1F', 'true', 'null',
      [], {}, [null], [1, 'a', {}], { a: { b: { c: [] } } }, Array.from({ length: 200 }, (_, i) => i),
    ]);
  }

  // ── sending and checking ──────────────────────────────────────────────────────────────────────────

  private async one(p: Planned): Promise<void> {
    this.report.requests++;
    const described = `${p.method} ${p.path.length > 200 ? `${p.path.slice(0, 200)}…` : p.path} [${p.op.id}]${p.body ? ` body ${JSON.stringify(p.body.toString('utf8', 0, 200))}` : ''}${p.injected ? ` fault ${p.injected}` : ''}`;
    let res: { status: number; headers: http.IncomingHttpHeaders; body: string };
    try {
      res = await this.send(p.method, p.path, p.headers, p.body);
    } catch (err) {
      this.violation(described, 0, '', `transport: ${(err as Error).message}`);
      return;
    }
    this.report.byStatus[res.status] = (this.report.byStatus[res.status] ?? 0) + 1;
    if (p.injected) this.report.injected++;
    const problem = this.check(p, res);
    if (problem) this.violation(described, res.status, res.body, problem);
    if (res.status >= 500 && !p.injected) this.report.serverErrors++;
    // (A target over 16 KiB is refused by the HTTP layer before any operation: 4000001, docs/core.md.)
    if (res.status >= 400 && !p.injected && !problem && !p.bentPath && p.method === p.op.method && p.path.length < 16_000 && res.headers['content-type'] === JSON_TYPE) {
      const code = JSON.parse(res.body).code as number;
      if (!p.op.errorCodes.has(code)) {
        const seen = (this.report.undeclared[`${p.op.id} ${code}`] ??= { count: 0, example: described });
        seen.count++;
      }
    }
    if (res.status < 300) this.learn(res.body);
    if (res.status === 401 && p.usesToken && !p.injected) await this.refreshToken();
  }

  private violation(request: string, status: number, body: string, problem: string): void {
    if (this.report.violations.length < 50) this.report.violations.push({ request, status, body: body.slice(0, 300), problem });
    else this.report.violations.length++; // counted, not kept
  }

  /** What is wrong with an answer, or undefined. */
  private check(p: Planned, res: { status: number; headers: http.IncomingHttpHeaders; body: string }): string | undefined {
    if (!UUID4.test(String(res.headers['request-id'] ?? ''))) return 'no Request-Id UUID';
    if (p.method === 'HEAD' && res.body !== '') return 'a body on a HEAD answer';
    if (res.status >= 500 && !p.injected) return '5xx without an injected fault';
    if (res.status < 400) return res.status >= 200 ? undefined : `status ${res.status}`;
    if (p.method === 'HEAD') return undefined;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(res.body);
    } catch {
      return 'error body is not JSON';
    }
    const code = body.code as number;
    const known = byCode(code);
    if (!known) return `code ${code} is not in the catalog`;
    if (body.message !== known.message) return 'message differs from the catalog';
    if (Math.floor(code / 10000) !== res.status) return `status ${res.status} ≠ code/10000`;
    // Faults are injected after routing, limits and authentication (core.md §11), which may answer first,
    // as does the HTTP layer for a target over 16 KiB (4000001).
    const answeredFirst = ANSWERED_BEFORE_FAULTS.has(code) || (code === 4000001 && p.path.length >= 16_000);
    if (p.injected && code !== p.injected && !answeredFirst) return `injected ${p.injected}, answered ${code}`;
    if (p.problem) {
      if (res.headers['content-type'] !== 'application/problem+json') return 'problem+json asked, other type answered';
      const keys = Object.keys(body).filter((k) => k !== 'param');
      if (keys.join() !== 'type,title,status,detail,code,message,request_id') return `problem document members: ${Object.keys(body).join()}`;
      if (body.status !== res.status || body.request_id !== res.headers['request-id']) return 'problem document disagrees with the answer';
      return undefined;
    }
    if (res.headers['content-type'] !== JSON_TYPE) return `content type ${res.headers['content-type']}`;
    if (res.body !== JSON.stringify({ code, message: known.message })) return 'error body is not exactly {code, message}';
    return undefined;
  }

  /** Ids and names from successful answers join the pools path parameters are drawn from. */
  private learn(text: string): void {
    if (!text.startsWith('{') && !text.startsWith('[')) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return;
    }
    const visit = (v: unknown, key: string, depth: number) => {
      if (depth > 4) return;
      if (Array.isArray(v)) v.slice(0, 5).forEach((x) => visit(x, key, depth + 1));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, k, depth + 1);
      else if ((typeof v === 'number' || typeof v === 'string') && /(^|_)id$/.test(key)) addTo(this.pool.ids, String(v));
      else if (typeof v === 'string' && /name$|^tag|^uuid$|^docker_id$|^app_key$/.test(key)) addTo(this.pool.names, v);
    };
    visit(value, '', 0);
  }

  private send(method: string, path: string, headers: Record<string, string>, body: Buffer | undefined): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
    const url = new URL(this.opts.url);
    return new Promise((resolve, reject) => {
      const req = http.request({ host: url.hostname, port: url.port, method, path, headers: body ? { ...headers, 'content-length': String(body.length) } : headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
      req.on('error', reject);
      req.end(body);
    });
  }
}

/** Percent-encodes the UTF-8 bytes of any string (a lone surrogate becomes U+FFFD, as on the wire). */
function pct(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) out += /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

function addTo(pool: string[], value: string): void {
  if (pool.includes(value)) return;
  pool.push(value);
  if (pool.length > 60) pool.shift();
}

function hex(random: () => number, length: number): string {
  let s = '';
  while (s.length < length) s += Math.floor(random() * 16).toString(16);
  return s;
}

function randomText(random: () => number, length: number): string {
  const ranges = [[0x61, 0x7a], [0x30, 0x39], [0x20, 0x7e], [0x00, 0x1f], [0x4e00, 0x4fff], [0x1f600, 0x1f64f], [0xa0, 0x2ff]];
  let s = '';
  for (let i = 0; i < length; i++) {
    const [lo, hi] = ranges[random() < 0.6 ? Math.floor(random() * 2) : Math.floor(random() * ranges.length)]!;
    s += String.fromCodePoint(lo! + Math.floor(random() * (hi! - lo! + 1)));
  }
  return s;
}

/** `[[[…]]]` or `{"a":{"a":…}}`, `depth` levels, as JSON text. */
function deepNest(kind: 'array' | 'object', depth: number): string {
  return kind === 'array' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}
