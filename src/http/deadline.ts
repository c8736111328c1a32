/**
 * The handler deadline (core.md §8: a synchronous step that exceeds 60 s answers 4080001 "before any state
 * changed"; core.md §7.1: an error never leaves partial state behind).
 *
 * A promise cannot be cancelled, so answering 408 while the handler keeps running would let it commit after
 * the client was told the request failed. Instead the handler runs inside a request scope; when the deadline
 * passes the scope is marked expired and every store query the request starts from then on fails (the
 * `RequestDeadlinePlugin` below), so its transaction rolls back. The handler is then given a short grace to
 * settle: if it fails (the normal case), the answer is 4080001 and nothing changed; if it still succeeds, all
 * its queries had started before the deadline and its real answer is the truth, so that is sent. A handler
 * stuck outside the store answers 4080001 when the grace is over.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { ApiError } from '../catalog/index.ts';

interface RequestScope {
  expired: boolean;
}

const scopes = new AsyncLocalStorage<RequestScope>();

/** How long a handler whose deadline passed may take to settle (its store queries already fail). */
export const DEADLINE_GRACE_MS = 2000;

export function withDeadline<T>(work: () => Promise<T>, ms: number, graceMs = DEADLINE_GRACE_MS): Promise<T> {
  const scope: RequestScope = { expired: false };
  const running = scopes.run(scope, work);
  // One promise and one timer per request: this runs on every request that reaches a handler.
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined = setTimeout(() => {
      scope.expired = true;
      timer = setTimeout(() => {
        timer = undefined;
        reject(new ApiError('REQUEST_TIMEOUT'));
      }, graceMs);
    }, ms);
    running.then(
      (value) => {
        if (timer === undefined) return; // already answered 4080001
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        if (timer === undefined) return;
        clearTimeout(timer);
        // A failure after the deadline is the deadline's consequence (a refused query, or the handler's mapping of it).
        reject(scope.expired ? new ApiError('REQUEST_TIMEOUT') : err);
      },
    );
  });
}

/** Runs `fn` outside any request's scope: what it starts is no request's, and no deadline refuses it. */
export function outsideRequests<T>(fn: () => T): T {
  return scopes.exit(fn);
}

/** Refuses every query started by a request whose deadline has passed (queries outside requests run freely). */
export class RequestDeadlinePlugin implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (scopes.getStore()?.expired) throw new ApiError('REQUEST_TIMEOUT');
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
