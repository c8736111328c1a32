import { ApiError, entry, type ErrorName } from '../../catalog/index.ts';
import { translating } from '../../errors.ts';
import { defineRoute, reply } from '../../http/route.ts';
import { inUserTransaction } from '../../store/transaction.ts';
import type { Services } from '../../services.ts';
import { parsePool, type Pool } from './pool.ts';
import {
  checkQuota, checkReleasable, costView, IP_HOURLY_PRICE, IP_METER_KIND, IP_TYPES, ipView, normalizeIpId,
  quotaOf, releasedView, requestedCounts,
} from './rules.ts';
import { createIpsBody, ipCost, ipOne, ipPage, ipQuota, ipReleased, listIpsQuery } from './schemas.ts';
import { IpStore } from './store.ts';

const TAG = 'public IPs';

const pools = new Map<string, Pool>();
function ipStore(services: Services): IpStore {
  const cidr = services.config.ipPool;
  let pool = pools.get(cidr);
  if (!pool) pools.set(cidr, (pool = parsePool(cidr)));
  return IpStore.of(services.store, pool);
}

/**
 * Unexpected failures answer the IP family's own server error (core.md §7.3), also when they come from
 * another component (billing); catalog errors a client can act on pass through unchanged.
 */
function guarded<T>(name: ErrorName, work: () => Promise<T>): Promise<T> {
  return translating({ failure: name, keep: (err) => err.status < 500 || entry(err.errorName).family === '03' }, work);
}


export const ipRoutes = [
  defineRoute({
    method: 'POST', path: '/api/v1/ips', operationId: 'createIps', tag: TAG,
    summary: 'Create public IPs (nlb first, then nce)', auth: 'token', mutates: true,
    body: createIpsBody,
    bodyExample: { nce: 1, nlb: 1 },
    errors: ['IP_MISSING_PARAM', 'IP_PARAMS_INVALID', 'IP_QUOTA_INSUFFICIENT', 'IP_BALANCE_INSUFFICIENT', 'IP_NOT_ENOUGH', 'CREATE_IP_FAIL', 'IP_NO_SUCH_USER'],
    internalError: 'CREATE_IP_FAIL',
    success: { status: 200, description: '{total, ips}', ...ipPage },
    async handler({ body, user, services }) {
      const requested = requestedCounts(body);
      const ips = ipStore(services);
      const { billing } = services.resources;
      // One instant for create_at and the start of billing: the clock moves on while the request runs.
      const instant = services.clock.now();
      const now = services.clock.iso(instant);
      const rows = await guarded('CREATE_IP_FAIL', () => inUserTransaction(services.store, user.id, async (tx) => {
        checkQuota(await ips.with(tx).counts(user.id), requested, user.quotas);
        await billing.requireBalance(tx, user.id, 'IP_BALANCE_INSUFFICIENT');
        const created = await ips.with(tx).allocate(user.id, requested, now);
        for (const row of created) await billing.meter(tx, user.id, IP_METER_KIND, row.ip_id, IP_HOURLY_PRICE, instant);
        return created;
      }));
      return reply.json({ total: rows.length, ips: rows.map(ipView) });
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/v1/ips', operationId: 'listIps', tag: TAG,
    summary: 'List public IPs, newest first', auth: 'token',
    query: listIpsQuery,
    errors: ['IP_SERVER_ERROR', 'IP_NO_SUCH_USER'],
    internalError: 'IP_SERVER_ERROR',
    success: { status: 200, description: '{total, ips}', ...ipPage },
    async handler({ query, user, services }) {
      const ips = ipStore(services);
      const page = await guarded('IP_SERVER_ERROR', async () => {
        await ips.settleBindings(services.clock.iso());
        return ips.list(user.id, { status: query.status?.toLowerCase(), type: query.type?.toLowerCase() }, query.offset, query.limit);
      });
      return reply.json({ total: page.total, ips: page.rows.map(ipView) });
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/v1/ips/quota', operationId: 'getIpQuota', tag: TAG,
    summary: 'Per-type IP quotas and usage', auth: 'token',
    errors: ['IP_SERVER_ERROR', 'IP_NO_SUCH_USER'],
    internalError: 'IP_SERVER_ERROR',
    success: { status: 200, description: 'quota and usage per type', ...ipQuota },
    async handler({ user, services }) {
      const used = await guarded('IP_SERVER_ERROR', () => ipStore(services).counts(user.id));
      const quotas = IP_TYPES.map((type) => ({ type, quota: quotaOf(user.quotas, type), used: used[type] }));
      return reply.json({
        total: quotas.reduce((n, q) => n + q.quota, 0),
        used: quotas.reduce((n, q) => n + q.used, 0),
        quotas,
      });
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/v1/ips/:id', operationId: 'getIp', tag: TAG,
    summary: 'One public IP', auth: 'token',
    errors: ['NO_SUCH_IP', 'IP_SERVER_ERROR', 'IP_NO_SUCH_USER'],
    internalError: 'IP_SERVER_ERROR',
    success: { status: 200, description: 'the IP object', ...ipOne },
    async handler({ params, user, services }) {
      const ips = ipStore(services);
      const row = await guarded('IP_SERVER_ERROR', async () => {
        await ips.settleBindings(services.clock.iso());
        return ips.find(user.id, normalizeIpId(params.id));
      });
      if (!row) throw new ApiError('NO_SUCH_IP');
      return reply.json(ipView(row));
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/v1/ips/:id/cost', operationId: 'getIpCost', tag: TAG,
    summary: 'What the IP has been charged so far (billing records)', auth: 'token',
    errors: ['NO_SUCH_IP', 'IP_SERVER_ERROR', 'IP_NO_SUCH_USER'],
    internalError: 'IP_SERVER_ERROR',
    success: { status: 200, description: 'what the IP has cost so far', ...ipCost },
    async handler({ params, user, services }) {
      const row = await guarded('IP_SERVER_ERROR', () => ipStore(services).find(user.id, normalizeIpId(params.id)));
      if (!row) throw new ApiError('NO_SUCH_IP');
      const accrued = await guarded('IP_SERVER_ERROR', () => services.resources.billing.accrued(user.id, IP_METER_KIND, row.ip_id));
      return reply.json(costView(row.ip_id, accrued?.amount ?? 0));
    },
  }),
  defineRoute({
    method: 'DELETE', path: '/api/v1/ips/:id', operationId: 'releaseIp', tag: TAG,
    summary: 'Release an unbound public IP', auth: 'token', mutates: true,
    errors: ['NO_SUCH_IP', 'LB_IP_IS_USING', 'DELETE_IP_FAIL', 'IP_NO_SUCH_USER'],
    internalError: 'DELETE_IP_FAIL',
    success: { status: 200, description: 'the released IP (status deleted, no service_type)', ...ipReleased },
    async handler({ params, user, services }) {
      const ips = ipStore(services);
      const now = services.clock.iso();
      const row = await guarded('DELETE_IP_FAIL', () => inUserTransaction(services.store, user.id, async (tx) => {
        const found = await ips.with(tx).find(user.id, normalizeIpId(params.id));
        if (!found) throw new ApiError('NO_SUCH_IP');
        checkReleasable(found);
        await ips.with(tx).remove(found.id);
        await services.resources.billing.unmeter(tx, user.id, IP_METER_KIND, found.ip_id);
        return found;
      }));
      return reply.json(releasedView(row, now));
    },
  }),
];
