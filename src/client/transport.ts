/**
 * How the client sends an operation: the URL from the declaration's path and query names, the credentials
 * its `auth` asks for, the answer decoded by its kind. Tokens come from the Access Key pair and are renewed
 * before they expire; 4030001 is retried after its `Retry-After`. `fetch` only, so it runs in browsers.
 */
import { errorOf, isApiError } from './errors.ts';

/** What the generated table (`api.ts`) says of one operation. */
export interface OperationSpec {
  method: string;
  /** find-my-way syntax: `/api/v1/microservices/:id`. */
  path: string;
  auth: 'token' | 'none' | 'operator' | 'meta';
  result: 'json' | 'text' | 'none';
  pathParams?: readonly string[];
  query?: readonly string[];
  /** `json`, or the media type of a raw body (`multipart/form-data`). */
  body?: string;
}

/** Per call: extra headers (`X-Opencomb-Fault`, `Accept`), an abort signal. */
export interface CallOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface ClientOptions {
  /** `http://127.0.0.1:8163` */
  endpoint: string;
  /** The Access Key pair the client exchanges for tokens (`POST /api/v1/token`). */
  appKey?: string;
  appSecret?: string;
  /** A token to use as is (no pair: it is not renewed). */
  token?: string;
  /** `OPENCOMB_OPERATOR_TOKEN` of the server, for the operator API (`/_opencomb/…`). */
  operatorToken?: string;
  /** How many times a 4030001 answer is retried (default 3; 0 = never). */
  maxRetries?: number;
  /** The longest wait honoured for one `Retry-After`, in ms (default 10 000); a longer one is not waited for. */
  maxRetryDelayMs?: number;
  /** A token is renewed this many seconds before its expiry (default 300). */
  renewBeforeSeconds?: number;
  /** The `fetch` to use (default the global one). */
  fetch?: typeof fetch;
  /** Milliseconds since the epoch (default `Date.now`), for token expiry. */
  now?: () => number;
  /** Waits (default `setTimeout`), for retries and `waitFor` polling. */
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Transport {
  readonly endpoint: string;
  private readonly fetch: typeof fetch;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  private token: { value: string; renewAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(private readonly options: ClientOptions) {
    this.endpoint = options.endpoint.replace(/\/+$/, '');
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    if (options.token) this.token = { value: options.token, renewAt: Infinity };
  }

  /** Sends one operation and decodes its answer; throws ApiError for an error answer. */
  async call<T>(op: OperationSpec, params: object | undefined, body: unknown, options: CallOptions | undefined): Promise<T> {
    const url = this.url(op, (params ?? {}) as Record<string, unknown>);
    let renewed = false;
    for (let retries = 0; ; retries++) {
      try {
        return await this.send<T>(op, url, body, options);
      } catch (err) {
        if (!isApiError(err)) throw err;
        // A token the server no longer takes (expired on its clock, which tests move) is renewed once.
        if (err.errorName === 'UNAUTHORIZED_USER' && op.auth === 'token' && this.hasKeyPair() && !renewed) {
          renewed = true;
          this.token = undefined;
          continue;
        }
        if (err.errorName === 'API_FREQ_OUT_OF_LIMIT' && retries < (this.options.maxRetries ?? 3)) {
          const delayMs = (err.retryAfter ?? 1) * 1000;
          if (delayMs <= (this.options.maxRetryDelayMs ?? 10_000)) {
            await this.sleep(delayMs);
            continue;
          }
        }
        throw err;
      }
    }
  }

  /** A token for the public API: the one held, or a new one when it is due for renewal. */
  async currentToken(): Promise<string> {
    if (this.token && (this.now() < this.token.renewAt || !this.hasKeyPair())) return this.token.value;
    // Concurrent calls share one token request.
    this.pending ??= this.newToken().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private hasKeyPair(): boolean {
    return this.options.appKey !== undefined && this.options.appSecret !== undefined;
  }

  private async newToken(): Promise<string> {
    if (!this.hasKeyPair()) throw new Error('no credentials: give appKey and appSecret, or a token');
    const answer = await this.send<{ token: string; expires_in: string | number }>(
      { method: 'POST', path: '/api/v1/token', auth: 'none', result: 'json', body: 'json' },
      `${this.endpoint}/api/v1/token`, { app_key: this.options.appKey, app_secret: this.options.appSecret }, undefined,
    );
    const renewBefore = this.options.renewBeforeSeconds ?? 300;
    const lifetime = Number(answer.expires_in);
    this.token = { value: answer.token, renewAt: this.now() + Math.max(0, lifetime - renewBefore) * 1000 };
    return answer.token;
  }

  private url(op: OperationSpec, params: Record<string, unknown>): string {
    let path = op.path;
    for (const name of op.pathParams ?? []) {
      const value = params[name];
      if (value === undefined || value === null || value === '') throw new TypeError(`${name} is required`);
      path = path.replace(`:${name}`, encodeURIComponent(String(value)));
    }
    const query = new URLSearchParams();
    for (const name of op.query ?? []) {
      const value = params[name];
      if (value !== undefined && value !== null) query.set(name, String(value));
    }
    const search = query.toString();
    return `${this.endpoint}${path}${search ? `?${search}` : ''}`;
  }

  private async send<T>(op: OperationSpec, url: string, body: unknown, options: CallOptions | undefined): Promise<T> {
    const headers: Record<string, string> = {};
    if (op.auth === 'token') headers.authorization = `Token ${await this.currentToken()}`;
    if (op.auth === 'operator') {
      const bearer = this.options.operatorToken;
      if (bearer) headers.authorization = `Bearer ${bearer}`;
    }
    let payload: BodyInit | undefined;
    if (body !== undefined && op.body === 'json') {
      payload = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    } else if (body !== undefined && op.body) {
      payload = body as BodyInit;
      // FormData sets its own boundary; other raw bodies say what they are.
      if (!(typeof FormData !== 'undefined' && body instanceof FormData)) headers['content-type'] = op.body;
    }
    const res = await this.fetch(url, { method: op.method, headers: { ...headers, ...options?.headers }, body: payload, signal: options?.signal });
    const text = await res.text();
    if (!res.ok) throw errorOf(res.status, text, res.headers);
    if (op.result === 'none') return undefined as T;
    // An operation that answers JSON may answer another format on request (`?format=md`): that is text.
    if (op.result === 'json' && /\bjson\b/.test(res.headers.get('content-type') ?? 'json')) return (text ? JSON.parse(text) : undefined) as T;
    return text as T;
  }
}
