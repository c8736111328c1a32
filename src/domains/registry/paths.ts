/**
 * Routes whose path holds a repository name with any number of levels (`/api/v1/repositories/a/b/c/tags/v1`).
 * The router matches one segment per parameter, so each depth gets its own path; this keeps routing exact
 * (`DELETE /api/v1/repositories/{id}` still answers 4050001 with `Allow`, unknown shapes 4040006) and splits
 * at the last `/tags/`, since a tag is one segment. A `%2F`-encoded name arrives in one segment, decoded.
 */
import { MAX_REPO_LEVELS } from './rules.ts';

const BASE = '/api/v1/repositories';

/** Parameter names of levels 2.. */
const LEVEL_PARAMS = Array.from({ length: MAX_REPO_LEVELS - 1 }, (_, i) => `repo_name_${letters(i)}`);

function letters(i: number): string {
  let s = '';
  for (let n = i; ; n = Math.floor(n / 26) - 1) {
    s = String.fromCharCode(97 + (n % 26)) + s;
    if (n < 26) return s;
  }
}

/**
 * The documented path (one level, or any name with `%2F`) and the router-only paths for every deeper name,
 * followed by `suffix`.
 */
export function repoNamePaths(suffix: string): { path: string; routerPaths: string[] } {
  const path = `${BASE}/:repo_name${suffix}`;
  const routerPaths = LEVEL_PARAMS.map((_, depth) => `${BASE}/:repo_name/${LEVEL_PARAMS.slice(0, depth + 1).map((p) => `:${p}`).join('/')}${suffix}`);
  return { path, routerPaths };
}

/** The repository name the levels spell. */
export function repoNameFrom(params: Record<string, string | undefined>): string {
  const levels = [params.repo_name ?? ''];
  for (const p of LEVEL_PARAMS) {
    const v = params[p];
    if (v === undefined) break;
    levels.push(v);
  }
  return levels.join('/');
}
