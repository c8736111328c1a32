/** Load balancers: create, list, detail, update, delete (load-balancers.md "Load balancers"). */
import { randomUUID } from 'node:crypto';
import { ApiError, isApiError } from '../../catalog/index.ts';
import { defineRoute, reply } from '../../http/route.ts';
import { inUserTransaction } from '../../store/transaction.ts';
import type { Services } from '../../services.ts';
import type { AuthUser } from '../../identity/auth.ts';
import { currentLb, METER_KIND, nowMs, ownerOf, phaseEnd, requireLb, resolveNamespace, settleDue, TAG } from './lifecycle.ts';
import { chargeModeOf, checkLbState, lbHourlyPrice, QUOTAS } from './rules.ts';
import { createLbBody, listQuery, namespaceQuery, operatorLbStateBody, updateLbBody } from './schemas.ts';
import { type LbRow, lbStore } from './store.ts';
import { createdView, instanceStatus, lbView, listenerView } from './views.ts';
import { createdLbSchema, lbDetailSchema, lbSchema } from './responses.ts';
import { r } from '../../http/response-schema.ts';
import type { Backend } from '../contracts.ts';

export const BASE = '/api/v1/nlb/loadbalancers';

const lbExample = {
  name: 'mylb', description: 'mylb description', address: '59.111.163.163', status: 'WORKING', instanceStatus: 'UP',
  chargeMode: 'bandwidth', bandwidthLimit: 1, namespace: 'my-ev-admin', createtime: '2016-12-29T07:46:05.455Z', updatetime: '2016-12-29T07:46:24.967Z',
};

const createdExample = {
  name: 'mylb', description: 'mylb description', address: '59.111.163.163', status: 'CREATING', chargeMode: 'bandwidth', bandwidthLimit: 1,
  createtime: '2016-12-29T07:20:26.000Z', updatetime: '2016-12-29T07:20:26.000Z',
};

/** The IP domain's "no such IP" is this domain's 4040412 when the LB names its IP by `address`. */
function asLbIpError(err: unknown): unknown {
  return isApiError(err) && err.errorName === 'NO_SUCH_IP' ? new ApiError('LB_NO_SUCH_IP') : err;
}

/** The backends of each namespace the LBs live in, read once per namespace. */
async function backendsByNamespace(services: Services, user: AuthUser, lbs: LbRow[]): Promise<Map<string, Map<string, Backend>>> {
  const owner = ownerOf(user);
  const wanted = new Set(lbs.map((l) => l.namespace));
  const out = new Map<string, Map<string, Backend>>();
  if (wanted.size === 0) return out;
  for (const ns of await services.resources.directory.namespaces(owner)) {
    if (wanted.has(ns.namespace)) out.set(ns.namespace, await services.resources.directory.backends(owner, ns.id));
  }
  return out;
}

export const loadBalancerRoutes = [
  defineRoute({
    method: 'POST', path: BASE, operationId: 'createLoadBalancer', tag: TAG,
    summary: 'Create a load balancer (asynchronous: CREATING → WORKING) on a given or a new nlb IP', auth: 'token', mutates: true,
    query: namespaceQuery, body: createLbBody,
    errors: ['LB_NAMESPACE_NOT_FOUND', 'LB_NO_SUCH_IP', 'LB_IP_IS_USING', 'DUPLICATE_LOADBALANCER_NAME', 'LB_LOADBALANCER_QUOTA_INSUFFICIENT',
      'IP_QUOTA_INSUFFICIENT', 'LB_USER_BALANCE_NOT_ENOUGH', 'IP_NOT_ENOUGH', 'LB_SERVER_ERROR'],
    internalError: 'CREATE_LOADBALANCER_ERROR',
    success: { status: 200, description: 'the new LB (status CREATING)', schema: createdLbSchema, example: createdExample },
    async handler({ query, body, user, services }) {
      const { store, resources, clock } = services;
      const ns = await resolveNamespace(services, user, query.namespace);
      await settleDue(services, user.id); // an LB whose deletion has ended no longer holds its name or quota
      const owner = ownerOf(user);
      const codes = { wrongType: 'LB_NO_SUCH_IP', inUse: 'LB_IP_IS_USING' } as const;
      if (body.address !== undefined) await resources.ips.checkBindable(owner, body.address, 'nlb', codes).catch((err) => { throw asLbIpError(err); });
      const chargeMode = chargeModeOf(body.chargeMode)!;
      const instant = clock.now();
      const created = nowMs(services, instant);
      const row = await inUserTransaction(store, user.id, async (tx) => {
        const lbs = lbStore(services, tx);
        if (await lbs.findLb(user.id, ns.namespace, body.name)) throw new ApiError('DUPLICATE_LOADBALANCER_NAME');
        if (await lbs.countLbs(user.id) >= (user.quotas.loadbalancers ?? QUOTAS.loadBalancers)) throw new ApiError('LB_LOADBALANCER_QUOTA_INSUFFICIENT');
        // Judged before the IP is bought (its first hour must not decide whether the LB may be bought),
        // answered where the reference's order puts it: after the quotas.
        const poor = await resources.billing.requireBalance(tx, user.id, 'LB_USER_BALANCE_NOT_ENOUGH').then(() => undefined, (err: unknown) => {
          if (isApiError(err) && err.errorName === 'LB_USER_BALANCE_NOT_ENOUGH') return err;
          throw err;
        });
        const uuid = randomUUID();
        const target = { service_type: 'loadbalancer', service_id: uuid, service_name: body.name };
        let address: string;
        if (body.address !== undefined) {
          if (poor) throw poor;
          address = (await resources.ips.bind(tx, owner, body.address, target).catch((err) => { throw asLbIpError(err); })).ip;
        } else {
          try {
            address = (await resources.ips.allocate(tx, owner, user.quotas, target)).ip;
          } catch (err) {
            // Quota (4030302) comes before the balance, the exhausted pool (5000303) after it.
            if (isApiError(err) && err.errorName === 'IP_NOT_ENOUGH' && poor) throw poor;
            throw err;
          }
          if (poor) throw poor;
        }
        const inserted = await lbs.insertLb({
          uuid, user_id: user.id, namespace: ns.namespace, name: body.name, description: body.description, address,
          charge_mode: chargeMode, bandwidth_limit: body.bandwidthLimit, status: 'CREATING', due_at: phaseEnd(services),
          created_at: created, updated_at: created,
        });
        const price = lbHourlyPrice(chargeMode, body.bandwidthLimit);
        if (price > 0) await resources.billing.meter(tx, user.id, METER_KIND, uuid, price, instant);
        return inserted;
      }, 'DUPLICATE_LOADBALANCER_NAME');
      return reply.json(createdView(row));
    },
  }),
  defineRoute({
    method: 'GET', path: BASE, operationId: 'listLoadBalancers', tag: TAG,
    summary: 'List the caller’s load balancers across namespaces (or one namespace), newest first', auth: 'token',
    query: listQuery,
    errors: ['LB_NAMESPACE_NOT_FOUND', 'LB_SERVER_ERROR'],
    internalError: 'LIST_LOADBALANCERS_ERROR',
    success: { status: 200, description: 'an array of LB objects', schema: r.array(lbSchema), example: [lbExample] },
    async handler({ query, user, services }) {
      const namespace = query.namespace === undefined ? undefined : (await resolveNamespace(services, user, query.namespace)).namespace;
      await settleDue(services, user.id);
      const limit = query.limit === undefined ? 50 : Number(BigInt(query.limit) > 199n ? 199n : BigInt(query.limit));
      const offset = query.offset === undefined ? 0 : Number(BigInt(query.offset) > BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(Number.MAX_SAFE_INTEGER) : BigInt(query.offset));
      if (limit === 0) return reply.json([]);
      const { db } = services.store;
      const rows = await lbStore(services).listLbs(user.id, namespace, limit, offset);
      const listeners = await lbStore(services).listenersOfMany(rows.map((r) => r.id));
      const backends = await backendsByNamespace(services, user, rows);
      return reply.json(rows.map((r) => lbView(r, instanceStatus(listeners.filter((l) => l.lb_id === r.id), backends.get(r.namespace) ?? new Map()))));
    },
  }),
  defineRoute({
    method: 'GET', path: `${BASE}/:lb_name`, operationId: 'getLoadBalancer', tag: TAG,
    summary: 'One load balancer with its listeners', auth: 'token',
    query: namespaceQuery,
    errors: ['LB_NAMESPACE_NOT_FOUND', 'NO_SUCH_LOADBALANCER', 'LB_SERVER_ERROR'],
    internalError: 'DESCRIBE_LOADBALANCER_ERROR',
    success: { status: 200, description: 'the LB object with `listeners`', schema: lbDetailSchema, example: { ...lbExample, listeners: [] } },
    async handler({ params, query, user, services }) {
      const { lb, namespaceId } = await requireLb(services, user, query.namespace, params.lb_name);
      const listeners = await lbStore(services).listenersOf(lb.id);
      const backends = await services.resources.directory.backends(ownerOf(user), namespaceId);
      return reply.json({ ...lbView(lb, instanceStatus(listeners, backends)), listeners: listeners.map((l) => listenerView(l, true)) });
    },
  }),
  defineRoute({
    method: 'PUT', path: `${BASE}/:lb_name`, operationId: 'updateLoadBalancer', tag: TAG,
    summary: 'Change chargeMode, bandwidthLimit or description (omitted fields keep their values)', auth: 'token', mutates: true,
    query: namespaceQuery, body: updateLbBody,
    errors: ['LB_NAMESPACE_NOT_FOUND', 'NO_SUCH_LOADBALANCER', 'LB_LOADBALANCER_IS_CREATING', 'LB_ACTION_FORBIDDEN', 'LB_USER_BALANCE_NOT_ENOUGH', 'LB_SERVER_ERROR'],
    internalError: 'UPDATE_LOADBALANCER_ERROR',
    success: { status: 200, description: 'updated (empty body)' },
    async handler({ params, query, body, user, services }) {
      const { store, resources } = services;
      const { lb } = await requireLb(services, user, query.namespace, params.lb_name);
      await inUserTransaction(store, user.id, async (tx) => {
        const lbs = lbStore(services, tx);
        const current = await currentLb(services, tx, user, lb);
        checkLbState(current.status, 'update');
        const chargeMode = body.chargeMode === undefined ? current.charge_mode : chargeModeOf(body.chargeMode)!;
        const bandwidthLimit = body.bandwidthLimit ?? current.bandwidth_limit;
        const paid = chargeMode !== current.charge_mode || bandwidthLimit !== current.bandwidth_limit;
        if (paid) await resources.billing.requireBalance(tx, user.id, 'LB_USER_BALANCE_NOT_ENOUGH');
        await lbs.updateLb(current.id, {
          charge_mode: chargeMode, bandwidth_limit: bandwidthLimit, description: body.description ?? current.description, updated_at: nowMs(services),
        });
        if (!paid) return;
        const price = lbHourlyPrice(chargeMode, bandwidthLimit);
        if (price > 0) await resources.billing.meter(tx, user.id, METER_KIND, current.uuid, price);
        else await resources.billing.unmeter(tx, user.id, METER_KIND, current.uuid);
      });
      return reply.empty();
    },
  }),
  defineRoute({
    method: 'DELETE', path: `${BASE}/:lb_name`, operationId: 'deleteLoadBalancer', tag: TAG,
    summary: 'Delete a load balancer and its listeners (asynchronous: DELETING → removed; the IP is kept)', auth: 'token', mutates: true,
    query: namespaceQuery,
    errors: ['LB_NAMESPACE_NOT_FOUND', 'NO_SUCH_LOADBALANCER', 'LB_LOADBALANCER_IS_CREATING', 'LB_SERVER_ERROR'],
    internalError: 'DELETE_LOADBALANCER_ERROR',
    success: { status: 200, description: 'deleting (empty body)' },
    async handler({ params, query, user, services }) {
      const { store, resources } = services;
      const { lb } = await requireLb(services, user, query.namespace, params.lb_name);
      await inUserTransaction(store, user.id, async (tx) => {
        const lbs = lbStore(services, tx);
        const current = await currentLb(services, tx, user, lb);
        checkLbState(current.status, 'delete');
        if (current.status === 'DELETING') return; // repeated DELETE: nothing changes
        await lbs.updateLb(current.id, { status: 'DELETING', due_at: phaseEnd(services), updated_at: nowMs(services) });
        await resources.billing.unmeter(tx, user.id, METER_KIND, current.uuid);
      });
      return reply.empty();
    },
  }),
  defineRoute({
    method: 'PATCH', path: '/_opencomb/loadbalancers/:namespace/:lb_name', operationId: 'operatorSetLoadBalancerStatus', tag: 'operator',
    summary: 'Simulate a provisioning outcome: set a load balancer’s status (e.g. CREATING → ERROR)', auth: 'operator',
    body: operatorLbStateBody,
    errors: ['NO_SUCH_LOADBALANCER'],
    success: { status: 200, description: 'changed (empty body)' },
    async handler({ params, body, services }) {
      // CREATING and DELETING start their phase again; the others are settled states.
      const dueAt = body.status === 'CREATING' || body.status === 'DELETING' ? phaseEnd(services) : null;
      const patch = { status: body.status, due_at: dueAt, updated_at: nowMs(services) };
      if (!await lbStore(services).setLbState(params.namespace ?? '', params.lb_name ?? '', patch)) throw new ApiError('NO_SUCH_LOADBALANCER');
      return reply.empty();
    },
  }),
];
