import { ApiError } from '../../catalog/index.ts';
import { parseId } from '../../http/ids.ts';
import { defineRoute, reply } from '../../http/route.ts';
import { generateSshKeyPair, type SshKeyPair } from './crypto.ts';
import { createSecretKeyBody, secretKeyCreated, secretKeyList } from './schemas.ts';
import { SecretKeyStore } from './store.ts';

const TAG = 'secret keys';

export const secretKeyRoutes = [
  defineRoute({
    method: 'POST', path: '/api/v1/secret-keys', operationId: 'createSecretKey', tag: TAG,
    summary: 'Create a 2048-bit RSA key pair', auth: 'token', mutates: true,
    body: createSecretKeyBody,
    errors: ['DUPLICATE_SECRET_KEY_NAME', 'SECRET_KEY_COUNT_LIMIT', 'CREATE_SECRET_KEY_ERROR'],
    internalError: 'CREATE_SECRET_KEY_ERROR',
    success: { status: 201, description: 'the key', ...secretKeyCreated },
    bodyExample: { key_name: 'name' },
    async handler({ body, user, services }) {
      let pair: SshKeyPair;
      try {
        pair = await generateSshKeyPair(body.key_name ?? 'opencomb');
      } catch (cause) {
        throw new ApiError('CREATE_SECRET_KEY_ERROR', { cause });
      }
      const row = await new SecretKeyStore(services.store).create(user.id, user.quotas.secret_keys, {
        name: body.key_name, fingerprint: pair.fingerprint, publicKey: pair.publicKey,
        privateKeySealed: services.sealer.seal(pair.privateKeyPem), createdAt: services.clock.iso(),
      });
      return reply.json({ id: row.id, name: row.name, fingerprint: row.fingerprint, created_at: row.created_at }, 201);
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/v1/secret-keys', operationId: 'listSecretKeys', tag: TAG,
    summary: 'List the caller’s secret keys, newest first', auth: 'token',
    errors: [],
    success: { status: 200, description: 'a bare array of keys, newest first', ...secretKeyList },
    async handler({ user, services }) {
      const rows = await new SecretKeyStore(services.store).list(user.id);
      return reply.json(rows.map((r) => ({ fingerprint: r.fingerprint, id: r.id, name: r.name, created_at: r.created_at })));
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/v1/secret-keys/:id', aliases: ['/api/v1/secret-key/:id'], operationId: 'getPrivateKey', tag: TAG,
    summary: 'Download the private key file (PEM text)', auth: 'token', endpointLimit: 'privateKey',
    errors: ['NO_SUCH_SECRET_KEY'],
    success: { status: 200, description: 'the private key, PEM', contentType: 'text/plain; charset=utf-8' },
    async handler({ params, user, services }) {
      const id = parseId(params.id);
      const sealed = id === undefined ? undefined : await new SecretKeyStore(services.store).privateKey(user.id, id);
      if (sealed === undefined) throw new ApiError('NO_SUCH_SECRET_KEY');
      return reply.text(services.sealer.open(sealed));
    },
  }),
  defineRoute({
    method: 'DELETE', path: '/api/v1/secret-keys/:id', aliases: ['/api/v1/secret-key/:id'], operationId: 'deleteSecretKey', tag: TAG,
    summary: 'Delete a secret key', auth: 'token', mutates: true,
    errors: ['NO_SUCH_SECRET_KEY', 'DELETE_SECRET_KEY_ERROR'],
    internalError: 'DELETE_SECRET_KEY_ERROR',
    success: { status: 200, description: 'deleted (empty body)' },
    async handler({ params, user, services }) {
      const id = parseId(params.id);
      const deleted = id !== undefined && (await new SecretKeyStore(services.store).delete(user.id, id));
      if (!deleted) throw new ApiError('NO_SUCH_SECRET_KEY');
      return reply.empty();
    },
  }),
];
