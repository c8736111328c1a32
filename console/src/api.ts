/**
 * The console talks to the server through `opencomb/client` (src/client, generated from the route
 * declarations), with the tab's credentials. Its fetch asks for problem documents
 * (`Accept: application/problem+json`), so a failure also names the field it concerns (`param`), which the
 * console shows next to that field; it also keeps the tab's recent failures for the overview.
 */
import { isApiError, OpencombClient } from '../../src/client/index.ts';
import { session } from './session.ts';

/** The operations' request and answer types, for the pages. */
export type * from '../../src/client/api.ts';

/** A catalog error as the API gave it, with the field it names when it names one. */
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

/** The `param` of the last failed answers, by request id (the client's errors carry the id, not the param). */
const paramsByRequest = new Map<string, string>();

/** fetch, asking for problem documents and noting what each failed answer said. */
const recordingFetch: typeof fetch = async (input, init) => {
  const headers = { ...(init?.headers as Record<string, string> | undefined), accept: 'application/json, application/problem+json' };
  const res = await fetch(input, { ...init, headers });
  if (!res.ok) {
    try {
      const doc = await res.clone().json() as { code?: number; message?: string; param?: string; request_id?: string };
      const url = new URL(String(input), location.origin);
      recentFailures.unshift({ at: new Date().toISOString(), method: init?.method ?? 'GET', path: url.pathname, status: res.status, code: doc.code ?? 0, message: doc.message ?? '', param: doc.param });
      recentFailures.length = Math.min(recentFailures.length, MAX_FAILURES);
      if (doc.request_id && doc.param) {
        paramsByRequest.set(doc.request_id, doc.param);
        if (paramsByRequest.size > MAX_FAILURES) paramsByRequest.delete(paramsByRequest.keys().next().value!);
      }
    } catch {
      // not a JSON error: the client reports it as an unexpected answer
    }
  }
  return res;
};

/** A client for credentials other than the session's (the sign-in form's key pair). */
export function newClient(credentials: { appKey?: string; appSecret?: string; token?: string; operatorToken?: string }): OpencombClient {
  // No automatic retry of 4030001: the person at the console sees the answer and decides.
  return new OpencombClient({ endpoint: location.origin, fetch: recordingFetch, maxRetries: 0, ...credentials });
}

let current: { key: string; client: OpencombClient } | undefined;

/** The client of the tab's session, made again when the session changes. */
function sessionClient(): OpencombClient {
  const key = JSON.stringify([session.token, session.operatorToken]);
  if (current?.key !== key) current = { key, client: newClient({ token: session.token, operatorToken: session.operatorToken }) };
  return current.client;
}

/** Runs calls of the client; a catalog error comes out as an ApiFailure that knows its field. */
export async function api<T>(run: (client: OpencombClient) => Promise<T>, client = sessionClient()): Promise<T> {
  try {
    return await run(client);
  } catch (err) {
    if (!isApiError(err)) throw err;
    throw new ApiFailure(err.status, err.code, err.message, err.requestId ? paramsByRequest.get(err.requestId) : undefined, err.requestId);
  }
}
