/** Identity as a module: the token endpoint, and the purge of expired tokens (core.md §5). */
import type { Module } from '../module.ts';
import type { Services } from '../services.ts';
import { identityRoutes } from './routes.ts';

export function identityModule({ identity }: Services): Module {
  return {
    name: 'identity',
    routes: identityRoutes,
    dueTasks: [{ name: 'expired-tokens', run: (now) => identity.purgeExpiredTokens(now.toISOString()) }],
    // Every user, key pair and token may be different now.
    storeChanged: () => identity.tokens.forgetAll(),
  };
}
