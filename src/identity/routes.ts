import { ApiError } from '../catalog/index.ts';
import { defineRoute, reply } from '../http/route.ts';
import { r } from '../http/response-schema.ts';
import { f, schema } from '../http/schema.ts';
import { TOKEN_LIFETIME_SECONDS } from './store.ts';

const credential = () => f.string().required().missing('MISSING_PARAMETERS').invalid('INVALID_PARAMETERS');

export const tokenBody = schema({
  app_key: credential().describe('the Access Key'),
  app_secret: credential().describe('the Access Secret'),
}, { missing: 'MISSING_PARAMETERS', invalid: 'INVALID_PARAMETERS' });

export const identityRoutes = [
  defineRoute({
    method: 'POST', path: '/api/v1/token', operationId: 'createToken', tag: 'token',
    summary: 'Exchange an Access Key and Access Secret for a token valid 24 hours',
    auth: 'none',
    body: tokenBody,
    errors: ['NO_SUCH_USER', 'UNAUTHORIZED_USER', 'USER_STATUS_ABNORMAL', 'NCE_INTERNAL_SERVER_ERROR'],
    success: {
      status: 201, description: 'token issued',
      schema: r.object({ token: r.string('send as `Authorization: Token <token>`'), expires_in: r.string('seconds, as a decimal string') }),
      example: { token: '48e6b1bdb5fb4a28a680a977dffb3c30', expires_in: '86400' },
    },
    bodyExample: { app_key: '8d7e3a7c6b5f4e2d9c1b0a8f7e6d5c4b', app_secret: '0f1e2d3c4b5a69788796a5b4c3d2e1f0' },
    async handler({ body, services }) {
      const { identity, sealer, clock } = services;
      const pair = await identity.findKeyPair(body.app_key);
      if (!pair) throw new ApiError('NO_SUCH_USER');
      if (!sealer.verify(body.app_secret, pair.secret_hash) || pair.enabled !== 1) throw new ApiError('UNAUTHORIZED_USER');
      if (pair.status === 'abnormal') throw new ApiError('USER_STATUS_ABNORMAL');
      const token = await identity.issueToken(pair.user_id, pair.app_key, clock.now(), (d) => clock.iso(d));
      return reply.json({ token, expires_in: String(TOKEN_LIFETIME_SECONDS) }, 201);
    },
  }),
];
