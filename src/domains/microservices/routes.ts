import { ApiError } from '../../catalog/index.ts';
import { parseId } from '../../http/ids.ts';
import { defineRoute, reply } from '../../http/route.ts';
import { NONE, translating } from '../../errors.ts';
import { inUserTransaction } from '../../store/transaction.ts';
import { ensureActive, ownerOf, TAG } from './common.ts';
import type { Microservices } from './domain.ts';
import { settle, submit, templateOf, toTemplate } from './lifecycle.ts';
import { checkBilling, loadService, METER_KIND, via } from './operations.ts';
import { IMAGE_PATH, toCreateInput } from './rules.ts';
import { createBody, createExample, deleteQuery, listQuery, serviceCreated, serviceDetail, serviceList } from './schemas.ts';
import { hourlyPrice, specByAlias, specByLegacyId } from './specs.ts';
import { detail, listItem } from './views.ts';
import { updateRoutes } from './update-routes.ts';


/** Looks a spec up by the parsed choice: 4040118 when well formed but not in the table. */
export function specOf(choice: { alias: string } | { id: number }) {
  const spec = 'alias' in choice ? specByAlias(choice.alias) : specByLegacyId(choice.id);
  if (!spec) throw new ApiError('NO_SUCH_SPEC');
  return spec;
}

const createRoute = (ms: Microservices) => defineRoute({
  method: 'POST', path: '/api/v1/microservices', operationId: 'createMicroservice', tag: TAG,
  summary: 'Create a stateless or stateful microservice (asynchronous: creating → create_succ)', auth: 'token',
  body: createBody,
  errors: [
    'NO_SUCH_NAMESPACE', 'NO_SUCH_SPEC', 'NO_SUCH_REPOSITORY', 'NO_SUCH_IMAGE', 'IMAGE_STATUS_ABNORMAL',
    'MICROSERVICE_FAVORITE_REPOSITORY_PRIVATE', 'NO_SUCH_SECRET_KEY', 'NO_SUCH_CLOUD_VOLUME', 'VOLUME_STATUS_ABNORMAL', 'VOLUME_CANT_OPERATE_IN_CURRENT_STATE',
    'MICROSERVICE_VOLUME_INFO_INVALID', 'MICROSERVICE_PUBLIC_NETWORK_INFO_INVALID', 'NO_SUCH_IP', 'LB_IP_IS_USING', 'DUPLICATE_MICROSERVICE_NAME',
    'USER_STATUS_ABNORMAL', 'APP_QUOTA_INSUFFICIENT', 'REPLICATION_QUOTA_INSUFFICIENT', 'CONTAINER_QUOTA_INSUFFICIENT',
    'MICROSERVICE_ACCOUNT_BALANCE_INSUFFICIENT', 'MICROSERVICE_FROZEN_FEE_FAIL', 'MICROSERVICE_SYSTEM_BUSY',
    'MICROSERVICE_UPDATE_VOLUME_INFO_FAIL', 'CREATE_CONTAINER_ERROR', 'MICROSERVICE_FAIL',
  ],
  success: { status: 200, description: 'the new id as a decimal string', ...serviceCreated },
  bodyExample: createExample,
  async handler({ body, user, services }) {
    await ms.ensureDefaultNamespace(user);
    const input = toCreateInput(body);
    const { images, volumes, ips } = services.resources;
    const owner = ownerOf(user);

    const ns = input.namespace_id > 0 ? await ms.store.namespaceById(user.id, input.namespace_id) : undefined;
    if (!ns) throw new ApiError('NO_SUCH_NAMESPACE');
    const spec = specOf(input.spec);
    const imagePaths: string[] = [];
    for (const c of input.containers) {
      if (!IMAGE_PATH.test(c.image_path)) throw new ApiError('NO_SUCH_IMAGE');
      imagePaths.push((await images.resolve(owner, c.image_path)).image_path);
    }
    const keyNames = [...new Set(input.containers.flatMap((c) => c.ssh_keys))];
    if (keyNames.length) {
      const found = await services.resources.keys.existingNames(owner, keyNames);
      if (keyNames.some((k) => !found.has(k))) throw new ApiError('NO_SUCH_SECRET_KEY');
    }
    const volumeIds = input.containers.flatMap((c) => c.volumes.map((v) => v.volume_id));
    if (volumeIds.some((v) => !Number.isSafeInteger(v))) throw new ApiError('NO_SUCH_CLOUD_VOLUME');
    if (volumeIds.length) await volumes.checkAttachable(owner, volumeIds);
    if (input.ip_id) await ips.checkBindable(owner, input.ip_id, 'nce', { wrongType: 'MICROSERVICE_PUBLIC_NETWORK_INFO_INVALID', inUse: 'LB_IP_IS_USING' });

    const price = hourlyPrice(spec.alias, input.replicas, input.public_net);
    return ms.exclusive(`create:${ns.id}:${input.service_name}`, async () => {
      const id = await inUserTransaction(services.store, user.id, async (tx) => {
        const store = ms.store.with(tx);
        // The namespace may have been deleted since it was looked up (deletes hold the same user lock).
        if (!(await store.namespaceById(user.id, ns.id))) throw new ApiError('NO_SUCH_NAMESPACE');
        if (await store.serviceNameTaken(ns.id, input.service_name)) throw new ApiError('DUPLICATE_MICROSERVICE_NAME');
        ensureActive(user);
        const used = await store.usage(user.id);
        const q = user.quotas;
        if (used.services + 1 > q.services!) throw new ApiError('APP_QUOTA_INSUFFICIENT');
        if (used.replicas + input.replicas > q.replicas!) throw new ApiError('REPLICATION_QUOTA_INSUFFICIENT');
        if (used.containers + input.replicas * input.containers.length > q.containers!) throw new ApiError('CONTAINER_QUOTA_INSUFFICIENT');
        await checkBilling(services, tx, user.id, price);

        const [serviceId, ...containerIds] = await store.allocateIds(1 + input.containers.length);
        const now = services.clock.iso();
        const row = {
          id: serviceId!, user_id: user.id, namespace_id: ns.id, service_name: input.service_name, stateful: input.stateful ? 1 : 0,
          replicas: input.replicas, container_count: input.containers.length, status: 'creating', spec_alias: spec.alias,
          port_maps: JSON.stringify(input.port_maps), public_net: JSON.stringify(input.public_net), ip_id: input.ip_id, disk_type: input.disk_type,
          bill_info: input.bill_info, stop_service: 0, operation: null as string | null, due_at: null as string | null, created_at: now, updated_at: now,
        };
        const containers = input.containers.map((c, i) => ({
          id: containerIds[i]!, service_id: serviceId!, position: i, container_name: c.container_name, container_desc: c.container_desc,
          image_path: imagePaths[i]!, command: c.command, envs: JSON.stringify(c.envs), log_dirs: JSON.stringify(c.log_dirs),
          cpu_weight: c.cpu_weight, memory_weight: c.memory_weight, ssh_keys: JSON.stringify(c.ssh_keys), volumes: JSON.stringify(c.volumes),
        }));
        const record = await translating({ failure: 'CREATE_CONTAINER_ERROR', keep: NONE }, () => submit(ms, toTemplate(row, ns.namespace, containers), { kind: 'create' }));
        await store.insertService({ ...row, ...record }, containers);
        const mounts = input.containers.flatMap((c, i) => c.volumes.map((v) => ({ volumeId: v.volume_id, mountPath: v.mount_path, serviceContainerId: containerIds[i]! })));
        // Any refusal here (a volume that changed state since it was validated above, or a broken
        // subsystem) is a failed binding: 4000146 (microservices.md §1.4), and nothing is stored.
        if (mounts.length) await translating({ failure: 'MICROSERVICE_UPDATE_VOLUME_INFO_FAIL', keep: NONE }, () => volumes.attach(tx, owner, `${ns.display_name}/${input.service_name}`, mounts));
        if (input.ip_id) await via('MICROSERVICE_FAIL', () => ips.bind(tx, owner, input.ip_id!, { service_type: 'microservice', service_id: String(serviceId), service_name: input.service_name }));
        await services.resources.billing.meter(tx, user.id, METER_KIND, String(serviceId), price);
        return serviceId!;
      }, 'DUPLICATE_MICROSERVICE_NAME');
      return reply.json({ service_id: String(id) });
    });
  },
});

const detailRoute = (ms: Microservices, v2: boolean) => defineRoute({
  method: 'GET', path: v2 ? '/api/v1/microservices/:id/detail' : '/api/v1/microservices/:id', operationId: v2 ? 'getMicroserviceDetailV2' : 'getMicroservice', tag: TAG,
  summary: v2 ? 'Service detail with pod names' : 'Service detail', auth: 'token',
  errors: ['NO_SUCH_MICROSERVICE'],
  success: { status: 200, description: 'the service and its containers' + (v2 ? ', with pod names' : ''), ...serviceDetail(v2) },
  async handler({ params, user, services }) {
    const svc = await loadService(ms, user, params.id);
    const owner = ownerOf(user);
    const namespace = await ms.store.platformNameOf(svc.namespace_id);
    const containers = await ms.store.containersOf(svc.id);
    const pods = await ms.store.podsOf(svc.id);
    const net = JSON.parse(svc.public_net) as { used: boolean };
    const pubIp = svc.ip_id && net.used ? await services.resources.ips.address(owner, svc.ip_id) : null;
    const volumeIds = containers.flatMap((c) => (JSON.parse(c.volumes) as Array<{ volume_id: number }>).map((v) => v.volume_id));
    const names = volumeIds.length ? await services.resources.volumes.names(owner, volumeIds) : new Map<number, string>();
    return reply.json(detail(svc, namespace, pubIp, containers, pods, names, v2));
  },
});

/** A validated paging value as a number; beyond 2^53 − 1 it is capped there (no namespace holds that many). */
function pageValue(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = BigInt(text);
  return n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
}

const listRoute = (ms: Microservices) => defineRoute({
  method: 'GET', path: '/api/v1/namespaces/:id/microservices', operationId: 'listMicroservices', tag: TAG,
  summary: 'Services of a namespace, newest first, paged by offset/limit', auth: 'token',
  query: listQuery,
  errors: ['NO_SUCH_NAMESPACE'],
  success: { status: 200, description: 'a page of the namespace\'s services, newest first', ...serviceList },
  async handler({ params, query, user, services }) {
    await ms.ensureDefaultNamespace(user);
    const id = parseId(params.id);
    const ns = id === undefined ? undefined : await ms.store.namespaceById(user.id, id);
    if (!ns) throw new ApiError('NO_SUCH_NAMESPACE');
    const offset = pageValue(query.offset, 0);
    const limit = query.limit === undefined ? undefined : pageValue(query.limit, 0);
    // The total is the namespace's counter; the page is read through the index (MicroserviceStore.page).
    const rows = await ms.store.page(ns.id, ns.service_count, offset, limit);
    // Like detail, the list never shows a busy status past its due time (the due task may not have run yet).
    const now = services.clock.now();
    const nowIso = now.toISOString();
    const items = [];
    for (const row of rows) {
      // Due: the whole row is read and settled (a service deleted meanwhile is shown as it was read).
      const full = row.due_at && row.due_at <= nowIso ? await ms.store.serviceById(user.id, row.id) : undefined;
      items.push(listItem(full ? await settle(ms, full, now) : row));
    }
    return reply.json({ total: ns.service_count, microservice_infos: items });
  },
});

const deleteRoute = (ms: Microservices) => defineRoute({
  method: 'DELETE', path: '/api/v1/microservices/:id', operationId: 'deleteMicroservice', tag: TAG,
  summary: 'Delete a service, its pods and bindings (free_ip=true releases its IP)', auth: 'token',
  query: deleteQuery,
  errors: ['NO_SUCH_MICROSERVICE', 'USER_STATUS_ABNORMAL', 'MICROSERVICE_SYSTEM_BUSY', 'MICROSERVICE_UPDATE_VOLUME_INFO_FAIL', 'DELETE_IP_FAIL', 'DELETE_CONTAINER_ERROR'],
  success: { status: 200, description: 'empty body' },
  async handler({ params, query, user, services }) {
    const svc = await loadService(ms, user, params.id);
    const freeIp = query.free_ip;
    ensureActive(user);
    const owner = ownerOf(user);
    return ms.exclusive(`svc:${svc.id}`, async () => {
      const template = await templateOf(ms.store, svc);
      await translating({ failure: 'DELETE_CONTAINER_ERROR', keep: NONE }, () => ms.runtime.remove(template));
      const volumeIds = template.containers.flatMap((c) => c.volumes.map((v) => v.volumeId));
      await inUserTransaction(services.store, user.id, async (tx) => {
        if (!(await ms.store.with(tx).deleteService(svc))) throw new ApiError('NO_SUCH_MICROSERVICE');
        if (volumeIds.length) await via('MICROSERVICE_UPDATE_VOLUME_INFO_FAIL', () => services.resources.volumes.detach(tx, owner, volumeIds));
        if (svc.ip_id) await via(freeIp ? 'DELETE_IP_FAIL' : 'NCE_INTERNAL_SERVER_ERROR', () => services.resources.ips.unbind(tx, owner, svc.ip_id!, freeIp));
        await services.resources.billing.unmeter(tx, user.id, METER_KIND, String(svc.id));
      });
      return reply.empty();
    });
  },
});

export const microserviceRoutes = (ms: Microservices) => [createRoute(ms), listRoute(ms), detailRoute(ms, false), detailRoute(ms, true), deleteRoute(ms), ...updateRoutes(ms)];
