/** Certificates: upload, list, update, delete (load-balancers.md "Certificates"; synchronous, per user). */
import { randomUUID } from 'node:crypto';
import { ApiError } from '../../catalog/index.ts';
import { defineRoute, reply } from '../../http/route.ts';
import { inUserTransaction } from '../../store/transaction.ts';
import { nowMs, settleDue, TAG } from './lifecycle.ts';
import { checkCertificate } from './certificates.ts';
import { QUOTAS } from './rules.ts';
import { certBody } from './schemas.ts';
import { lbStore } from './store.ts';
import { certView } from './views.ts';
import { certsSchema, certUploadedSchema } from './responses.ts';

const CERTS = '/api/v1/nlb/certs';

export const certRoutes = [
  defineRoute({
    method: 'POST', path: CERTS, operationId: 'uploadCert', tag: TAG,
    summary: 'Upload a certificate chain and its private key (the key is never returned)', auth: 'token', mutates: true,
    body: certBody,
    errors: ['LB_CERT_FORMAT_INVALID', 'DUPLICATE_CERT_NAME', 'LB_CERT_NUM_EXCEED_LIMIT'],
    internalError: 'UPLOAD_CERT_ERROR',
    success: { status: 200, description: 'the new certificate’s id and name', schema: certUploadedSchema, example: { id: '7b0c8ccf-1987-4082-a7a8-f1c18f345f63', name: 'my-cer' } },
    async handler({ body, user, services }) {
      const { store, sealer } = services;
      const cert = checkCertificate(body.pubCert, body.priKey);
      const id = randomUUID();
      await inUserTransaction(store, user.id, async (tx) => {
        const lbs = lbStore(services, tx);
        if (await lbs.certNameTaken(user.id, body.name)) throw new ApiError('DUPLICATE_CERT_NAME');
        if (await lbs.countCerts(user.id) >= (user.quotas.certificates ?? QUOTAS.certs)) throw new ApiError('LB_CERT_NUM_EXCEED_LIMIT');
        const now = nowMs(services);
        await lbs.insertCert({
          cert_id: id, user_id: user.id, name: body.name, finger_print: cert.fingerPrint, pub_cert: cert.pubCert, pri_key_sealed: sealer.seal(cert.priKey),
          expires_at: cert.expiresAt, created_at: now, updated_at: now,
        });
      }, 'DUPLICATE_CERT_NAME');
      return reply.json({ id, name: body.name });
    },
  }),
  defineRoute({
    method: 'GET', path: CERTS, operationId: 'listCerts', tag: TAG,
    summary: 'The caller’s certificates, oldest first', auth: 'token',
    errors: [],
    internalError: 'LIST_CERTS_ERROR',
    success: { status: 200, description: 'an array of certificate objects', schema: certsSchema },
    async handler({ user, services }) {
      return reply.json((await lbStore(services).listCerts(user.id)).map(certView));
    },
  }),
  defineRoute({
    method: 'PUT', path: `${CERTS}/:cert_id`, operationId: 'updateCert', tag: TAG,
    summary: 'Replace a certificate’s name, chain and key (listeners that use it serve the new one)', auth: 'token', mutates: true,
    body: certBody,
    errors: ['LB_CERT_FORMAT_INVALID', 'NO_SUCH_CERT', 'DUPLICATE_CERT_NAME'],
    internalError: 'UPDATE_CERT_ERROR',
    success: { status: 200, description: 'updated (empty body)' },
    async handler({ params, body, user, services }) {
      const { store, sealer } = services;
      const cert = checkCertificate(body.pubCert, body.priKey);
      await inUserTransaction(store, user.id, async (tx) => {
        const lbs = lbStore(services, tx);
        const row = await lbs.findCert(user.id, params.cert_id ?? '');
        if (!row) throw new ApiError('NO_SUCH_CERT');
        if (await lbs.certNameTaken(user.id, body.name, row.id)) throw new ApiError('DUPLICATE_CERT_NAME');
        await lbs.updateCert(row.id, {
          name: body.name, finger_print: cert.fingerPrint, pub_cert: cert.pubCert, pri_key_sealed: sealer.seal(cert.priKey),
          expires_at: cert.expiresAt, updated_at: nowMs(services),
        });
      }, 'DUPLICATE_CERT_NAME');
      return reply.empty();
    },
  }),
  defineRoute({
    method: 'DELETE', path: `${CERTS}/:cert_id`, operationId: 'deleteCert', tag: TAG,
    summary: 'Delete a certificate no https listener uses', auth: 'token', mutates: true,
    errors: ['NO_SUCH_CERT', 'LB_CERT_IS_USING'],
    internalError: 'DELETE_CERT_ERROR',
    success: { status: 200, description: 'deleted (empty body)' },
    async handler({ params, user, services }) {
      const { store } = services;
      await settleDue(services, user.id); // listeners of an LB whose deletion has ended no longer use it
      await inUserTransaction(store, user.id, async (tx) => {
        const lbs = lbStore(services, tx);
        const row = await lbs.findCert(user.id, params.cert_id ?? '');
        if (!row) throw new ApiError('NO_SUCH_CERT');
        if (await lbs.certInUse(user.id, row.cert_id)) throw new ApiError('LB_CERT_IS_USING');
        await lbs.deleteCert(row.id);
      });
      return reply.empty();
    },
  }),
];
