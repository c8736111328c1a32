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
import type { Duplex } from 'node:stream';
import Router from 'find-my-way';
import { ApiError, byCode, isApiError, type ErrorName } from '../catalog/index.ts';
import { answerOf } from '../errors.ts';
import type { Services } from '../services.ts';
import { parseJsonObject, parseQuery, readBody, type RawBody } from './body.ts';
import { withDeadline } from './deadline.ts';
import { JSON_TYPE, rawErrorResponse, sendError, wantsProblem, type ErrorContext } from './errors.ts';
import type { AuthScheme, AuthUser, Method, Reply, Route } from './route.ts';

const METHODS: Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const NO_BODY = { bytes: Buffer.alloc(0), tooLarge: false } satisfies RawBody;

export class RouteTable {
  // Any segment that fits in a request line is a parameter: its own rules judge it (a malformed id is the
  // domain's "No such ...", core.md §2.3), never the router (4040006).
  private readonly router = Router({ ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 65_536 });
  readonly routes: Route[] = [];

  add(routes: Route[]): void {
    for (const route of routes) {
      this.routes.push(route);
      for (const path of [route.path, ...(route.aliases ?? []), ...(route.routerPaths ?? [])]) this.router.on(route.method, path, () => undefined, route);
    }
  }

  find(method: string, path: string): { route: Route; params: Record<string, string | undefined> } | undefined {
    const found = (METHODS as string[]).includes(method) ? this.router.find(method as Method, path) : null;
    return found ? { route: found.store as Route, params: found.params } : undefined;
  }

  /** The route that answers a request line as the pipeline matches it (HEAD as GET, `/API/v1` as `/api/v1`). */
  answering(method: string, url: string): Route | undefined {
    return this.find(method === 'HEAD' ? 'GET' : method, normalizePath(url).path)?.route;
  }

  /** Methods the path supports, for 405's `Allow` (HEAD wherever GET). Empty: the path is unknown. */
  allowed(path: string): string[] {
    const methods: string[] = METHODS.filter((m) => this.router.find(m, path));
    if (methods.includes('GET')) methods.splice(1, 0, 'HEAD');
    return methods;
  }
}

/** `/API/v1` is an alias of `/api/v1` (core.md §1); everything after the prefix stays case-sensitive. */
function normalizePath(url: string): { path: string; search: string } {
  const q = url.indexOf('?');
  let path = q === -1 ? url : url.slice(0, q);
  const search = q === -1 ? '' : url.slice(q + 1);
  path = path.replace(/^\/+/, '/');
  if (path.startsWith('/API/v1')) path = '/api/v1' + path.slice(7);
  return { path, search };
}

/**
 * `CONNECT` never reaches the listener (Node hands it over as a tunnel request and, unanswered, drops the
 * connection). Like any other unsupported method it answers 4050001 with `Allow` on a known path, 4040006
 * elsewhere (core.md §2.1), then the connection closes.
 */
export function answerConnect(table: RouteTable, req: IncomingMessage, socket: Duplex): void {
  const allow = table.allowed(normalizePath(req.url ?? '/').path);
  socket.end(rawErrorResponse(allow.length ? notAllowed(allow) : new ApiError('NO_SUCH_API'), randomUUID()));
}

function clientIp(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

/** What the pipeline is handed by the server's assembly (app.ts) instead of importing it. */
export interface PipelineDeps {
  /** The caller of a `token` route, or undefined when the request carries no valid token (4010001). */
  authenticate(req: IncomingMessage): Promise<AuthUser | undefined>;
  /** Operator fault rules (core.md §11), consulted when fault injection is enabled. */
  faults?: { match(method: string, path: string): ErrorName | undefined };
}

export function createListener(table: RouteTable, services: Services, { authenticate, faults }: PipelineDeps) {
  const { config, limiter, log } = services;

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = randomUUID();
    res.setHeader('Request-Id', requestId);
    const headOnly = req.method === 'HEAD';
    const errCtx: ErrorContext = {
      requestId,
      headOnly,
      problem: wantsProblem(req.headers.accept),
      origin: `${(req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http'}://${req.headers.host ?? `${config.host}:${config.port}`}`,
    };
    let route: Route | undefined;
    try {
      // 1. routing
      const { path, search } = normalizePath(req.url ?? '/');
      const match = table.find(headOnly ? 'GET' : req.method ?? '', path);
      if (!match) {
        const allow = table.allowed(path);
        throw allow.length === 0 ? new ApiError('NO_SUCH_API') : notAllowed(allow);
      }
      route = match.route;

      // 2–3. limits and authentication
      let user: AuthUser | undefined;
      let early: RawBody | undefined;
      if (route.auth === 'none') {
        if (!limiter.take(`ip:${clientIp(req)}`, config.limits.perIp)) throw throttled();
      } else if (route.auth === 'operator') {
        if (config.operatorToken && req.headers.authorization !== `Bearer ${config.operatorToken}`) throw new ApiError('UNAUTHORIZED_USER');
      } else if (route.auth === 'token') {
        const scheme = schemeOf(route, req.headers.authorization);
        if (scheme) {
          // The scheme signs the body, so it is read before authentication (and reused below).
          early = await readBody(req, config.bodyLimitBytes, config.clientTimeoutMs - (performance.now() - started), () => res.setHeader('Connection', 'close'));
          user = await scheme.authenticate({ method: req.method ?? '', rawPath: rawPath(req.url), rawQuery: search, headers: req.headers, body: early.bytes }, services);
        } else {
          user = await authenticate(req);
        }
        if (!user) throw new ApiError('UNAUTHORIZED_USER');
        if (route.certified && !user.certified) throw new ApiError('NOT_CERTIFICATION');
        if (!limiter.take(`user:${user.id}`, config.limits.perUser)) throw throttled();
        if (route.endpointLimit && !limiter.take(`${route.endpointLimit}:${user.id}`, config.limits[route.endpointLimit])) throw throttled();
      }

      // Fault injection (core.md §11): after routing and auth, before anything is read or changed.
      // The header wins over the operator's rules; rules never hit the operator API itself (it must stay usable).
      if (config.faultInjection) {
        const header = req.headers['x-opencomb-fault'];
        const fault = (typeof header === 'string' ? byCode(Number(header.trim()))?.name : undefined)
          ?? (route.auth === 'operator' ? undefined : faults?.match(route.method, path));
        // Answered exactly as the real path answers: a throttle carries Retry-After, a 405 its Allow list.
        if (fault === 'API_FREQ_OUT_OF_LIMIT') throw throttled();
        if (fault === 'HTTP_METHOD_NOT_ALLOWED') throw notAllowed(table.allowed(path));
        if (fault) throw new ApiError(fault);
      }

      // 4. body: media type, syntax, shape (never read for GET/HEAD/DELETE or ignored bodies)
      const spec = route.body;
      const readsBody = spec !== undefined && spec !== 'ignored' && route.method !== 'GET' && route.method !== 'DELETE';
      const raw = early && readsBody ? early : readsBody
        ? await readBody(req, (typeof spec === 'object' && 'raw' in spec && spec.raw.maxBytes) || config.bodyLimitBytes, config.clientTimeoutMs - (performance.now() - started), () => res.setHeader('Connection', 'close'))
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

      // 6. account state for requests that change something
      if (route.mutates && user && user.status === 'abnormal') throw new ApiError('USER_STATUS_ABNORMAL');

      // 7–11. the handler: existence, state, uniqueness, quota, backend
      const handler = route.handler;
      const out = await withDeadline(() => handler({
        requestId, params: match.params, query, body, user: user as AuthUser, services,
        log: log.child({ requestId }), req, raw: { bytes: raw.bytes, contentType },
      }), config.handlerDeadlineMs);
      send(res, out, headOnly);
      log.debug({ requestId, method: req.method, url: loggableUrl(req.url), status: out.status, ms: performance.now() - started }, 'request');
    } catch (err) {
      if (isApiError(err)) {
        if (err.status >= 500) log.error({ requestId, err: err.cause ?? err, code: err.code }, 'request failed');
        sendError(res, err, errCtx);
        return;
      }
      // Our own failure: log the detail with the request id; the body carries only the catalog text.
      log.error({ requestId, err, method: req.method, url: loggableUrl(req.url) }, 'unexpected failure');
      sendError(res, answerOf(err, route?.internalError ?? 'NCE_INTERNAL_SERVER_ERROR'), errCtx);
    }
  };
}

/** Query parameters that carry secrets (RDS passwords travel in the query string); never logged. */
const SECRET_PARAMS = /([?&](?:account_password|app_secret)=)[^&]*/gi;

export function loggableUrl(url: string | undefined): string | undefined {
  return url?.replace(SECRET_PARAMS, '$1[REDACTED]');
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
function notAllowed(allow: string[]): ApiError {
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
