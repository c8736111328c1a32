/**
 * The one place where foreign errors — a database refusal, a failed runtime hand-over, a failure inside
 * another component — become catalog errors. Catalog errors a client can act on pass through unchanged
 * unless the caller's rule says otherwise.
 */
import { ApiError, isApiError, type ErrorName } from './catalog/index.ts';
import { isUniqueViolation } from './store/db.ts';

export interface Translation {
  /** What a unique-constraint violation answers (a concurrent create of the same name lost the race). */
  duplicate?: ErrorName | ApiError;
  /** What any other foreign error answers; without it, it propagates (the pipeline answers the route's 5xx). */
  failure?: ErrorName;
  /** Which catalog errors pass through unchanged (default: all); the others answer `failure`. */
  keep?: (err: ApiError) => boolean;
}

/** The catalog error `err` answers under `rule`, or `err` itself when the rule leaves it alone. */
export function translate(err: unknown, rule: Translation): unknown {
  if (isApiError(err)) return rule.failure && rule.keep && !rule.keep(err) ? new ApiError(rule.failure, { cause: err }) : err;
  if (rule.duplicate && isUniqueViolation(err)) return isApiError(rule.duplicate) ? rule.duplicate : new ApiError(rule.duplicate, { cause: err });
  return rule.failure ? new ApiError(rule.failure, { cause: err }) : err;
}

/** The answer to an unexpected failure: `err` if it is a catalog error, else `failure`. */
export function answerOf(err: unknown, failure: ErrorName): ApiError {
  return translate(err, { failure }) as ApiError;
}

/** Runs `work`; whatever it throws leaves through `translate`. */
export async function translating<T>(rule: Translation, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw translate(err, rule);
  }
}

/** Every catalog error becomes `failure` too: for hand-overs whose refusal, whatever its reason, has one documented code. */
export const NONE = (): boolean => false;
