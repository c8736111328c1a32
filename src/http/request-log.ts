import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { ApiError } from '../catalog/index.ts';
import { redactQuery } from '../logging.ts';
import type { Route } from './route.ts';

export interface Outcome {
  requestId: string;
  /** The matched route; absent when none matched (then the path is logged, never the query). */
  route: Route | undefined;
  status: number;
  started: number;
  /** The catalog error answered, if any: its code and the failing `param`. */
  error?: ApiError;
  /** For a 5xx: what actually failed (logged with its stack; the client saw only the catalog text). */
  fault?: unknown;
}

/**
 * One line per request at the default level, so a `Request-Id` a client reports can be traced: id, method,
 * route template, status, code, the failing param and the duration. 5xx lines are errors and carry the fault.
 */
export function logRequest(log: Logger, req: IncomingMessage, o: Outcome): void {
  if (o.status < 500 && !log.isLevelEnabled('info')) return; // nothing to build when the line is not written
  const target = o.route?.path ?? (req.url ?? '/').split('?')[0];
  const line = {
    requestId: o.requestId,
    method: req.method,
    route: o.route?.path,
    path: o.route ? undefined : target,
    status: o.status,
    code: o.error?.code,
    param: o.error?.param,
    durationMs: Math.round((performance.now() - o.started) * 10) / 10,
    // The whole target only when debugging, and never a query value (RDS passwords travel in the query):
    // redacted here, whatever logger the server was handed.
    url: log.isLevelEnabled('debug') ? redactQuery(req.url ?? '/') : undefined,
  };
  const msg = `${req.method} ${target} ${o.status}${o.error ? ` ${o.error.code}` : ''}`;
  if (o.status >= 500) log.error({ ...line, err: o.fault ?? o.error }, msg);
  else log.info(line, msg);
}
