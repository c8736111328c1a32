import { ApiError } from '../../catalog/index.ts';
import { parseId } from '../../http/ids.ts';
import { defineRoute, reply } from '../../http/route.ts';
import { isUniqueViolation, lockUser } from '../../store/db.ts';
import { ensureActive, ensureDefaultNamespace, ownerOf, platformName, TAG } from './common.ts';
import { imageList, namespaceBody, namespaceCreated, namespaceList } from './schemas.ts';
import { allocateIds, namespaceById } from './store.ts';
import { publicImages } from '../registry/public-images.ts';

export const namespaceRoutes = [
  defineRoute({
    method: 'POST', path: '/api/v1/namespaces', operationId: 'createNamespace', tag: TAG,
    summary: 'Create a namespace', auth: 'token',
    body: namespaceBody,
    errors: ['LB_DUPLICATE_RESOURCE', 'USER_STATUS_ABNORMAL', 'IP_QUOTA_INSUFFICIENT'],
    success: { status: 200, description: 'the new id under both documented spellings', ...namespaceCreated },
    bodyExample: { name: 'my-ev' },
    async handler({ body, user, services }) {
      await ensureDefaultNamespace(services, user);
      const { db, dialect } = services.store;
      try {
        const id = await db.transaction().execute(async (tx) => {
          await lockUser(tx, dialect, user.id);
          const taken = await tx.selectFrom('ms_namespaces').select('id').where('user_id', '=', user.id).where('display_name', '=', body.name).executeTakeFirst();
          if (taken) throw new ApiError('LB_DUPLICATE_RESOURCE');
          ensureActive(user);
          const { count } = await tx.selectFrom('ms_namespaces').select((eb) => eb.fn.countAll<string | number>().as('count')).where('user_id', '=', user.id).executeTakeFirstOrThrow();
          if (Number(count) >= user.quotas.namespaces!) throw new ApiError('IP_QUOTA_INSUFFICIENT');
          const [nsId] = await allocateIds(tx, dialect, 1);
          await tx.insertInto('ms_namespaces').values({
            id: nsId!, user_id: user.id, display_name: body.name, namespace: platformName(body.name, user.user_name), service_count: 0, created_at: services.clock.iso(),
          }).execute();
          return nsId!;
        });
        return reply.json({ namespace_id: id, namespace_Id: id });
      } catch (err) {
        if (isUniqueViolation(err)) throw new ApiError('LB_DUPLICATE_RESOURCE');
        throw err;
      }
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/v1/namespaces', operationId: 'listNamespaces', tag: TAG,
    summary: 'List the caller’s namespaces, newest first', auth: 'token',
    errors: [],
    success: { status: 200, description: 'every namespace of the caller, default included', ...namespaceList },
    async handler({ user, services }) {
      await ensureDefaultNamespace(services, user);
      const rows = await services.store.db.selectFrom('ms_namespaces').select(['id', 'display_name', 'namespace', 'service_count'])
        .where('user_id', '=', user.id).orderBy('id', 'desc').execute();
      return reply.json({
        namespaces: rows.map((r) => ({
          deletable: r.display_name !== 'default' && Number(r.service_count) === 0,
          id: Number(r.id), display_name: r.display_name, namespace: r.namespace,
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
      await ensureDefaultNamespace(services, user);
      const id = parseId(params.id);
      const { db, dialect } = services.store;
      await db.transaction().execute(async (tx) => {
        await lockUser(tx, dialect, user.id);
        const ns = id === undefined ? undefined : await namespaceById(tx, user.id, id);
        if (!ns) throw new ApiError('NO_SUCH_NAMESPACE');
        if (ns.display_name === 'default' || ns.service_count > 0) throw new ApiError('LB_ACTION_FORBIDDEN');
        ensureActive(user);
        await tx.deleteFrom('ms_namespaces').where('id', '=', ns.id).execute();
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
      await ensureDefaultNamespace(services, user);
      const custom = await services.resources.images.userImages(ownerOf(user));
      const item = (i: { tag: string; repo_id?: number; repo_name: string; image_path: string }) => ({ tag: i.tag, repo_id: i.repo_id ?? null, repo_name: i.repo_name, image_path: i.image_path });
      return reply.json({ custom_images: custom.map(item), public_images: publicImages(services.config.registryHost).map(item) });
    },
  }),
];
