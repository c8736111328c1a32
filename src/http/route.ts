import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { ErrorName } from '../catalog/index.ts';
import type { JsonSchema } from './response-schema.ts';
import type { Infer, ObjectSchema, Shape } from './schema.ts';
import type { Quotas } from '../config.ts';
import type { Services } from '../services.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The authenticated caller, as the pipeline and handlers see them (found by identity/auth.ts). */
export interface AuthUser {
  id: number;
  user_name: string;
  status: string;
  certified: boolean;
  quotas: Quotas;
  app_key: string;
}

/**
 * How a route takes its body: a JSON object validated by a schema, `ignored` (action endpoints whose body
 * is never read, core.md §2.2 rule 1), or `raw` (the handler gets the bytes, e.g. multipart builds).
 */
export type BodySpec<B extends Shape> = ObjectSchema<B> | 'ignored' | {
  raw: {
    mediaTypes: RegExp;
    /** read limit for this route (default `config.bodyLimitBytes`) */
    maxBytes?: number;
    /** For the document: the media type a client sends, and its schema. */
    mediaType?: string;
    schema?: JsonSchema;
  };
};

export interface RequestCtx<Q, B> {
  requestId: string;
  params: Record<string, string | undefined>;
  query: Q;
  body: B;
  /** The caller (token routes only; operator and public routes see `undefined`). */
  user: AuthUser;
  services: Services;
  log: Logger;
  req: IncomingMessage;
  /** The body bytes and media type, for `raw` routes. */
  raw: { bytes: Buffer; contentType: string | undefined };
}

/** What an extra authentication scheme sees of a request: the raw request line parts and the body bytes. */
export interface SchemeRequest {
  method: string;
  /** The path as sent, before any normalization (percent-encoded). */
  rawPath: string;
  /** The query string as sent, without `?`. */
  rawQuery: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/**
 * An authentication scheme other than `Token`, offered by a domain for its own routes (RDS signed
 * requests). The pipeline knows only this shape: a request whose `Authorization` starts with `scheme` is
 * handed to `authenticate`, which returns the caller or throws the scheme's catalog error.
 */
export interface AuthScheme {
  /** The `Authorization` scheme word, compared case-insensitively (`CC-HMAC-SHA256`). */
  scheme: string;
  /** Codes the scheme answers (for the routes' `x-error-codes`). */
  errors: ErrorName[];
  authenticate(request: SchemeRequest, services: Services): Promise<AuthUser>;
}

export interface Reply {
  status: number;
  json?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface Route<Q extends Shape = Shape, B extends Shape = Shape> {
  method: Method;
  /** find-my-way syntax (`/api/v1/secret-keys/:id`); extra paths for the same operation in `aliases`. */
  path: string;
  aliases?: string[];
  /** More paths the router matches for this operation, left out of generated documents (one per depth of a multi-level name). */
  routerPaths?: string[];
  operationId: string;
  summary: string;
  /** Longer text for the document (default: the summary). */
  description?: string;
  tag: string;
  /** `token`: Authorization: Token; `none`: public API, per-IP limited (core.md §6); `operator`: the operator bearer
   * token; `meta`: the server's own open endpoints (health, catalog, OpenAPI), neither limited nor guarded. */
  auth: 'token' | 'none' | 'operator' | 'meta';
  /** More ways than `Token` to authenticate this token route (the pipeline reads the body first for them). */
  schemes?: readonly AuthScheme[];
  /** The query parameters may also arrive as top-level members of the JSON body; the query string wins (rds.md). */
  queryInBody?: boolean;
  /** Refuses users without real-name certification (4330801) right after authentication (rds.md). */
  certified?: boolean;
  /** Changes state: refused with 4030009 for an abnormal account (core.md §8.2 step 6). */
  mutates?: boolean;
  /** Replaces the store's contents (reset, restore, id seeding): runs alone, holding the store gate exclusively. */
  exclusive?: boolean;
  /**
   * A long poll (the beta API's watch): the handler waits for a change on purpose, bounded by its own
   * timeout, so the handler deadline of core.md §8 does not run (a timer per waiting request would be the
   * cost of every watcher). Nor does it hold the store gate while it waits: it takes the gate itself
   * (`services.gate.run(false, …)`) around its store reads.
   */
  longPoll?: true;
  /** An extra per-user bucket for this endpoint alone (the private-key endpoint's documented 300/s). */
  endpointLimit?: 'privateKey';
  query?: ObjectSchema<Q>;
  body?: BodySpec<B>;
  /** A request body taken from the reference, for the document. */
  bodyExample?: unknown;
  /** The domain codes the handler can answer beyond what the pipeline and schemas already declare. */
  errors: ErrorName[];
  /** The family's own server error for unexpected failures (core.md §7.3); default 5000007. */
  internalError?: ErrorName;
  /** The success answer: its status, and for a body its schema (`response-schema.ts`) and an example from the reference. */
  success: { status: number; description: string; contentType?: string; schema?: JsonSchema; example?: unknown };
  handler: (ctx: RequestCtx<Infer<Q>, Infer<B>>) => Promise<Reply>;
}

/** Declares a route; the generic parameters flow from the schemas into the handler's `ctx`. */
export function defineRoute<Q extends Shape = {}, B extends Shape = {}>(route: Route<Q, B>): Route<any, any> {
  return route as unknown as Route<any, any>;
}

export const reply = {
  json(json: unknown, status = 200): Reply {
    return { status, json };
  },
  /** PUT/DELETE successes: 200 with an empty body (core.md §3). */
  empty(status = 200): Reply {
    return { status };
  },
  text(text: string, contentType = 'text/plain; charset=utf-8', status = 200): Reply {
    return { status, text, contentType };
  },
};
