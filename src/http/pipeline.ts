/**
 * The path of every request, top to bottom (core.md §8.2 precedence):
 *   request id → route match (4040006 / 4050001 + Allow) → per-IP limit (public routes) → auth (4010001)
 *   → per-user and per-endpoint limits (4030001) → fault injection → media type / body syntax / body shape
 *   (4150001 / 4000403 / 4220001) → query, then body validation (each field's own code) → account state
 *   (4030009) → handler (existence, state, uniqueness, quota, backend) under a deadline → response.
 * Every failure leaves through one serializer (`sendError`).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Router from 'find-my-way';
import { ApiError, byCode, isApiError, type ErrorName } from '../catalog/index.ts';
import { answerOf } from '../errors.ts';
import type { Services } from '../services.ts';
import { parseJsonObject, parseQuery, readBody, settleUnreadBody, type RawBody } from './body.ts';
import { withDeadline } from './deadline.ts';
import type { Gate } from './gate.ts';
import { JSON_TYPE, sendError, wantsProblem, type ErrorContext } from './errors.ts';
import type { Observer } from './observe.ts';
import type { Limiter } from './limits.ts';
import { logRequest } from './request-log.ts';
import type { AuthScheme, AuthUser, Method, Reply, Route } from './route.ts';
import { sameSecret } from './secrets.ts';

const METHODS: Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const NO_BODY = { bytes: Buffer.alloc(0), tooLarge: false } satisfies RawBody;

export class RouteTable {
  // Any segment that fits in a request line is a parameter: its own rules judge it (a malformed id is the
  // domain's "No such ...", core.md §2.3), never the router (4040006).
  private readonly router = Router({ ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 65_536 });
  readonly routes: Route[] = [];
  /**
   * Router-only paths (`route.routerPaths`: repository names of every depth) wait until a lookup misses:
   * find-my-way compiles each path it is given, and these are most of them (a tenth of a second of every
   * start). They never overlap another route's paths, so a lookup that matched without them is the same.
   */
  private deferred: Array<{ route: Route; path: string }> = [];

  add(routes: Route[]): void {
    for (const route of routes) {
      this.routes.push(route);
      for (const path of [route.path, ...(route.aliases ?? [])]) this.router.on(route.method, path, () => undefined, route);
      for (const path of route.routerPaths ?? []) this.deferred.push({ route, path });
    }
  }

  /** Registers the waiting router-only paths; false if there were none. */
  private registerDeferred(): boolean {
    if (this.deferred.length === 0) return false;
    for (const { route, path } of this.deferred) this.router.on(route.method, path, () => undefined, route);
    this.deferred = [];
    return true;
  }

  find(method: string, path: string): { route: Route; params: Record<string, string | undefined> } | undefined {
    if (!(METHODS as string[]).includes(method)) return undefined;
    const found = this.router.find(method as Method, path) ?? (this.registerDeferred() ? this.router.find(method as Method, path) : null);
    return found ? { route: found.store as Route, params: found.params } : undefined;
  }

  /** The route that answers a request line as the pipeline matches it (HEAD as GET, `/API/v1` as `/api/v1`). */
  answering(method: string, url: string): Route | undefined {
    return this.find(method === 'HEAD' ? 'GET' : method, normalizePath(url).path)?.route;
  }

  /** Methods the path supports, for 405's `Allow` (HEAD wherever GET). Empty: the path is unknown. */
  allowed(path: string): string[] {
    this.registerDeferred();
    const methods: string[] = METHODS.filter((m) => this.router.find(m, path));
    if (methods.includes('GET')) methods.splice(1, 0, 'HEAD');
    return methods;
  }
}

/** `/API/v1` is an alias of `/api/v1` (core.md §1); everything after the prefix stays case-sensitive. */
export function normalizePath(url: string): { path: string; search: string } {
  const q = url.indexOf('?');
  let path = q === -1 ? url : url.slice(0, q);
  const search = q === -1 ? '' : url.slice(q + 1);
  path = path.replace(/^\/+/, '/');
  if (path.startsWith('/API/v1')) path = '/api/v1' + path.slice(7);
  if (path.includes('%')) path = literalBadEscapes(path);
  return { path, search };
}

/**
 * Percent-escapes that do not decode to text a name can hold — malformed (`%ZZ`), not UTF-8 (`%FF`) or
 * U+0000 (`%00`) — are taken literally (their `%` re-escaped), so the segment still reaches its route and
 * the domain's own rules judge it: `GET /api/v1/secret-keys/%ZZ` is "No such secret key", like any other
 * id that names nothing, and no NUL ever reaches a store query (PostgreSQL text cannot hold one).
 */
export function literalBadEscapes(path: string): string {
  return path.replace(/(?:%[0-9A-Fa-f]{2})+|%/g, (run) => {
    if (run !== '%') {
      try {
        if (!decodeURIComponent(run).includes('\u0000')) return run;
      } catch {
        // not UTF-8: taken literally below
      }
    }
    return run.replaceAll('%', '%25');
  });
}

function clientIp(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

/** What the pipeline is handed by the server's assembly (app.ts) instead of importing it. */
export interface PipelineDeps {
  /** The caller of a `token` route, or undefined when the request carries no valid token (4010001). */
  authenticate(req: IncomingMessage): AuthUser | undefined | Promise<AuthUser | undefined>;
  /** Operator fault rules (core.md §11), consulted when fault injection is enabled. */
  faults?: { match(method: string, path: string): ErrorName | undefined | Promise<ErrorName | undefined> };
  /** Told of every answer once it is sent (coverage, metrics: http/observe.ts). */
  observe?: Observer;
}

export function createListener(table: RouteTable, services: Services, { authenticate, faults, observe }: PipelineDeps) {
  const { config, limiter, log, gate } = services;

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = randomUUID();
    res.setHeader('Request-Id', requestId);
    const headOnly = req.method === 'HEAD';
    // How an error is written: made only when one is (the origin only for a problem document).
    const errCtx = (): ErrorContext => {
      const problem = wantsProblem(req.headers.accept);
      const origin = problem ? `${(req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http'}://${req.headers.host ?? `${config.host}:${config.port}`}` : '';
      return { requestId, headOnly, problem, origin };
    };
    let route: Route | undefined;
    let injected = false;
    try {
      // HTTP/1.1 requires Host (RFC 9112 §3.2). Node's own check would answer a bare 400, so it is made here.
      if (req.headers.host === undefined && req.httpVersion === '1.1') {
        res.setHeader('Connection', 'close');
        throw new ApiError('INVALID_PARAMETERS');
      }
      // 1. routing
      const { path, search } = normalizePath(req.url ?? '/');
      const match = table.find(headOnly ? 'GET' : req.method ?? '', path);
      if (!match) {
        const allow = table.allowed(path);
        throw allow.length === 0 ? new ApiError('NO_SUCH_API') : notAllowed(allow);
      }
      route = match.route;

      // 2–3. limits and authentication
      const epoch = gate.epoch;
      let user: AuthUser | undefined;
      let early: RawBody | undefined;
      if (route.auth === 'none') {
        const taken = passes(limiter, `ip:${clientIp(req)}`, config.limits.perIp);
        if (!(typeof taken === 'boolean' ? taken : await taken)) throw throttled();
      } else if (route.auth === 'operator') {
        if (config.operatorToken && !sameSecret(req.headers.authorization ?? '', `Bearer ${config.operatorToken}`)) throw new ApiError('UNAUTHORIZED_USER');
      } else if (route.auth === 'token') {
        const scheme = schemeOf(route, req.headers.authorization);
        if (scheme) {
          // The scheme signs the body, so it is read before authentication (and reused below).
          early = await readBody(req, res, config.bodyLimitBytes, config.clientTimeoutMs - (performance.now() - started));
          const signed = { method: req.method ?? '', rawPath: rawPath(req.url), rawQuery: search, headers: req.headers, body: early.bytes };
          user = await caller(gate, epoch, () => scheme.authenticate(signed, services));
        } else {
          const found = caller(gate, epoch, () => authenticate(req));
          user = found instanceof Promise ? await found : found;
        }
        if (!user) throw new ApiError('UNAUTHORIZED_USER');
        if (route.certified && !user.certified) throw new ApiError('NOT_CERTIFICATION');
        const taken = passes(limiter, `user:${user.id}`, config.limits.perUser);
        if (!(typeof taken === 'boolean' ? taken : await taken)) throw throttled();
        if (route.endpointLimit) {
          const endpoint = passes(limiter, `${route.endpointLimit}:${user.id}`, config.limits[route.endpointLimit]);
          if (!(typeof endpoint === 'boolean' ? endpoint : await endpoint)) throw throttled();
        }
      }

      // Fault injection (core.md §11): after routing and auth, before anything is read or changed.
      // The header wins over the operator's rules; rules never hit the operator API itself (it must stay usable).
      if (config.faultInjection) {
        const header = req.headers['x-opencomb-fault'];
        const fault = (typeof header === 'string' ? byCode(Number(header.trim()))?.name : undefined)
          ?? (route.auth === 'operator' ? undefined : await faults?.match(route.method, path));
        // Answered exactly as the real path answers: a throttle carries Retry-After, a 405 its Allow list.
        injected = fault !== undefined;
        if (fault === 'API_FREQ_OUT_OF_LIMIT') throw throttled();
        if (fault === 'HTTP_METHOD_NOT_ALLOWED') throw notAllowed(table.allowed(path));
        if (fault) throw new ApiError(fault);
      }

      // 4. body: media type, syntax, shape (never read for GET/HEAD/DELETE or ignored bodies)
      const spec = route.body;
      const readsBody = spec !== undefined && spec !== 'ignored' && route.method !== 'GET' && route.method !== 'DELETE';
      const raw = early && readsBody ? early : readsBody
        ? await readBody(req, res, (typeof spec === 'object' && 'raw' in spec && spec.raw.maxBytes) || config.bodyLimitBytes, config.clientTimeoutMs - (performance.now() - started))
        : NO_BODY;
      const contentType = req.headers['content-type'];
      let bodyInput: Record<string, unknown> = {};
      if (readsBody && typeof spec === 'object' && 'raw' in spec) {
        if (raw.bytes.length > 0 || raw.tooLarge) {
          if (!contentType || !spec.raw.mediaTypes.test(contentType)) throw new ApiError('UNSUPPORTED_MEDIA_TYPE');
          if (raw.tooLarge) throw new ApiError('INVALID_REQUEST_BODY');
        }
      } else if (readsBody) {
        bodyInput = parseJsonObject(raw, contentType);
      }

      // 5. parameters: query, then body fields in documented order
      const context = { user, headers: req.headers };
      const query = route.query ? route.query.validate(route.queryInBody ? { ...bodyInput, ...parseQuery(search) } : parseQuery(search), context) : {};
      const body = spec && typeof spec === 'object' && 'validate' in spec ? spec.validate(bodyInput, context) : {};

      // 6–11 run under the store gate (http/gate.ts): a reset or restore never overlaps them.
      const handler = route.handler;
      const run = () => handler({
        requestId, params: match.params, query, body, user: user as AuthUser, services,
        // Most handlers never log: the child logger is made on first use.
        get log() {
          return log.child({ requestId });
        },
        req, raw: { bytes: raw.bytes, contentType },
      });
      // A long poll (the beta API's watch) waits for a change on purpose: no handler deadline, and it does
      // not hold the store gate while it waits (a reset would otherwise wait for every watcher, and the
      // clock tick that ends a watch would queue behind that reset).
      const out = route.longPoll ? await run() : await gate.run(route.exclusive === true, async () => {
        // The store was replaced since the token was checked: the token may name no one now.
        if (user && gate.epoch !== epoch) user = await authenticate(req);
        if (match.route.auth === 'token' && !user) throw new ApiError('UNAUTHORIZED_USER');

        // 6. account state for requests that change something
        if (match.route.mutates && user && user.status === 'abnormal') throw new ApiError('USER_STATUS_ABNORMAL');

        // 7–11. the handler: existence, state, uniqueness, quota, backend
        return withDeadline(run, config.handlerDeadlineMs);
      });
      // What the request committed is on disk before it is acknowledged (group commit: store/db.ts).
      const flushing = services.store.durable();
      if (flushing) await flushing;
      settleUnreadBody(req, res, config.bodyLimitBytes, config.clientTimeoutMs - (performance.now() - started));
      send(res, out, headOnly);
      logRequest(log, req, { requestId, route, status: out.status, started });
      observe?.({ route, method: req.method ?? '', status: out.status, code: undefined, injected: false, durationMs: performance.now() - started });
    } catch (err) {
      // A failed request changed nothing, but what it may have committed on the way (a default namespace)
      // is flushed like any other write before the answer; a failed flush leaves the answer as it is.
      const flushing = services.store.durable();
      if (flushing) await flushing.catch(() => undefined);
      settleUnreadBody(req, res, config.bodyLimitBytes, config.clientTimeoutMs - (performance.now() - started));
      if (isApiError(err)) {
        sendError(res, err, errCtx());
        logRequest(log, req, { requestId, route, status: err.status, started, error: err, fault: err.cause });
        observe?.({ route, method: req.method ?? '', status: err.status, code: err.code, injected, durationMs: performance.now() - started });
        return;
      }
      // The client closed the connection before its body arrived: no answer can reach it, and nothing
      // failed on our side (nothing was changed either: the body is read before any handler runs).
      if (clientGone(req, err)) {
        log.info({ requestId, method: req.method, route: route?.path }, 'client closed the connection before its request was read');
        return;
      }
      // Our own failure: log the detail with the request id; the body carries only the catalog text.
      const answer = answerOf(err, route?.internalError ?? 'NCE_INTERNAL_SERVER_ERROR');
      sendError(res, answer, errCtx());
      logRequest(log, req, { requestId, route, status: answer.status, started, error: answer, fault: err });
      observe?.({ route, method: req.method ?? '', status: answer.status, code: answer.code, injected: false, durationMs: performance.now() - started });
    }
  };
}

/** True when reading the request failed because its client went away (Node's `aborted`, ECONNRESET). */
function clientGone(req: IncomingMessage, err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'ECONNRESET' && req.socket.destroyed;
}

/**
 * Who the caller is, asked outside the store gate (a cached token needs no store, and a 401 takes no part
 * in it). A lookup that fails while an operator action replaces the store (the epoch moved: on PostgreSQL a
 * reset's TRUNCATE can make it a deadlock's victim) failed because of the replacement, not the request: it
 * is asked again under the gate, after the replacement, and the request is answered as after it.
 */
function caller(gate: Gate, epoch: number, lookUp: () => AuthUser | undefined | Promise<AuthUser | undefined>): AuthUser | undefined | Promise<AuthUser | undefined> {
  const found = lookUp();
  if (!(found instanceof Promise)) return found;
  return found.catch((err: unknown) => {
    if (isApiError(err) || gate.epoch === epoch) throw err;
    return gate.run(false, async () => lookUp());
  });
}

/**
 * One token of a limit: at once from the in-process limiter (or when the limit is off), a promise only from
 * Redis. Awaiting a plain boolean would still cost a turn of the microtask queue on every request.
 */
function passes(limiter: Limiter, key: string, rate: number): boolean | Promise<boolean> {
  return rate <= 0 || limiter.take(key, rate);
}

/** The route's extra scheme named by the `Authorization` header's first word, if any. */
function schemeOf(route: Route, authorization: string | undefined): AuthScheme | undefined {
  if (!route.schemes || !authorization) return undefined;
  const word = authorization.trim().split(/[ \t]/, 1)[0]!.toLowerCase();
  return route.schemes.find((s) => s.scheme.toLowerCase() === word);
}

/** The path of the request line as sent (percent-encoded, not normalized). */
function rawPath(url: string | undefined): string {
  const u = url ?? '/';
  const q = u.indexOf('?');
  return q === -1 ? u : u.slice(0, q);
}

/** 4030001 tells the client when to retry (core.md §6). */
function throttled(): ApiError {
  return new ApiError('API_FREQ_OUT_OF_LIMIT', { headers: { 'Retry-After': '1' } });
}

/** 4050001 lists the methods the path has (core.md §2.1). */
export function notAllowed(allow: string[]): ApiError {
  return new ApiError('HTTP_METHOD_NOT_ALLOWED', { headers: { Allow: allow.join(', ') } });
}

function send(res: ServerResponse, out: Reply, headOnly: boolean): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = out.status;
  for (const [k, v] of Object.entries(out.headers ?? {})) res.setHeader(k, v);
  let body = '';
  if (out.text !== undefined) {
    body = out.text;
    res.setHeader('Content-Type', out.contentType ?? 'text/plain; charset=utf-8');
  } else if (out.json !== undefined) {
    body = JSON.stringify(out.json);
    res.setHeader('Content-Type', out.contentType ?? JSON_TYPE);
  }
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(headOnly || body === '' ? undefined : body);
}
