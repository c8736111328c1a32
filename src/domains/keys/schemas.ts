import { f, schema } from '../../http/schema.ts';

/** Secret keys belong to service 00: missing 4000002, invalid 4000001. */
export const createSecretKeyBody = schema({
  key_name: f.string({ min: 1, max: 32, pattern: /^[A-Za-z0-9._-]+$/ })
    .invalid('INVALID_PARAMETERS')
    .describe('unique per user; 1–32 of letters, digits, "-", "_", "."; default key-<id>'),
}, { missing: 'MISSING_PARAMETERS', invalid: 'INVALID_PARAMETERS' });
