// Public entry point of the error catalog (package export "./catalog").
//
// Everything here is derived from ./codes.ts: the HTTP status is always floor(code / 10000)
// and the family (service number) is digits 4-5 of the code. No dependencies outside
// src/catalog, so clients and tools can import the catalog on its own.

import { codes } from './codes.ts';

export { codes };

/** Symbolic name of a catalog error, e.g. "NO_SUCH_SECRET_KEY". */
export type ErrorName = keyof typeof codes;

export interface CatalogEntry {
  /** Symbolic name (key in `codes`). */
  name: ErrorName;
  /** The 7-digit wire code. */
  code: number;
  /** HTTP status: Math.floor(code / 10000). */
  status: number;
  /** Service/family number, 2 digits ("00".."08"): digits 4-5 of the code. */
  family: string;
  /** The catalog text, byte for byte. */
  message: string;
}

function makeEntry(name: ErrorName): CatalogEntry {
  const { code, message } = codes[name];
  return Object.freeze({
    name,
    code,
    status: Math.floor(code / 10000),
    family: String(code).slice(3, 5),
    message,
  });
}

/** Every catalog entry, in catalog order (grouped by family, then by code). */
export const entries: readonly CatalogEntry[] = Object.freeze(
  (Object.keys(codes) as ErrorName[]).map(makeEntry),
);

const byName = new Map<ErrorName, CatalogEntry>(entries.map((e) => [e.name, e]));
const byCodeMap = new Map<number, CatalogEntry>(entries.map((e) => [e.code, e]));

/** The entry for a symbolic name. Throws on a name that is not in the catalog (untyped callers). */
export function entry(name: ErrorName): CatalogEntry {
  const e = byName.get(name);
  if (e === undefined) throw new RangeError(`Unknown catalog error name: ${String(name)}`);
  return e;
}

/** The entry for a wire code, or undefined when the code is not in the catalog. */
export function byCode(code: number): CatalogEntry | undefined {
  return byCodeMap.get(code);
}

// Standard reason phrases (the ones Node sends by default), plus 433, which is not a
// registered status: the API sends it with the phrase "Not Certification" (core.md §8.1).
const REASON_PHRASES: Readonly<Record<number, string>> = Object.freeze({
  100: 'Continue',
  101: 'Switching Protocols',
  102: 'Processing',
  103: 'Early Hints',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  203: 'Non-Authoritative Information',
  204: 'No Content',
  205: 'Reset Content',
  206: 'Partial Content',
  207: 'Multi-Status',
  208: 'Already Reported',
  226: 'IM Used',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  305: 'Use Proxy',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  417: 'Expectation Failed',
  421: 'Misdirected Request',
  422: 'Unprocessable Entity',
  423: 'Locked',
  424: 'Failed Dependency',
  425: 'Too Early',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  433: 'Not Certification',
  451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
  506: 'Variant Also Negotiates',
  507: 'Insufficient Storage',
  508: 'Loop Detected',
  510: 'Not Extended',
  511: 'Network Authentication Required',
});

/** Reason phrase for an HTTP status ("Not Found"; 433 → "Not Certification"); "Unknown" otherwise. */
export function reasonPhrase(status: number): string {
  return REASON_PHRASES[status] ?? 'Unknown';
}

/**
 * A catalog error raised by a handler. The HTTP layer turns it into
 * `<status> <reason phrase>` with the body `{"code":N,"message":"..."}` (see toBody()).
 * `param` names the failing field (for logs and the opt-in problem+json format only);
 * `cause` carries the internal detail for the log, never for the wire.
 */
export class ApiError extends Error {
  override readonly name: string = 'ApiError';
  readonly errorName: ErrorName;
  readonly code: number;
  readonly status: number;
  override readonly message: string;
  readonly param?: string;
  /** Headers the answer carries beside the body (`Retry-After` of a 4030001, `Allow` of a 4050001). */
  readonly headers?: Readonly<Record<string, string>>;

  constructor(name: ErrorName, options?: { param?: string; cause?: unknown; headers?: Record<string, string> }) {
    const e = entry(name);
    // A catalog error is an answer, not a fault: its stack is never read, and capturing one costs more
    // than the rest of a 4xx response. Internal detail travels in `cause`, which keeps its own stack.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(e.message, options !== undefined && 'cause' in options ? { cause: options.cause } : undefined);
    Error.stackTraceLimit = limit;
    this.errorName = e.name;
    this.code = e.code;
    this.status = e.status;
    this.message = e.message;
    if (options?.param !== undefined) this.param = options.param;
    if (options?.headers !== undefined) this.headers = options.headers;
  }

  /** The wire body: exactly `code` then `message`, nothing else. */
  toBody(): { code: number; message: string } {
    return { code: this.code, message: this.message };
  }
}

export function isApiError(x: unknown): x is ApiError {
  return x instanceof ApiError;
}
