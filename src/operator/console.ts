import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiError } from '../catalog/index.ts';
import { defineRoute, reply, type Route } from '../http/route.ts';

/**
 * The web console (`console/`, built by `npm run build` into `dist/console/`). The same path from this file
 * reaches it whether the server runs compiled (`dist/operator/`) or from source (`src/operator/`).
 */
export const CONSOLE_DIR = fileURLToPath(new URL('../../dist/console/', import.meta.url));

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml; charset=utf-8',
};

const TAG = 'server';

/**
 * `/console/` (declared `/console`: the router ignores a trailing slash, and the OpenAPI document wants
 * none) answers the console's page, `/console/assets/<file>` its scripts and styles; everything is
 * read from disk once, at the first request, so a server started before a rebuild keeps serving one
 * consistent build. The page routes by the URL's fragment, so no other path is needed.
 */
export function consoleRoutes(dir = CONSOLE_DIR): Route[] {
  let built: { page: string; assets: Map<string, { text: string; type: string }> } | undefined;
  const load = () => {
    if (built) return built;
    const indexFile = `${dir}index.html`;
    // Built by `npm run build` (which `npm ci` runs); a page that explains beats a bare 404 otherwise.
    if (!existsSync(indexFile)) return { page: NOT_BUILT, assets: new Map() };
    const assets = new Map<string, { text: string; type: string }>();
    const assetDir = `${dir}assets/`;
    for (const file of existsSync(assetDir) ? readdirSync(assetDir) : []) {
      const type = TYPES[extname(file)];
      if (type) assets.set(file, { text: readFileSync(assetDir + file, 'utf8'), type });
    }
    built = { page: readFileSync(indexFile, 'utf8'), assets };
    return built;
  };
  return [
    defineRoute({
      method: 'GET', path: '/console', operationId: 'console', tag: TAG, summary: 'The web console', auth: 'meta', errors: [],
      success: { status: 200, description: 'HTML', contentType: 'text/html; charset=utf-8' },
      async handler() {
        return { ...reply.text(load().page, 'text/html; charset=utf-8'), headers: { 'Cache-Control': 'no-cache' } };
      },
    }),
    defineRoute({
      method: 'GET', path: '/console/assets/:file', operationId: 'consoleAsset', tag: TAG, summary: 'A script or style of the web console', auth: 'meta',
      errors: ['NO_SUCH_API'],
      success: { status: 200, description: 'JavaScript or CSS', contentType: 'text/javascript; charset=utf-8' },
      async handler({ params }) {
        const asset = load().assets.get(params.file ?? '');
        if (!asset) throw new ApiError('NO_SUCH_API');
        // Asset names carry a hash of their content: a new build has new names.
        return { ...reply.text(asset.text, asset.type), headers: { 'Cache-Control': 'public, max-age=31536000, immutable' } };
      },
    }),
  ];
}

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>opencomb console</title></head>
<body><h1>The console is not built</h1><p>Run <code>npm run build</code> (<code>npm ci</code> runs it), then reload.</p></body></html>
`;
