/**
 * Test harness: starts the real server on an ephemeral port (SQLite in a temp dir, or a fresh PostgreSQL
 * database) and speaks HTTP to it. No component of ours is mocked.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { pino } from 'pino';
import { startServer, type RunningServer } from '../../src/app.ts';
import { checkAnswer } from './contract.ts';
import { defaultConfig, type Config } from '../../src/config.ts';
import { databaseUrl, DEFAULT_PG_URL, maintenanceQuery, whyNoPostgres } from './postgres.ts';

export type StoreKind = 'sqlite' | 'postgres';

/** Server of the PostgreSQL used by tests; each test server gets its own database there. */
export const PG_URL = process.env.OPENCOMB_TEST_PG_URL || DEFAULT_PG_URL;

/**
 * Why the PostgreSQL suites cannot run, if they cannot: `npm test` has already checked (and started an
 * embedded server when needed); a test file run on its own checks here.
 */
export const pgSkipReason: string | undefined = process.env.OPENCOMB_TEST_PG_SKIP
  || (process.env.OPENCOMB_TEST_PG_CHECKED ? undefined : await whyNoPostgres(PG_URL).then((why) => why && `${why}; \`npm test\` starts an embedded one`));

/**
 * The stores every storage test runs on (`for (const store of STORES) describe(…)`). When PostgreSQL cannot
 * be had, its suites are not silently dropped: each loop reports a skipped test with the reason.
 */
export const STORES: Iterable<StoreKind> = {
  *[Symbol.iterator]() {
    yield 'sqlite';
    if (pgSkipReason) test('(postgres)', { skip: pgSkipReason }, () => undefined);
    else yield 'postgres';
  },
};

export interface Res {
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
  json: any;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is (no JSON encoding). */
  raw?: string | Buffer;
  token?: string;
  headers?: Record<string, string>;
}

export interface TestUser {
  user_name: string;
  app_key: string;
  app_secret: string;
  token: string;
}

export class TestServer {
  private userCount = 0;
  /** Fault injection answers codes a route does not declare on purpose: such answers are not checked. */
  private faultsArmed = false;
  constructor(readonly running: RunningServer, private readonly cleanup: () => Promise<void>) {}

  get url(): string {
    return this.running.url;
  }

  /** Fault rules were installed through another server of the same store (replicas): stop checking answers. */
  faultsInstalledElsewhere(): void {
    this.faultsArmed = true;
  }
  get services() {
    return this.running.services;
  }

  async request(method: string, path: string, opts: RequestOptions = {}): Promise<Res> {
    const headers: Record<string, string> = { ...opts.headers };
    let body: string | Buffer | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    if (opts.token) headers.authorization ??= `Token ${opts.token}`;
    const r = await fetch(this.url + path, { method, headers, body: body as BodyInit | undefined });
    const text = await r.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const res = { status: r.status, statusText: r.statusText, headers: r.headers, text, json, contentType: r.headers.get('content-type') };
    if (path.startsWith('/_opencomb/faults') && method === 'POST' && r.status < 300) this.faultsArmed = true;
    const faultHeader = Object.keys(headers).some((k) => k.toLowerCase() === 'x-opencomb-fault');
    if (!this.faultsArmed && !faultHeader) checkAnswer(this.running.routes.answering(method, path), method, path, res);
    return res;
  }

  operator(method: string, path: string, body?: unknown): Promise<Res> {
    return this.request(method, `/_opencomb${path}`, { body, headers: this.running.services.config.operatorToken ? { authorization: `Bearer ${this.running.services.config.operatorToken}` } : {} });
  }

  async token(app_key: string, app_secret: string): Promise<string> {
    const r = await this.request('POST', '/api/v1/token', { body: { app_key, app_secret } });
    assert.equal(r.status, 201, r.text);
    return r.json.token as string;
  }

  /** A new user (through the operator API) with a token (through the public token endpoint). */
  async newUser(name = `user${++this.userCount}`): Promise<TestUser> {
    const r = await this.operator('POST', '/users', { user_name: name });
    assert.equal(r.status, 201, r.text);
    return { ...r.json, token: await this.token(r.json.app_key, r.json.app_secret) };
  }

  async advance(seconds: number): Promise<string> {
    const r = await this.operator('POST', '/clock', { advance_seconds: seconds });
    assert.equal(r.status, 200, r.text);
    return r.json.now as string;
  }

  close(): Promise<void> {
    return this.running.close().then(this.cleanup);
  }
}

/** Generous limits so that tests which are not about limits never trip them. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return defaultConfig({ port: 0, logLevel: 'silent', limits: { perUser: 0, privateKey: 0, perIp: 0 }, tickMs: 0, ...overrides });
}

export async function startTestServer(store: StoreKind = 'sqlite', overrides: Partial<Config> = {}): Promise<TestServer> {
  // The pid in the name lets a test tell this process's folders from other test files' (test/server/harness.test.ts).
  const dataDir = mkdtempSync(join(tmpdir(), `opencomb-test-${process.pid}-`));
  let dropDb = async () => {};
  const cleanup = async () => {
    await dropDb();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    let db: string | undefined;
    if (store === 'postgres') {
      if (pgSkipReason) throw new Error(pgSkipReason);
      const name = `oc_test_${randomBytes(6).toString('hex')}`;
      await maintenanceQuery(PG_URL, `create database ${name}`);
      db = databaseUrl(PG_URL, name);
      dropDb = () => maintenanceQuery(PG_URL, `drop database if exists ${name} with (force)`);
    }
    const config = testConfig({ dataDir, db, ...overrides });
    const running = await startServer(config, pino({ level: process.env.OPENCOMB_TEST_LOG ?? 'silent' }));
    return new TestServer(running, cleanup);
  } catch (err) {
    // A failed start leaves nothing behind: no folder, no database.
    await cleanup().catch(() => undefined);
    throw err;
  }
}

/** Asserts a catalog error: exact status, code and message, and a Request-Id. */
export function expectError(res: Res, status: number, code: number, message: string): void {
  assert.deepEqual({ status: res.status, body: res.json }, { status, body: { code, message } }, `response was ${res.status} ${res.text}`);
  assert.match(res.headers.get('request-id') ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
}
