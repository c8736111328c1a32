/** The SSH keys domain (keys-and-registry.md, Part A): its routes, and key names for microservices. */
import type { Module } from '../../module.ts';
import type { Services } from '../../services.ts';
import type { SecretKeys } from '../contracts.ts';
import { secretKeyRoutes } from './routes.ts';
import { SecretKeyStore } from './store.ts';

export function keysModule({ store }: Services): Module {
  const keys = new SecretKeyStore(store);
  const contract: SecretKeys = {
    async existingNames(owner, names) {
      return new Set((await keys.findByNames(owner.id, names)).map((k) => k.name));
    },
  };
  return { name: 'keys', routes: secretKeyRoutes, provides: { keys: contract } };
}
