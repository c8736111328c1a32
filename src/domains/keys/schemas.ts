import { r } from '../../http/response-schema.ts';
import { f, schema } from '../../http/schema.ts';

/** Secret keys belong to service 00: missing 4000002, invalid 4000001. */
export const createSecretKeyBody = schema({
  key_name: f.string({ min: 1, max: 32, pattern: /^[A-Za-z0-9._-]+$/ })
    .invalid('INVALID_PARAMETERS')
    .describe('unique per user; 1–32 of letters, digits, "-", "_", "."; default key-<id>'),
}, { missing: 'MISSING_PARAMETERS', invalid: 'INVALID_PARAMETERS' });

// ---------------------------------------------------------------------------------------------- answers

export const secretKeyCreated = {
  schema: r.object({ id: r.int(), name: r.string(), fingerprint: r.string(), created_at: r.dateTime() }),
  example: { id: 163, name: 'name', fingerprint: '1b:5c:23:7f:a6:68:0e:e0:b0:f9:54:53:55:e1:a4:84', created_at: '2016-03-29T09:01:52Z' },
};

export const secretKeyList = {
  schema: r.array(r.named('SecretKey', r.object({ fingerprint: r.string(), id: r.int(), name: r.string(), created_at: r.dateTime() }))),
  example: [{ fingerprint: '85:9a:ac:b1:37:51:80:a5:9d:3a:ec:c0:8e:fe:5c:15', id: 133, name: 'turing', created_at: '2016-01-26T05:26:14Z' }],
};
