/**
 * What the server observes of each answer once it is known, for whoever counts answers (coverage,
 * metrics). The pipeline and the protocol answers report here; they know nothing of what is done with it.
 */
import type { Route } from './route.ts';

export interface Answer {
  /** The operation that answered; undefined when none matched (404/405 at routing, protocol-level answers). */
  route: Route | undefined;
  /** The request method as sent (`HEAD` stays `HEAD`). */
  method: string;
  status: number;
  /** The catalog code of an error answer; undefined for a success. */
  code: number | undefined;
  /** The answer came from fault injection (a header or an operator rule), not from the real path. */
  injected: boolean;
  durationMs: number;
}

export type Observer = (answer: Answer) => void;
