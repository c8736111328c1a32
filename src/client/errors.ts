/**
 * The errors the client throws. Every error answer of the API is a catalog code (`src/catalog`), so one
 * class carries them all, with the code's symbolic name for type guards.
 */
import { byCode, type ErrorName } from '../catalog/index.ts';

export type { ErrorName };

/** An error answer of the API: `{"code": <7 digits>, "message": "..."}` with its status and request id. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** The symbolic name of the code in the catalog (`NO_SUCH_NAMESPACE`). */
  readonly errorName: ErrorName;
  readonly code: number;
  readonly status: number;
  override readonly message: string;
  /** The `Request-Id` header of the answer (the server logs the failure under it). */
  readonly requestId: string | undefined;
  /** Seconds the server asked to wait (`Retry-After` of a 4030001). */
  readonly retryAfter: number | undefined;

  constructor(errorName: ErrorName, code: number, status: number, message: string, requestId?: string, retryAfter?: number) {
    super(message);
    this.errorName = errorName;
    this.code = code;
    this.status = status;
    this.message = message;
    this.requestId = requestId;
    this.retryAfter = retryAfter;
  }
}

/**
 * An answer that is not the API's: a status with a body that is not a catalog error (a proxy's 502 page,
 * a code this client's catalog does not know).
 */
export class UnexpectedResponseError extends Error {
  override readonly name = 'UnexpectedResponseError';
  constructor(readonly status: number, readonly body: string, readonly requestId: string | undefined) {
    super(`unexpected answer ${status}${body ? `: ${body.slice(0, 200)}` : ''}`);
  }
}

/**
 * An ApiError, optionally of one code: `isApiError(err, 'NO_SUCH_NAMESPACE')` narrows `err.errorName` too.
 */
export function isApiError<N extends ErrorName = ErrorName>(err: unknown, name?: N): err is ApiError & { errorName: N } {
  return err instanceof ApiError && (name === undefined || err.errorName === name);
}

/** The error a failed answer stands for. */
export function errorOf(status: number, text: string, headers: Headers): ApiError | UnexpectedResponseError {
  const requestId = headers.get('request-id') ?? undefined;
  let body: { code?: unknown; message?: unknown } | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = undefined;
  }
  const entry = typeof body?.code === 'number' ? byCode(body.code) : undefined;
  if (!entry || typeof body?.message !== 'string') return new UnexpectedResponseError(status, text, requestId);
  const retry = Number(headers.get('retry-after'));
  return new ApiError(entry.name, entry.code, status, body.message, requestId, Number.isFinite(retry) && retry >= 0 && headers.has('retry-after') ? retry : undefined);
}

/** `waitFor` ran out of time: `last` is the last value read. */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
  constructor(readonly last: unknown, timeoutMs: number) {
    super(`not done after ${timeoutMs} ms`);
  }
}

/** `waitFor` saw a failure state (`create_fail`…): `last` is the value that showed it. */
export class WaitFailedError extends Error {
  override readonly name = 'WaitFailedError';
  constructor(readonly last: unknown, state: string) {
    super(`reached a failure state: ${state}`);
  }
}
