/**
 * The console's only way to the server: one function per HTTP call, with the caller's credentials.
 * Errors arrive as problem documents (`Accept: application/problem+json`), so a failure carries the field
 * it concerns (`param`) beside the catalog code and message.
 */
import { session } from './session.ts';

/** A catalog error as the API gave it. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly param?: string,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

export interface Failure {
  at: string;
  method: string;
  path: string;
  status: number;
  code: number;
  message: string;
  param?: string;
}

/** The last failures of this tab, newest first (the overview lists them). */
export const recentFailures: Failure[] = [];
const MAX_FAILURES = 20;

type Auth = 'user' | 'operator' | 'none';

export interface CallOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Sent as is (multipart builds). */
  form?: FormData;
  /** Whose credentials: the user's token (default), the operator token, or none. */
  auth?: Auth;
}

export async function call<T = unknown>(method: string, path: string, opts: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  const auth = opts.auth ?? 'user';
  if (auth === 'user' && session.token) headers.Authorization = `Token ${session.token}`;
  if (auth === 'operator' && session.operatorToken) headers.Authorization = `Bearer ${session.operatorToken}`;
  let body: BodyInit | undefined;
  if (opts.form) body = opts.form;
  else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined && v !== '') query.set(k, String(v));
  const url = query.size ? `${path}?${query}` : path;

  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  if (!res.ok) throw remember(method, path, failureOf(res.status, text));
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') && text ? JSON.parse(text) : text) as T;
}

function failureOf(status: number, text: string): ApiFailure {
  try {
    const doc = JSON.parse(text) as { code?: number; message?: string; param?: string; request_id?: string };
    if (typeof doc.code === 'number') return new ApiFailure(status, doc.code, doc.message ?? '', doc.param, doc.request_id);
  } catch {
    // not JSON: reported with the status alone below
  }
  return new ApiFailure(status, 0, text || `HTTP ${status}`);
}

function remember(method: string, path: string, failure: ApiFailure): ApiFailure {
  recentFailures.unshift({ at: new Date().toISOString(), method, path, status: failure.status, code: failure.code, message: failure.message, param: failure.param });
  recentFailures.length = Math.min(recentFailures.length, MAX_FAILURES);
  return failure;
}
