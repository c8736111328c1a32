/**
 * Fault injection (core.md §11): the `X-Opencomb-Fault: <code>` header, and rules the operator installs
 * (method, path pattern, code, count or probability). Both only exist when the server runs with
 * `--fault-injection`; both answer after routing and authentication, before anything is read or changed.
 */
import { ApiError, byCode, type ErrorName } from '../catalog/index.ts';
import { defineRoute, reply } from '../http/route.ts';
import { r } from '../http/response-schema.ts';
import { f, schema } from '../http/schema.ts';

export interface FaultRule {
  id: number;
  /** Upper-case method, or `*` for any. */
  method: string;
  /** The request path (as routed: `/API/v1` already `/api/v1`); `*` matches any run of characters. */
  path: string;
  code: number;
  /** How many more requests the rule answers; `null`: until it is deleted. */
  count: number | null;
  /** Chance that a matching request is answered with the fault (1: always). */
  probability: number;
}

/** Where the rules are kept: in this process (`FaultRules`), or in Redis for replicas (`SharedFaultRules`). */
export interface FaultBook {
  add(rule: Omit<FaultRule, 'id'>): FaultRule | Promise<FaultRule>;
  list(): FaultRule[] | Promise<FaultRule[]>;
  delete(id: number): boolean | Promise<boolean>;
  clear(): void | Promise<void>;
  /** The fault for this request, if a rule fires (oldest rule first); a rule with a count is used up. */
  match(method: string, path: string): ErrorName | undefined | Promise<ErrorName | undefined>;
}

export class FaultRules implements FaultBook {
  private rules: Array<FaultRule & { matcher: RegExp }> = [];
  private nextId = 1;

  constructor(private readonly random: () => number = Math.random) {}

  add(rule: Omit<FaultRule, 'id'>): FaultRule {
    const stored = { id: this.nextId++, ...rule, matcher: globToRegExp(rule.path) };
    this.rules.push(stored);
    return view(stored);
  }

  list(): FaultRule[] {
    return this.rules.map(view);
  }

  delete(id: number): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
    this.nextId = 1;
  }

  /** The fault for this request, if a rule fires (oldest rule first); a rule with a count is used up. */
  match(method: string, path: string): ErrorName | undefined {
    for (const rule of this.rules) {
      if (rule.method !== '*' && rule.method !== method) continue;
      if (!rule.matcher.test(path)) continue;
      if (rule.probability < 1 && this.random() >= rule.probability) continue;
      if (rule.count !== null && --rule.count <= 0) this.delete(rule.id);
      return byCode(rule.code)!.name;
    }
    return undefined;
  }
}

function view({ matcher: _, ...rule }: FaultRule & { matcher: RegExp }): FaultRule {
  return { ...rule };
}

export function globToRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

const TAG = 'operator';
const ruleSchema = r.named('FaultRule', r.object({
  id: r.int(), method: r.string('upper case, or "*"'), path: r.string('"*" matches any characters'), code: r.int('a catalog code'),
  count: r.nullable(r.int('requests still to answer; null until deleted')), probability: r.number(),
}));
const ruleExample = { id: 1, method: 'POST', path: '/api/v1/microservices', code: 5000001, count: 1, probability: 1 };
const codes = { missing: 'MISSING_PARAMETERS', invalid: 'INVALID_PARAMETERS' } as const;

/** `/_opencomb/faults`: registered only when fault injection is enabled (otherwise these paths are unknown). */
export function faultRoutes(faults: FaultBook) {
  return [
    defineRoute({
      method: 'POST', path: '/_opencomb/faults', operationId: 'operatorAddFault', tag: TAG,
      summary: 'Install a fault rule: matching requests answer the given catalog error', auth: 'operator',
      body: schema({
        method: f.string({ pattern: /^([A-Za-z]+|\*)$/ }).describe('HTTP method, or "*" (default) for any'),
        path: f.string({ min: 1, max: 1000, pattern: /^[/*]/ }).describe('request path; "*" matches any characters (default "*")'),
        code: f.int().required().rule((c) => byCode(c) !== undefined).describe('a catalog code'),
        count: f.int({ min: 1 }).describe('answer this many requests, then remove the rule (default: until deleted)'),
        probability: f.number({ min: 0, max: 1 }).rule((p) => p > 0).describe('chance in (0, 1] that a matching request fails (default 1)'),
      }, codes),
      bodyExample: { method: 'POST', path: '/api/v1/microservices', code: 5000001, count: 1 },
      errors: [],
      success: { status: 201, description: 'the installed rule', schema: ruleSchema, example: ruleExample },
      async handler({ body }) {
        const rule = await faults.add({
          method: (body.method ?? '*').toUpperCase(), path: body.path ?? '*', code: body.code,
          count: body.count ?? null, probability: body.probability ?? 1,
        });
        return reply.json(rule, 201);
      },
    }),
    defineRoute({
      method: 'GET', path: '/_opencomb/faults', operationId: 'operatorListFaults', tag: TAG,
      summary: 'The installed fault rules, oldest first', auth: 'operator', errors: [],
      success: { status: 200, description: 'the installed rules', schema: r.array(ruleSchema), example: [ruleExample] },
      async handler() {
        return reply.json(await faults.list());
      },
    }),
    defineRoute({
      method: 'DELETE', path: '/_opencomb/faults', operationId: 'operatorClearFaults', tag: TAG,
      summary: 'Remove every fault rule', auth: 'operator', errors: [],
      success: { status: 200, description: 'empty body' },
      async handler() {
        await faults.clear();
        return reply.empty();
      },
    }),
    defineRoute({
      method: 'DELETE', path: '/_opencomb/faults/:id', operationId: 'operatorDeleteFault', tag: TAG,
      summary: 'Remove one fault rule', auth: 'operator', errors: ['INVALID_PARAMETERS'],
      success: { status: 200, description: 'empty body' },
      async handler({ params }) {
        if (!(await faults.delete(Number(params.id)))) throw new ApiError('INVALID_PARAMETERS', { param: 'id' });
        return reply.empty();
      },
    }),
  ];
}
