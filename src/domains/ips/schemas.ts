import { r } from '../../http/response-schema.ts';
import { f, ObjectSchema, schema } from '../../http/schema.ts';
import { IP_STATUSES, IP_TYPES, requestedCounts } from './rules.ts';

/** IP family (service 03): missing 4000302, invalid 4000301. */
const codes = { missing: 'IP_MISSING_PARAM', invalid: 'IP_PARAMS_INVALID' } as const;

/** Filter values are matched case-insensitively (spec: List public IPs, Proposed). */
const oneOf = (values: readonly string[]) => (v: string) => values.includes(v.toLowerCase());

// Counts: an integer or a digit string, >= 0; "" is an invalid value here (Conventions), not an absent one.
const createShape = {
  nce: f.int({ min: 0 }).keepEmpty().describe('number of nce IPs to create (default 0)'),
  nlb: f.int({ min: 0 }).keepEmpty().describe('number of nlb IPs to create (default 0)'),
};

/**
 * "Nothing requested" (4000302) and "a zero total" (4000301) are parameter errors of the body as a whole:
 * judged with the fields, so they come before the account state 4030009 (core.md §8.2 step 5 before 6).
 */
class CreateIpsBody extends ObjectSchema<typeof createShape> {
  override validate(input: Record<string, unknown>) {
    const body = super.validate(input);
    requestedCounts(body);
    return body;
  }
  /** An empty body requests nothing: 4000302, so a body is required. */
  override get hasRequired(): boolean {
    return true;
  }
}

export const createIpsBody = new CreateIpsBody(createShape, codes);

export const listIpsQuery = schema({
  status: f.string().rule(oneOf(IP_STATUSES)).describe('available, disabled, binding or binded (any case); default all'),
  type: f.string().rule(oneOf(IP_TYPES)).describe('nce or nlb (any case); default all'),
  offset: f.int({ min: 0 }).default(0).describe('index of the first IP returned'),
  limit: f.int({ min: 1 }).default(20).describe('page size, no upper bound'),
}, codes);

// ---------------------------------------------------------------------------------------------- answers

export const ipExample = {
  id: '7f7a9f12-035f-401b-ace0-7926b4a518b4', ip: '59.111.126.126', status: 'available', type: 'nce',
  service_type: '', service_id: '', service_name: '', create_at: '2016-12-28T13:13:12Z', update_at: '2016-12-28T13:13:12Z',
};

const ip = r.named('Ip', r.object({
  id: r.string('uuid'), ip: r.string('the address'), status: r.enum(IP_STATUSES), type: r.enum(IP_TYPES),
  service_type: r.string('what it is bound to; "" when unbound'), service_id: r.string('"" when unbound'), service_name: r.string('"" when unbound'),
  create_at: r.dateTime(), update_at: r.dateTime(),
}));

/** Create and list: `{total, ips}`. */
export const ipPage = { schema: r.object({ total: r.int(), ips: r.array(ip) }), example: { total: 1, ips: [ipExample] } };

export const ipOne = { schema: ip, example: ipExample };

export const ipQuota = {
  schema: r.object({
    total: r.int('sum of the quotas'), used: r.int('sum of the IPs held'),
    quotas: r.array(r.object({ type: r.enum(IP_TYPES), quota: r.int(), used: r.int() })),
  }),
  example: { total: 20, used: 1, quotas: [{ type: 'nce', quota: 10, used: 1 }, { type: 'nlb', quota: 10, used: 0 }] },
};

export const ipCost = { schema: r.object({ id: r.string(), cost: r.number('CNY accrued') }), example: { id: '7f7a9f12-035f-401b-ace0-7926b4a518b4', cost: 1.26 } };

export const ipReleased = {
  schema: r.object({
    id: r.string(), ip: r.string(), status: r.enum(['deleted']), type: r.enum(IP_TYPES), service_id: r.string(), service_name: r.string(),
    create_at: r.dateTime(), update_at: r.dateTime(),
  }),
  example: { id: ipExample.id, ip: ipExample.ip, status: 'deleted', type: 'nce', service_id: '', service_name: '', create_at: ipExample.create_at, update_at: ipExample.update_at },
};
