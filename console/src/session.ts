/**
 * Who is signed in, for this tab only (sessionStorage): the API token bought with an Access Key pair and
 * the operator token. The Access Secret itself is never kept anywhere.
 */
const KEY = 'opencomb.console.session';

interface Stored {
  token?: string;
  appKey?: string;
  operatorToken?: string;
  /** The operator pages are in use (the server may have no operator token at all). */
  operator?: boolean;
}

function load(): Stored {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? '{}') as Stored;
  } catch {
    return {};
  }
}

export const session: Stored = load();

const listeners = new Set<() => void>();

export function updateSession(patch: Partial<Stored>): void {
  Object.assign(session, patch);
  sessionStorage.setItem(KEY, JSON.stringify(session));
  for (const listener of listeners) listener();
}

export function signOut(): void {
  for (const key of Object.keys(session) as (keyof Stored)[]) delete session[key];
  sessionStorage.removeItem(KEY);
  for (const listener of listeners) listener();
}

export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
