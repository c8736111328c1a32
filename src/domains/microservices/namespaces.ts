import { ApiError } from '../../catalog/index.ts';
import { parseId } from '../../http/ids.ts';
import { defineRoute, reply } from '../../http/route.ts';
import { inUserTransaction } from '../../store/transaction.ts';
import { ensureActive, ownerOf, platformName, TAG } from './common.ts';
import type { Microservices } from './domain.ts';
import { imageList, namespaceBody, namespaceCreated, namespaceList } from './schemas.ts';

export const namespaceRoutes = (ms: Microservices) => [
  defineRoute({
    method: 'POST', path: '/api/v1/namespaces', operationId: 'createNamespace', tag: TAG,
    summary: 'Create a namespace', auth: 'token',
    body: namespaceBody,
    errors: ['LB_DUPLICATE_RESOURCE', 'USER_STATUS_ABNORMAL', 'IP_QUOTA_INSUFFICIENT'],
    success: { status: 200, description: 'the new id under both documented spellings', ...namespaceCreated },
    bodyExample: { name: 'my-ev' },
    async handler({ body, user, services }) {
      await ms.ensureDefaultNamespace(user);
      const id = await inUserTransaction(services.store, user.id, async (tx) => {
        const namespaces = ms.store.with(tx);
        if (await namespaces.namespaceExists(user.id, body.name)) throw new ApiError('LB_DUPLICATE_RESOURCE');
        ensureActive(user);
        if (await namespaces.namespaceCount(user.id) >= user.quotas.namespaces!) throw new ApiError('IP_QUOTA_INSUFFICIENT');
        return namespaces.insertNamespace({ userId: user.id, displayName: body.name, namespace: platformName(body.name, user.user_name), createdAt: services.clock.iso() });
      }, 'LB_DUPLICATE_RESOURCE');
      return reply.json({ namespace_id: id, namespace_Id: id });
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/v1/namespaces', operationId: 'listNamespaces', tag: TAG,
    summary: 'List the caller’s namespaces, newest first', auth: 'token',
    errors: [],
    success: { status: 200, description: 'every namespace of the caller, default included', ...namespaceList },
    async handler({ user, services }) {
      await ms.ensureDefaultNamespace(user);
      const rows = await ms.store.namespaces(user.id);
      const holdingLbs = await services.resources.loadBalancers.namespacesInUse(user.id);
      return reply.json({
        namespaces: rows.map((r) => ({
          deletable: r.display_name !== 'default' && r.service_count === 0 && !holdingLbs.has(r.namespace),
          id: r.id, display_name: r.display_name, namespace: r.namespace,
        })),
      });
    },
  }),
  defineRoute({
    method: 'DELETE', path: '/api/v1/namespaces/:id', operationId: 'deleteNamespace', tag: TAG,
    summary: 'Delete an empty namespace (never `default`)', auth: 'token',
    errors: ['NO_SUCH_NAMESPACE', 'LB_ACTION_FORBIDDEN', 'USER_STATUS_ABNORMAL'],
    success: { status: 200, description: 'empty body' },
    async handler({ params, user, services }) {
      await ms.ensureDefaultNamespace(user);
      const id = parseId(params.id);
      await inUserTransaction(services.store, user.id, async (tx) => {
        const namespaces = ms.store.with(tx);
        const ns = id === undefined ? undefined : await namespaces.namespaceById(user.id, id);
        if (!ns) throw new ApiError('NO_SUCH_NAMESPACE');
        // Not while it holds services, nor load balancers (load-balancers.md, Overview; docs/loadbalancers.md).
        const holdingLbs = await services.resources.loadBalancers.namespacesInUse(user.id, tx);
        if (ns.display_name === 'default' || ns.service_count > 0 || holdingLbs.has(ns.namespace)) throw new ApiError('LB_ACTION_FORBIDDEN');
        ensureActive(user);
        await namespaces.deleteNamespace(ns.id);
      });
      return reply.empty();
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/v1/microservices/images', operationId: 'listServiceImages', tag: TAG,
    summary: 'Images usable for services: the caller’s own and favourited, and the official ones', auth: 'token',
    errors: [],
    success: { status: 200, description: 'images of own and favourited repositories, and the official ones', ...imageList },
    async handler({ user, services }) {
      await ms.ensureDefaultNamespace(user);
      const custom = await services.resources.images.userImages(ownerOf(user));
      const item = (i: { tag: string; repo_id?: number; repo_name: string; image_path: string }) => ({ tag: i.tag, repo_id: i.repo_id ?? null, repo_name: i.repo_name, image_path: i.image_path });
      return reply.json({ custom_images: custom.map(item), public_images: services.resources.images.officialImages().map(item) });
    },
  }),
];
