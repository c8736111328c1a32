import { ApiError } from '../../catalog/index.ts';
import type { VolumeBinding } from '../contracts.ts';
import type { ResourceDeps } from '../resources.ts';

// Scaffold: replaced by the real implementation of this domain.
export function createVolumeBinding(_deps: ResourceDeps): VolumeBinding {
  const notYet = async (): Promise<never> => { throw new ApiError('NCE_INTERNAL_SERVER_ERROR'); };
  return new Proxy({}, { get: () => notYet }) as VolumeBinding;
}
