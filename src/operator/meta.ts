import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ApiError, entries } from '../catalog/index.ts';
import { renderErrorDocs } from '../catalog/docs.ts';
import { r } from '../http/response-schema.ts';
import { defineRoute, reply, type Route } from '../http/route.ts';
import { buildOpenApi } from '../http/openapi.ts';

/** The browsable reference: Swagger UI's files, served from the installed package (no CDN). */
const SWAGGER_FILES: Record<string, string> = { 'swagger-ui.css': 'text/css; charset=utf-8', 'swagger-ui-bundle.js': 'text/javascript; charset=utf-8' };
const swaggerDir = () => dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>opencomb API reference</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head><body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });</script>
</body></html>
`;

const TAG = 'server';

/** The server's own open endpoints: health, the catalog, its documentation and the OpenAPI document. */
export function metaRoutes(allRoutes: () => Route[], version: string) {
  let openapi: string | undefined;
  const assets: Record<string, string> = {};
  const catalogJson = JSON.stringify(entries.map((e) => ({ code: e.code, status: e.status, message: e.message })));
  const errorDocs = renderErrorDocs();
  const errorPage = renderErrorPage();
  return [
    defineRoute({
      method: 'GET', path: '/healthz', operationId: 'health', tag: TAG, auth: 'meta', errors: ['NCE_INTERNAL_SERVER_ERROR'],
      summary: 'Readiness: the store (and Redis, for replicas) answer; otherwise 5000007 naming the part in `param` (docs/deploy.md)',
      success: {
        status: 200, description: 'the server is up and every part it needs answers',
        schema: r.object({ status: r.enum(['ok']), store: r.enum(['ok']), redis: r.enum(['ok', 'off']) }), example: { status: 'ok', store: 'ok', redis: 'off' },
      },
      async handler({ services }) {
        const health = await services.health();
        if (!health.store) throw new ApiError('NCE_INTERNAL_SERVER_ERROR', { param: 'store' });
        if (health.redis === false) throw new ApiError('NCE_INTERNAL_SERVER_ERROR', { param: 'redis' });
        return reply.json({ status: 'ok', store: 'ok', redis: health.redis === undefined ? 'off' : 'ok' });
      },
    }),
    defineRoute({
      method: 'GET', path: '/_opencomb/errors', operationId: 'errorCatalog', tag: TAG, summary: 'The error catalog as JSON', auth: 'meta', errors: [],
      success: {
        status: 200, description: 'every code of the catalog',
        schema: r.array(r.object({ code: r.int(), status: r.int(), message: r.string() })), example: [{ code: 4000112, status: 400, message: 'Missing param.' }],
      },
      async handler() {
        return reply.text(catalogJson, 'application/json; charset=utf-8');
      },
    }),
    defineRoute({
      method: 'GET', path: '/_opencomb/docs/errors.md', operationId: 'errorDocs', tag: TAG, summary: 'The error catalog, documented', auth: 'meta', errors: [],
      success: { status: 200, description: 'Markdown', contentType: 'text/markdown; charset=utf-8' },
      async handler() {
        return reply.text(errorDocs, 'text/markdown; charset=utf-8');
      },
    }),
    defineRoute({
      method: 'GET', path: '/_opencomb/errors.html', operationId: 'errorCatalogPage', tag: TAG, summary: 'The error catalog as a searchable page', auth: 'meta', errors: [],
      success: { status: 200, description: 'HTML', contentType: 'text/html; charset=utf-8' },
      async handler() {
        return reply.text(errorPage, 'text/html; charset=utf-8');
      },
    }),
    defineRoute({
      method: 'GET', path: '/openapi.json', operationId: 'openapi', tag: TAG, summary: 'This OpenAPI 3.1 document', auth: 'meta', errors: [],
      success: { status: 200, description: 'OpenAPI 3.1', schema: r.object({ openapi: r.string(), info: r.map({}), servers: r.array(r.map({})), tags: r.array(r.map({})), paths: r.map({}), components: r.map({}) }) },
      async handler() {
        openapi ??= JSON.stringify(buildOpenApi(allRoutes(), version));
        return reply.text(openapi, 'application/json; charset=utf-8');
      },
    }),
    defineRoute({
      method: 'GET', path: '/docs', operationId: 'apiReference', tag: TAG, summary: 'This API, browsable (Swagger UI over /openapi.json)', auth: 'meta', errors: [],
      success: { status: 200, description: 'HTML', contentType: 'text/html; charset=utf-8' },
      async handler() {
        return reply.text(DOCS_PAGE, 'text/html; charset=utf-8');
      },
    }),
    defineRoute({
      method: 'GET', path: '/docs/:file', operationId: 'apiReferenceAsset', tag: TAG, summary: 'A file of the browsable reference', auth: 'meta',
      errors: ['NO_SUCH_API'],
      success: { status: 200, description: 'CSS or JavaScript', contentType: 'text/javascript; charset=utf-8' },
      async handler({ params }) {
        const type = SWAGGER_FILES[params.file ?? ''];
        if (!type) throw new ApiError('NO_SUCH_API');
        assets[params.file!] ??= readFileSync(join(swaggerDir(), params.file!), 'utf8');
        return reply.text(assets[params.file!]!, type);
      },
    }),
  ];
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** One table of every code with a filter box (code, status or words of the message); no external assets. */
function renderErrorPage(): string {
  const rows = entries.map((e) => `<tr id="${e.code}"><td>${e.code}</td><td>${e.status}</td><td>${escapeHtml(e.message)}</td><td><code>${e.name}</code></td></tr>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>opencomb error catalog</title>
<style>body{font:14px sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}input{font-size:16px;width:30em;margin-bottom:1em}</style>
</head><body>
<h1>Error catalog (${entries.length} codes)</h1>
<p>Every error is the HTTP status plus <code>{"code", "message"}</code>; the status is the code's first three digits. Details: <a href="/_opencomb/docs/errors.md">errors.md</a>.</p>
<input id="q" type="search" placeholder="Filter by code, status or message" autofocus>
<table><thead><tr><th>code</th><th>status</th><th>message</th><th>name</th></tr></thead><tbody>
${rows}
</tbody></table>
<script>
document.getElementById('q').addEventListener('input', (ev) => {
  const q = ev.target.value.trim().toLowerCase();
  for (const tr of document.querySelectorAll('tbody tr')) tr.hidden = q !== '' && !tr.textContent.toLowerCase().includes(q);
});
</script>
</body></html>
`;
}
