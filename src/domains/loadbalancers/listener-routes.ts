/** Listeners and their clusters (forwarding rules): create, view, update, delete (load-balancers.md "Listeners"). */
import { randomUUID } from 'node:crypto';
import { ApiError } from '../../catalog/index.ts';
import { defineRoute, reply } from '../../http/route.ts';
import { inUserTransaction } from '../../store/transaction.ts';
import type { Services } from '../../services.ts';
import type { AuthUser } from '../../identity/auth.ts';
import { currentLb, nowMs, ownerOf, requireLb, TAG } from './lifecycle.ts';
import { checkLbState, checkRuleConflicts, protocolOf, QUOTAS, type ClusterInput, type Protocol } from './rules.ts';
import { createListenerBody, namespaceQuery, updateListenerBody } from './schemas.ts';
import { type ListenerRow, type LoadBalancerStore, lbStore } from './store.ts';
import { listenerView, type StoredCluster } from './views.ts';
import { listenersSchema } from './responses.ts';
import { BASE } from './routes.ts';
import type { Backend } from '../contracts.ts';

const LISTENERS = `${BASE}/:lb_name/listeners`;
const ONE = `${LISTENERS}/:listener_name`;

/** Only what the protocol uses: tcp has no host, path, certificate or policy; http no certificate. */
function forProtocol(protocol: Protocol, c: ClusterInput): ClusterInput {
  if (protocol === 'tcp') return { serviceName: c.serviceName, servicePort: c.servicePort };
  if (protocol === 'http') {
    const { certId: _ignored, ...rest } = c;
    return rest;
  }
  return c;
}

/**
 * The resources the clusters reference, in the documented order: every `certId` (https; 4000452), every
 * `serviceName` among the namespace's microservices (read before the transaction) (4040401), every `servicePort` among its TCP service
 * ports (4000458).
 */
async function checkReferences(lbs: LoadBalancerStore, user: AuthUser, backends: Map<string, Backend>, protocol: Protocol, clusters: ClusterInput[]): Promise<void> {
  if (protocol === 'https') {
    if (clusters.some((c) => c.certId === undefined)) throw new ApiError('LB_CERT_ID_NOT_FOUND');
    const wanted = [...new Set(clusters.map((c) => c.certId!))];
    const found = await lbs.existingCertIds(user.id, wanted);
    if (wanted.some((id) => !found.has(id))) throw new ApiError('LB_CERT_ID_NOT_FOUND');
  }
  if (clusters.some((c) => !backends.has(c.serviceName))) throw new ApiError('LB_NO_SUCH_RESOURCE');
  if (clusters.some((c) => !backends.get(c.serviceName)!.tcpPorts.includes(c.servicePort))) throw new ApiError('LB_INVALID_SERVICE_PORT');
}

/** Stored form: a fresh rule name per cluster (regenerated on every update). */
function stored(clusters: ClusterInput[]): { clusters: string; cert_ids: string } {
  const out: StoredCluster[] = clusters.map((c) => ({ name: `groupName_${randomUUID()}`, ...c }));
  const certIds = [...new Set(clusters.flatMap((c) => (c.certId ? [c.certId] : [])))];
  return { clusters: JSON.stringify(out), cert_ids: JSON.stringify(certIds) };
}

function pendingUntil(services: Services): string | null {
  const seconds = services.config.listenerPendingSeconds;
  return seconds > 0 ? new Date(services.clock.now().getTime() + seconds * 1000).toISOString() : null;
}

function checkNotPending(services: Services, listener: ListenerRow): void {
  if (listener.pending_until !== null && listener.pending_until > services.clock.now().toISOString()) throw new ApiError('LB_INVALID_LISTENER_STATUS');
}

const listenerErrors = ['LB_NAMESPACE_NOT_FOUND', 'NO_SUCH_LOADBALANCER', 'LB_SERVER_ERROR'] as const;

export const listenerRoutes = [
  defineRoute({
    method: 'POST', path: LISTENERS, operationId: 'createListener', tag: TAG,
    summary: 'Add a listener with its clusters to a load balancer', auth: 'token', mutates: true,
    query: namespaceQuery, body: createListenerBody,
    errors: [...listenerErrors, 'LB_CERT_ID_NOT_FOUND', 'LB_NO_SUCH_RESOURCE', 'LB_INVALID_SERVICE_PORT', 'LB_LOADBALANCER_IS_CREATING', 'LB_ACTION_FORBIDDEN',
      'DUPLICATE_LISTENER', 'LB_DUPLICATE_RESOURCE', 'LB_DUPLICATE_SERVER_NAME', 'LB_DUPLICATE_PATH', 'LB_DUPLICATE_FORWARD_RULE',
      'LB_LISTENER_QUOTA_INSUFFICIENT', 'LB_CLUSTER_QUOTA_INSUFFICIENT'],
    internalError: 'ADD_LISTENER_ERROR',
    success: { status: 200, description: 'created (empty body)' },
    async handler({ params, query, body, user, services }) {
      const { store } = services;
      const { lb, namespaceId } = await requireLb(services, user, query.namespace, params.lb_name);
      const protocol = protocolOf(body.protocol)!;
      const clusters = body.clusters.map((c) => forProtocol(protocol, c));
      const backends = await services.resources.directory.backends(ownerOf(user), namespaceId);
      await inUserTransaction(store, user.id, async (tx) => {
        const lbs = lbStore(services, tx);
        const current = await currentLb(services, tx, user, lb);
        await checkReferences(lbs, user, backends, protocol, clusters);
        checkLbState(current.status, 'listener');
        const existing = await lbs.listenersOf(current.id);
        if (existing.some((l) => l.name === body.name)) throw new ApiError('DUPLICATE_LISTENER');
        if (existing.some((l) => l.listen_port === body.listenPort)) throw new ApiError('LB_DUPLICATE_RESOURCE');
        checkRuleConflicts(protocol, clusters);
        if (existing.length >= QUOTAS.listeners) throw new ApiError('LB_LISTENER_QUOTA_INSUFFICIENT');
        if (clusters.length > QUOTAS.clusters) throw new ApiError('LB_CLUSTER_QUOTA_INSUFFICIENT');
        const now = nowMs(services);
        await lbs.insertListener({
          lb_id: current.id, name: body.name, protocol, listen_port: body.listenPort, ...stored(clusters),
          pending_until: pendingUntil(services), created_at: now, updated_at: now,
        });
        await lbs.updateLb(current.id, { updated_at: now });
      }, 'DUPLICATE_LISTENER');
      return reply.empty();
    },
  }),
  defineRoute({
    method: 'GET', path: LISTENERS, operationId: 'listListeners', tag: TAG,
    summary: 'The listeners of a load balancer, oldest first', auth: 'token',
    query: namespaceQuery,
    errors: [...listenerErrors],
    internalError: 'GET_LISTENER_ERROR',
    success: { status: 200, description: 'an array of listener objects (clusters without `name`)', schema: listenersSchema },
    async handler({ params, query, user, services }) {
      const { lb } = await requireLb(services, user, query.namespace, params.lb_name);
      const rows = await lbStore(services).listenersOf(lb.id);
      return reply.json(rows.map((l) => listenerView(l, false)));
    },
  }),
  defineRoute({
    method: 'PUT', path: ONE, operationId: 'updateListener', tag: TAG,
    summary: 'Replace every cluster of a listener', auth: 'token', mutates: true,
    query: namespaceQuery, body: updateListenerBody,
    errors: [...listenerErrors, 'NO_SUCH_LISTENER', 'LB_CERT_ID_NOT_FOUND', 'LB_NO_SUCH_RESOURCE', 'LB_INVALID_SERVICE_PORT', 'LB_LOADBALANCER_IS_CREATING',
      'LB_ACTION_FORBIDDEN', 'LB_INVALID_LISTENER_STATUS', 'LB_DUPLICATE_SERVER_NAME', 'LB_DUPLICATE_PATH', 'LB_DUPLICATE_FORWARD_RULE', 'LB_CLUSTER_QUOTA_INSUFFICIENT'],
    internalError: 'UPDATE_LISTENER_ERROR',
    success: { status: 200, description: 'updated (empty body)' },
    async handler({ params, query, body, user, services }) {
      const { lb, namespaceId } = await requireLb(services, user, query.namespace, params.lb_name);
      // Read outside the transaction: another domain's tables (and SQLite has one connection).
      const backends = await services.resources.directory.backends(ownerOf(user), namespaceId);
      await inUserTransaction(services.store, user.id, async (tx) => {
        const lbs = lbStore(services, tx);
        const current = await currentLb(services, tx, user, lb);
        const listener = params.listener_name === undefined ? undefined : await lbs.findListener(current.id, params.listener_name);
        if (!listener) throw new ApiError('NO_SUCH_LISTENER');
        const protocol = listener.protocol as Protocol;
        const clusters = body.clusters.map((c) => forProtocol(protocol, c));
        await checkReferences(lbs, user, backends, protocol, clusters);
        checkLbState(current.status, 'listener');
        checkNotPending(services, listener);
        checkRuleConflicts(protocol, clusters);
        if (clusters.length > QUOTAS.clusters) throw new ApiError('LB_CLUSTER_QUOTA_INSUFFICIENT');
        const now = nowMs(services);
        await lbs.updateListener(listener.id, { ...stored(clusters), pending_until: pendingUntil(services), updated_at: now });
        await lbs.updateLb(current.id, { updated_at: now });
      });
      return reply.empty();
    },
  }),
  defineRoute({
    method: 'DELETE', path: ONE, operationId: 'deleteListener', tag: TAG,
    summary: 'Remove a listener (its name and port are free at once)', auth: 'token', mutates: true,
    query: namespaceQuery,
    errors: [...listenerErrors, 'NO_SUCH_LISTENER', 'LB_LOADBALANCER_IS_CREATING', 'LB_ACTION_FORBIDDEN', 'LB_INVALID_LISTENER_STATUS'],
    internalError: 'DELETE_LISTENER_ERROR',
    success: { status: 200, description: 'deleted (empty body)' },
    async handler({ params, query, user, services }) {
      const { lb } = await requireLb(services, user, query.namespace, params.lb_name);
      await inUserTransaction(services.store, user.id, async (tx) => {
        const lbs = lbStore(services, tx);
        const current = await currentLb(services, tx, user, lb);
        const listener = params.listener_name === undefined ? undefined : await lbs.findListener(current.id, params.listener_name);
        if (!listener) throw new ApiError('NO_SUCH_LISTENER');
        checkLbState(current.status, 'listener');
        checkNotPending(services, listener);
        await lbs.deleteListener(listener.id);
        await lbs.updateLb(current.id, { updated_at: nowMs(services) });
      });
      return reply.empty();
    },
  }),
];
