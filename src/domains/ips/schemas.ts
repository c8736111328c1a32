import { f, schema } from '../../http/schema.ts';
import { IP_STATUSES, IP_TYPES } from './rules.ts';

/** IP family (service 03): missing 4000302, invalid 4000301. */
const codes = { missing: 'IP_MISSING_PARAM', invalid: 'IP_PARAMS_INVALID' } as const;

/** Filter values are matched case-insensitively (spec: List public IPs, Proposed). */
const oneOf = (values: readonly string[]) => (v: string) => values.includes(v.toLowerCase());

// Counts: an integer or a digit string, >= 0; "" is an invalid value here (Conventions), not an absent one.
export const createIpsBody = schema({
  nce: f.int({ min: 0 }).keepEmpty().describe('number of nce IPs to create (default 0)'),
  nlb: f.int({ min: 0 }).keepEmpty().describe('number of nlb IPs to create (default 0)'),
}, codes);

export const listIpsQuery = schema({
  status: f.string().rule(oneOf(IP_STATUSES)).describe('available, disabled, binding or binded (any case); default all'),
  type: f.string().rule(oneOf(IP_TYPES)).describe('nce or nlb (any case); default all'),
  offset: f.int({ min: 0 }).default(0).describe('index of the first IP returned'),
  limit: f.int({ min: 1 }).default(20).describe('page size, no upper bound'),
}, codes);
