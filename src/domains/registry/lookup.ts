import { ApiError } from '../../catalog/index.ts';
import type { ImageLookup } from '../contracts.ts';
import type { ResourceDeps } from '../resources.ts';

// Scaffold: replaced by the real implementation of this domain.
export function createImageLookup(_deps: ResourceDeps): ImageLookup {
  const notYet = async (): Promise<never> => { throw new ApiError('NCE_INTERNAL_SERVER_ERROR'); };
  return new Proxy({}, { get: () => notYet }) as ImageLookup;
}
