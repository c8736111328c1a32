import { ApiError } from '../catalog/index.ts';
import type { Billing } from '../domains/contracts.ts';
import type { ResourceDeps } from '../domains/resources.ts';

// Scaffold: replaced by the real implementation of billing.
export function createBilling(_deps: ResourceDeps): Billing {
  const notYet = async (): Promise<never> => { throw new ApiError('NCE_INTERNAL_SERVER_ERROR'); };
  return new Proxy({}, { get: () => notYet }) as Billing;
}
