import type { ServerResponse } from 'node:http';
import { ApiError, reasonPhrase } from '../catalog/index.ts';

export const JSON_TYPE = 'application/json; charset=utf-8';
export const PROBLEM_TYPE = 'application/problem+json';

/** Where each code is documented (served by the operator routes, rendered from the catalog). */
export const ERROR_DOCS_PATH = '/_opencomb/docs/errors.md';

export interface ErrorContext {
  requestId: string;
  /** Send headers only (HEAD). */
  headOnly: boolean;
  /** The client asked for RFC 9457 problem documents (core.md §11). */
  problem: boolean;
  /** `scheme://host` the client used, for the documentation link. */
  origin: string;
}

export function wantsProblem(accept: string | undefined): boolean {
  return accept !== undefined && /application\/problem\+json/i.test(accept);
}

const defaultBodies = new Map<number, string>();

/** `{"code","message"}`, serialized once per code. */
function defaultBody(err: ApiError): string {
  let body = defaultBodies.get(err.code);
  if (body === undefined) {
    body = JSON.stringify(err.toBody());
    defaultBodies.set(err.code, body);
  }
  return body;
}

/** The body of an error: byte-exact `{"code","message"}` by default, a problem document on request. */
export function errorBody(err: ApiError, ctx: Pick<ErrorContext, 'problem' | 'requestId' | 'origin'>): { type: string; body: string } {
  if (!ctx.problem) return { type: JSON_TYPE, body: defaultBody(err) };
  const doc: Record<string, unknown> = {
    type: `${ctx.origin}${ERROR_DOCS_PATH}#${err.code}`,
    title: reasonPhrase(err.status),
    status: err.status,
    detail: err.message,
    code: err.code,
    message: err.message,
  };
  if (err.param) doc.param = err.param;
  doc.request_id = ctx.requestId;
  return { type: PROBLEM_TYPE, body: JSON.stringify(doc) };
}

export function sendError(res: ServerResponse, err: ApiError, ctx: ErrorContext): void {
  if (res.headersSent || res.destroyed) return;
  const { type, body } = errorBody(err, ctx);
  res.statusCode = err.status;
  res.statusMessage = reasonPhrase(err.status); // 433 has no standard phrase: "Not Certification" (core.md §8.1)
  for (const [k, v] of Object.entries(err.headers ?? {})) res.setHeader(k, v);
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(ctx.headOnly ? undefined : body);
}

/**
 * An answer written straight to the socket, for failures Node reports before a request object exists
 * (malformed HTTP, header timeouts): the same catalog body and a Request-Id, then the connection closes.
 */
export function rawErrorResponse(err: ApiError, requestId: string): string {
  const body = JSON.stringify(err.toBody());
  return [
    `HTTP/1.1 ${err.status} ${reasonPhrase(err.status)}`,
    `Request-Id: ${requestId}`,
    ...Object.entries(err.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    `Content-Type: ${JSON_TYPE}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}
