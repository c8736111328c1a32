import type { IncomingMessage } from 'node:http';
import { defaultQuotas, type Quotas } from '../config.ts';
import type { AuthUser } from '../http/route.ts';
import { tokenDigest } from './sealer.ts';
import type { IdentityStore, TokenUser } from './store.ts';
import type { TokenCache } from './token-cache.ts';

export type { AuthUser };

/**
 * `Authorization: Token <token>` (core.md §5.2): scheme case-insensitive, spaces or tabs between scheme and
 * token, surrounding whitespace trimmed, token lower-cased. Of repeated `Authorization` headers Node keeps
 * the first and drops the rest, which is the rule. Returns undefined for anything that is not that shape
 * (a token with anything after it included).
 */
export function parseAuthorization(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^token[ \t]+(\S+)$/i.exec(header.trim());
  return match ? match[1]!.toLowerCase() : undefined;
}

/**
 * The caller of a request's token, or undefined. Answered at once (no promise) when the request has no
 * token or the token cache knows it, which is every authorized request but a token's first: a promise and
 * its turn of the microtask queue are a measurable part of a small request (docs/architecture.md
 * "Performance"). `now` is asked only when a token is there to check.
 */
export function authenticate(req: IncomingMessage, identity: IdentityStore, tokens: TokenCache, now: () => string, baseQuotas: Quotas): AuthUser | undefined | Promise<AuthUser | undefined> {
  const token = parseAuthorization(req.headers.authorization);
  if (!token || !/^[0-9a-f]{32}$/.test(token)) return undefined;
  const nowIso = now();
  return tokens.get(token, nowIso) ?? lookUp(token, nowIso, identity, tokens, baseQuotas);
}

async function lookUp(token: string, nowIso: string, identity: IdentityStore, tokens: TokenCache, baseQuotas: Quotas): Promise<AuthUser | undefined> {
  const begun = tokens.begin();
  const row = await identity.findTokenUser(tokenDigest(token), nowIso);
  if (!row) return undefined;
  const user = toAuthUser(row, baseQuotas);
  tokens.put(token, user, row.expires_at, begun);
  return user;
}

/**
 * The caller as handlers see it, from the user row and the Access Key that authenticated it. Frozen: the
 * token cache hands the same object to every request of that token.
 */
export function toAuthUser(row: TokenUser, baseQuotas: Quotas): AuthUser {
  return Object.freeze({
    id: row.id,
    user_name: row.user_name,
    status: row.status,
    certified: row.certified === 1,
    quotas: Object.freeze({ ...defaultQuotas, ...baseQuotas, ...parseQuotas(row.quotas) }) as Quotas,
    app_key: row.app_key,
  });
}

function parseQuotas(text: string): Partial<Quotas> {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Partial<Quotas>) : {};
  } catch {
    return {};
  }
}
