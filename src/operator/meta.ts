import { entries } from '../catalog/index.ts';
import { renderErrorDocs } from '../catalog/docs.ts';
import { defineRoute, reply, type Route } from '../http/route.ts';
import { buildOpenApi } from '../http/openapi.ts';

const TAG = 'server';

/** The server's own open endpoints: health, the catalog, its documentation and the OpenAPI document. */
export function metaRoutes(allRoutes: () => Route[], version: string) {
  let openapi: string | undefined;
  const catalogJson = JSON.stringify(entries.map((e) => ({ code: e.code, status: e.status, message: e.message })));
  const errorDocs = renderErrorDocs();
  return [
    defineRoute({
      method: 'GET', path: '/healthz', operationId: 'health', tag: TAG, summary: 'Liveness', auth: 'meta', errors: [],
      success: { status: 200, description: '{"status":"ok"}' },
      async handler() {
        return reply.json({ status: 'ok' });
      },
    }),
    defineRoute({
      method: 'GET', path: '/_opencomb/errors', operationId: 'errorCatalog', tag: TAG, summary: 'The error catalog as JSON', auth: 'meta', errors: [],
      success: { status: 200, description: '[{code, status, message}]' },
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
      method: 'GET', path: '/openapi.json', operationId: 'openapi', tag: TAG, summary: 'This OpenAPI 3.1 document', auth: 'meta', errors: [],
      success: { status: 200, description: 'OpenAPI 3.1' },
      async handler() {
        openapi ??= JSON.stringify(buildOpenApi(allRoutes(), version));
        return reply.text(openapi, 'application/json; charset=utf-8');
      },
    }),
  ];
}
