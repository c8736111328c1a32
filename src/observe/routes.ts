/** `/_opencomb/coverage` (docs/coverage.md) and `/metrics` (docs/metrics.md), both guarded like the operator API. */
import { defineRoute, reply } from '../http/route.ts';
import { r } from '../http/response-schema.ts';
import { f, schema } from '../http/schema.ts';
import type { Coverage } from './coverage.ts';
import type { ServerMetrics } from './metrics.ts';
import { buildReport, renderMarkdown } from './report.ts';

const TAG = 'operator';
const codes = { missing: 'MISSING_PARAMETERS', invalid: 'INVALID_PARAMETERS' } as const;
const percent = (what: string) => f.number({ min: 0, max: 100 }).describe(`adds "met": false when fewer than this percent of ${what}`);

const codeCount = r.object({ code: r.int(), message: r.string(), count: r.int(), injected: r.int('of count, answers produced by fault injection') });
const reportSchema = r.object({
  fault_injection: r.boolean('fault rules can be installed (--fault-injection)'),
  totals: r.object({
    operations: r.object({ exercised: r.int(), total: r.int(), percent: r.number() }),
    codes: r.object({ answered: r.int(), declared: r.int('declared by the operations called'), percent: r.number() }),
  }),
  thresholds: r.object({ min_operations: r.number(), min_codes: r.number() }, { optional: ['min_operations', 'min_codes'] }),
  met: r.boolean('present when a threshold was given'),
  operations: r.array(r.object({
    operation: r.string('the operationId'), method: r.string(), path: r.string('the route template'), calls: r.int(), successes: r.int(),
    codes: r.array(codeCount), undeclared: r.array(codeCount),
    suggestions: r.array(r.object({
      code: r.int(), message: r.string(),
      fault: r.object({ method: r.string(), path: r.string(), code: r.int(), count: r.int() }),
      also_matches: r.array(r.string('another operation the rule would also answer')),
    }, { optional: ['also_matches'] })),
  })),
  unrouted: r.object({ calls: r.int(), codes: r.array(codeCount) }),
}, { optional: ['thresholds', 'met'] });
const reportExample = {
  fault_injection: true,
  totals: { operations: { exercised: 1, total: 97, percent: 1 }, codes: { answered: 1, declared: 14, percent: 7.1 } },
  operations: [{
    operation: 'createToken', method: 'POST', path: '/api/v1/token', calls: 2, successes: 1,
    codes: [{ code: 4000002, message: 'Missing parameters.', count: 1, injected: 0 }, { code: 4010001, message: 'Unauthorized user.', count: 0, injected: 0 }],
    undeclared: [],
    suggestions: [{ code: 4010001, message: 'Unauthorized user.', fault: { method: 'POST', path: '/api/v1/token', code: 4010001, count: 1 } }],
  }],
  unrouted: { calls: 0, codes: [] },
};

export function observeRoutes(coverage: () => Coverage, metrics: ServerMetrics, faultInjection: boolean) {
  return [
    defineRoute({
      method: 'GET', path: '/_opencomb/coverage', operationId: 'operatorCoverage', tag: TAG, auth: 'operator',
      summary: 'Which operations and declared error codes were answered since the start or the last reset, with the fault rules that would produce the rest',
      query: schema({
        format: f.string({ enum: ['json', 'md'] }).describe('"md": a Markdown table for a CI log (default "json")'),
        min_operations: percent('the operations were called'),
        min_codes: percent('the error codes the called operations declare were answered'),
      }, codes),
      errors: [],
      success: { status: 200, description: 'the report (always 200: a threshold not met is "met": false)', schema: reportSchema, example: reportExample },
      async handler({ query }) {
        const cov = coverage();
        const report = buildReport(cov.operations, await cov.counts.read(), {
          faultInjection, thresholds: { min_operations: query.min_operations, min_codes: query.min_codes },
        });
        return query.format === 'md' ? reply.text(renderMarkdown(report), 'text/markdown; charset=utf-8') : reply.json(report);
      },
    }),
    defineRoute({
      method: 'DELETE', path: '/_opencomb/coverage', operationId: 'operatorClearCoverage', tag: TAG, auth: 'operator',
      summary: 'Start counting coverage afresh (so does POST /_opencomb/reset)', errors: [],
      success: { status: 200, description: 'empty body' },
      async handler() {
        await coverage().clear();
        return reply.empty();
      },
    }),
    defineRoute({
      method: 'GET', path: '/metrics', operationId: 'metrics', tag: TAG, auth: 'operator',
      summary: 'Prometheus metrics: answers by route, method and code, latencies, rate-limit refusals, store queries, due work, process', errors: [],
      success: { status: 200, description: 'Prometheus text format 0.0.4', contentType: 'text/plain; version=0.0.4; charset=utf-8' },
      async handler() {
        const { contentType, text } = await metrics.render();
        return reply.text(text, contentType);
      },
    }),
  ];
}
