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
}

export const createIpsBody = new CreateIpsBody(createShape, codes);

export const listIpsQuery = schema({
  status: f.string().rule(oneOf(IP_STATUSES)).describe('available, disabled, binding or binded (any case); default all'),
  type: f.string().rule(oneOf(IP_TYPES)).describe('nce or nlb (any case); default all'),
  offset: f.int({ min: 0 }).default(0).describe('index of the first IP returned'),
  limit: f.int({ min: 1 }).default(20).describe('page size, no upper bound'),
}, codes);
