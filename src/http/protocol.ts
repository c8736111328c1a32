/**
 * Answers for what Node handles before (or instead of) the request listener, so that they too are in the
 * contract: a catalog body and a Request-Id (core.md §8, docs/core.md).
 *   - malformed HTTP and header timeouts (`clientError`): 4000001 / 4080001, no body on a HEAD answer;
 *   - a method Node's parser does not know (`FOO`): answered like every method we do not implement,
 *     4050001 + `Allow` on a known path, 4040006 elsewhere (as `PROPFIND` and `CONNECT` are);
 *   - `CONNECT` (Node's tunnel event): the same rule;
 *   - `Expect: 100-continue`: the interim answer only when the body is about to be read; any other
 *     expectation is ignored (RFC 9110 §10.1.1 allows it) and the request served.
 */
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { ApiError } from '../catalog/index.ts';
import { rawErrorResponse, wantsProblem, type ErrorContext } from './errors.ts';
import type { Observer } from './observe.ts';
import { normalizePath, notAllowed, type RouteTable } from './pipeline.ts';

/** The first bytes of the request being parsed on a connection (for a parse error in a later chunk). */
const requestStart = Symbol('requestStart');
type TrackedSocket = Socket & { [requestStart]?: string };

/** `METHOD SP target` at the start of a line: a request line (RFC 9112 §3), possibly cut short. */
const REQUEST_LINE = /(?:^|\n)([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\/\S*|\*|[A-Za-z][A-Za-z0-9+.-]*:\/\/\S*)/g;

/** `observe` is told of each of these answers too, under no operation (they never reach a route). */
export function installProtocolAnswers(server: Server, table: RouteTable, listener: RequestListener, log: Logger, observe: Observer = () => undefined): void {
  // Over TLS the HTTP bytes are those of the TLS socket, not of the TCP connection under it.
  // An HTTPS server is no http.Server (it extends tls.Server); its requests come after the TLS handshake.
  server.on(server instanceof http.Server ? 'connection' : 'secureConnection', (socket: TrackedSocket) => {
    socket.on('data', (chunk: Buffer) => {
      socket[requestStart] ??= chunk.toString('latin1', 0, 64);
    });
  });
  server.on('request', (req: IncomingMessage) => {
    (req.socket as TrackedSocket)[requestStart] = undefined;
  });
  server.on('checkExpectation', listener);
  // `100 Continue` is sent by the pipeline when it is about to read the body (readBody), so that a request
  // refused before that (401, 404, a declared body over the limit) never has its body sent at all.
  server.on('checkContinue', listener);
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => answerClientError(err, socket, table, log, observe));
  server.on('connect', (req: IncomingMessage, socket: Socket) => answerUnknownMethod(table, req.method ?? 'CONNECT', req.url ?? '/', socket, {
    requestId: randomUUID(), headOnly: false, problem: wantsProblem(req.headers.accept), origin: `http://${req.headers.host ?? ''}`,
  }, observe));
}

/** Sends a catalog error on the raw socket and closes it; reported to the observer under no operation. */
function answerRaw(socket: Socket, err: ApiError, method: string, ctx: ErrorContext, observe: Observer): void {
  socket.end(rawErrorResponse(err, ctx));
  observe({ route: undefined, method, status: err.status, code: err.code, injected: false, durationMs: 0 });
}

/**
 * Node reports malformed requests and header timeouts here, before a request object exists. Answer them
 * in the catalog format with a Request-Id instead of Node's bare 400/408, then close (core.md §8).
 */
function answerClientError(err: NodeJS.ErrnoException & { rawPacket?: Buffer; bytesParsed?: number }, socket: TrackedSocket, table: RouteTable, log: Logger, observe: Observer): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const request = readRequest(err, socket);
  const ctx: ErrorContext = {
    requestId: randomUUID(),
    headOnly: request?.method === 'HEAD',
    problem: wantsProblem(request?.header('accept')),
    origin: `${(socket as { encrypted?: boolean }).encrypted ? 'https' : 'http'}://${request?.header('host') ?? `${socket.localAddress}:${socket.localPort}`}`,
  };
  log.info({ requestId: ctx.requestId, code: err.code }, 'client error');
  if (err.code === 'HPE_INVALID_METHOD' && request) {
    answerUnknownMethod(table, request.method, request.target, socket, ctx, observe);
    return;
  }
  const timeout = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || err.code === 'ERR_HTTP_HEADERS_TIMEOUT';
  answerRaw(socket, new ApiError(timeout ? 'REQUEST_TIMEOUT' : 'INVALID_PARAMETERS'), request?.method ?? '', ctx, observe);
}

/**
 * A method we do not implement, on a request Node does not hand to the listener (`CONNECT`, or one its
 * parser does not know): 4050001 with `Allow` on a known path, 4040006 elsewhere (core.md §2.1), then the
 * connection closes.
 */
function answerUnknownMethod(table: RouteTable, method: string, target: string, socket: Socket, ctx: ErrorContext, observe: Observer): void {
  const allow = table.allowed(normalizePath(target).path);
  answerRaw(socket, allow.length ? notAllowed(allow) : new ApiError('NO_SUCH_API'), method, ctx, observe);
}

interface RawRequest {
  method: string;
  target: string;
  /** A header from the lines that arrived with the request line (undefined when not among them). */
  header(name: string): string | undefined;
}

/**
 * The request that failed, as far as it can be read: the last request line starting in the failing packet
 * before the error, else the first bytes of the request as the connection received them.
 */
function readRequest(err: { rawPacket?: Buffer; bytesParsed?: number }, socket: TrackedSocket): RawRequest | undefined {
  const packet = err.rawPacket?.toString('latin1') ?? '';
  const errorAt = err.bytesParsed ?? packet.length;
  let found: RegExpMatchArray | undefined;
  let text = packet;
  for (const m of packet.matchAll(REQUEST_LINE)) if (m.index! <= errorAt) found = m;
  if (!found) {
    text = socket[requestStart] ?? '';
    found = [...text.matchAll(REQUEST_LINE)][0];
  }
  if (!found) return undefined;
  const end = text.indexOf('\r\n\r\n', found.index!);
  const head = text.slice(found.index!, end === -1 ? undefined : end);
  return {
    method: found[1]!,
    target: found[2]!,
    header: (name) => new RegExp(`\\r\\n${name}:[ \\t]*([^\\r\\n]*)`, 'i').exec(head)?.[1]?.trim(),
  };
}
