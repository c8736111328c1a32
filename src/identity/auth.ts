import type { IncomingMessage } from 'node:http';
import { defaultQuotas, type Quotas } from '../config.ts';
import type { AuthUser } from '../http/route.ts';
import type { IdentityStore, TokenUser } from './store.ts';

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

export async function authenticate(req: IncomingMessage, identity: IdentityStore, nowIso: string, baseQuotas: Quotas): Promise<AuthUser | undefined> {
  const token = parseAuthorization(req.headers.authorization);
  if (!token || !/^[0-9a-f]{32}$/.test(token)) return undefined;
  const row = await identity.findTokenUser(token, nowIso);
  return row && toAuthUser(row, baseQuotas);
}

/** The caller as handlers see it, from the user row and the Access Key that authenticated it. */
export function toAuthUser(row: TokenUser, baseQuotas: Quotas): AuthUser {
  return {
    id: row.id,
    user_name: row.user_name,
    status: row.status,
    balance: row.balance,
    certified: row.certified === 1,
    quotas: { ...defaultQuotas, ...baseQuotas, ...parseQuotas(row.quotas) } as Quotas,
    app_key: row.app_key,
  };
}

function parseQuotas(text: string): Partial<Quotas> {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Partial<Quotas>) : {};
  } catch {
    return {};
  }
}
