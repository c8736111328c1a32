import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ApiError } from '../catalog/index.ts';

/** `application/json` (any parameters) or any `application/*+json`, case-insensitive (core.md §2.2 rule 2). */
export function isJsonMediaType(contentType: string | undefined): boolean {
  if (contentType === undefined) return true; // rule 3: a body without Content-Type is parsed as JSON
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || /^application\/[^/]+\+json$/.test(type);
}

export interface RawBody {
  bytes: Buffer;
  tooLarge: boolean;
}

/**
 * Reads the body, at most `limit` bytes. A body declared (`Content-Length`) or found (chunked) to be longer
 * is not read on: `tooLarge` at once, and the answer then closes the connection (`settleUnreadBody`). The
 * promise rejects with 4080001 when the client has not finished sending within `deadlineMs`.
 */
export function readBody(req: IncomingMessage, res: ServerResponse, limit: number, deadlineMs: number): Promise<RawBody> {
  if (declaredLength(req) > limit) return Promise.resolve(TOO_LARGE);
  // `Expect: 100-continue`: the client waits for this before sending; only now is the body wanted.
  if (expectsContinue(req)) {
    res.writeContinue();
    continued.add(req);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      cleanup();
      reject(new ApiError('REQUEST_TIMEOUT'));
    }, Math.max(0, deadlineMs));
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else {
        cleanup();
        resolve(TOO_LARGE);
      }
    };
    const onEnd = () => {
      cleanup();
      resolve({ bytes: Buffer.concat(chunks), tooLarge: false });
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onError);
    };
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

const TOO_LARGE: RawBody = { bytes: Buffer.alloc(0), tooLarge: true };

/** Requests that were told `100 Continue`. */
const continued = new WeakSet<IncomingMessage>();

function expectsContinue(req: IncomingMessage): boolean {
  return req.headers.expect?.toLowerCase() === '100-continue';
}

/** The declared `Content-Length` (0 when absent; Node has already refused malformed or conflicting ones). */
function declaredLength(req: IncomingMessage): number {
  const value = req.headers['content-length'];
  return value === undefined ? 0 : Number(value);
}

/**
 * Called just before any answer. A body the answer did not wait for (an early error, a body over the
 * limit, a client too slow) is never read to its end: when it is chunked, declared over `drainLimit`
 * bytes, still held back by a client waiting for `100 Continue`, or the client's time is up, the answer
 * carries `Connection: close`; otherwise Node reads off the rest to keep the connection, and the
 * connection is closed if that has not finished within `remainingMs`.
 */
export function settleUnreadBody(req: IncomingMessage, res: ServerResponse, drainLimit: number, remainingMs: number): void {
  if (req.complete || res.headersSent) return;
  // No body at all (most GETs): nothing to read off. An answer made before the request's end was parsed
  // (an early error) would otherwise arm a timer for nothing.
  if (req.headers['transfer-encoding'] === undefined && declaredLength(req) === 0) return;
  const heldBack = expectsContinue(req) && !continued.has(req);
  if (req.headers['transfer-encoding'] !== undefined || declaredLength(req) > drainLimit || heldBack || remainingMs <= 0) {
    res.setHeader('Connection', 'close');
    closeLingering(req.socket);
    return;
  }
  const timer = setTimeout(() => req.socket.destroy(), remainingMs);
  timer.unref();
  const done = () => clearTimeout(timer);
  req.once('end', done).once('close', done);
}

/** How long a connection closed with its request body unread goes on reading (and dropping) what the client sends. */
export const LINGER_MS = 2000;

/**
 * Closes a connection whose request body was left unread without losing the answer (RFC 9112 §9.6). Node
 * destroys a `Connection: close` socket as soon as the answer is handed to the kernel; a socket closed while
 * the client is still sending makes the kernel answer with a reset, which also throws away the part of the
 * answer not yet delivered (a client then sees ECONNRESET instead of, say, 4000403). Instead our side is
 * ended (the client reads the answer, then end of stream), what it still sends is read and dropped (Node's
 * parser dumps an unread body), and the socket is destroyed when the client closes its side or after
 * LINGER_MS.
 */
function closeLingering(socket: Socket): void {
  socket.destroySoon = function destroyLingering(this: Socket) {
    this.end();
    const timer = setTimeout(() => this.destroy(), LINGER_MS);
    timer.unref();
    this.once('end', () => this.destroy()).once('close', () => clearTimeout(timer));
  };
}

/**
 * Turns a read body into the JSON object handlers validate (core.md §2.2 rules 2–6): empty → {}, wrong media
 * type → 4150001, too large or not UTF-8 JSON → 4000403, not an object → 4220001.
 */
export function parseJsonObject(body: RawBody, contentType: string | undefined): Record<string, unknown> {
  if (!body.tooLarge && body.bytes.length === 0) return {};
  if (!isJsonMediaType(contentType)) throw new ApiError('UNSUPPORTED_MEDIA_TYPE');
  if (body.tooLarge) throw new ApiError('INVALID_REQUEST_BODY');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body.bytes);
  } catch {
    throw new ApiError('INVALID_REQUEST_BODY');
  }
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    throw new ApiError('INVALID_REQUEST_BODY');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ApiError('UNPROCESSABLE_ENTITY');
  return value as Record<string, unknown>;
}

/** Query string → first occurrence of each parameter (core.md §2.3). */
export function parseQuery(search: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(search)) if (!(key in out)) out[key] = value;
  return out;
}
