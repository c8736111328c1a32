/**
 * `opencomb/client`: a typed client of the opencomb API for Node ≥ 20 and browsers (fetch only).
 *
 *   const client = new OpencombClient({ endpoint, appKey, appSecret });
 *   const { namespace_id } = await client.createNamespace({ name: 'shop' });
 *
 * One method per operation (generated into api.ts from the route declarations), every failure an
 * `ApiError` (`isApiError(err, 'NO_SUCH_NAMESPACE')`), tokens renewed, 4030001 retried, `waitFor`.
 */
import { Operations } from './api.ts';
import { WaitFailedError, WaitTimeoutError } from './errors.ts';
import { Transport, type CallOptions, type ClientOptions, type OperationSpec } from './transport.ts';

export * from './api.ts';
export { ApiError, isApiError, UnexpectedResponseError, WaitFailedError, WaitTimeoutError, type ErrorName } from './errors.ts';
export type { CallOptions, ClientOptions, OperationSpec } from './transport.ts';

export interface WaitOptions<T> {
  /** Give up after this long (default 60 000 ms): WaitTimeoutError. */
  timeoutMs?: number;
  /** Between reads (default 500 ms). */
  intervalMs?: number;
  /** A state that will never turn into the awaited one (`create_fail`): WaitFailedError at once. */
  failed?: (value: T) => string | false | undefined;
  /** Called with every value read (a status line). */
  onPoll?: (value: T) => void;
}

export class OpencombClient extends Operations {
  readonly transport: Transport;

  constructor(options: ClientOptions) {
    super();
    this.transport = new Transport(options);
  }

  protected call<T>(op: OperationSpec, params: object | undefined, body: unknown, options: CallOptions | undefined): Promise<T> {
    return this.transport.call<T>(op, params, body, options);
  }

  /**
   * Reads until `done(value)`: `await client.waitFor(() => client.getMicroservice({ id }),
   * (m) => m.service_info.status === 'create_succ', { failed: (m) => m.service_info.status.endsWith('_fail') && m.service_info.status })`.
   * Returns the value that was done.
   */
  async waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, options: WaitOptions<T> = {}): Promise<T> {
    const timeoutMs = options.timeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      options.onPoll?.(value);
      if (done(value)) return value;
      const failure = options.failed?.(value);
      if (failure) throw new WaitFailedError(value, failure);
      if (Date.now() >= deadline) throw new WaitTimeoutError(value, timeoutMs);
      await this.transport.sleep(Math.min(options.intervalMs ?? 500, Math.max(0, deadline - Date.now())));
    }
  }
}
