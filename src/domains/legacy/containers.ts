/** Single containers (legacy-containers-apps.md, "Containers"). */
import { ApiError } from '../../catalog/index.ts';
import { NONE, translating } from '../../errors.ts';
import { parseId } from '../../http/ids.ts';
import { defineRoute, reply, type AuthUser } from '../../http/route.ts';
import type { Updateable } from 'kysely';
import { inUserTransaction } from '../../store/transaction.ts';
import type { LegacyContainersTable } from '../../store/tables/legacy.ts';
import type { Legacy } from './lifecycle.ts';
import type { ContainerRow } from './store.ts';
import { checkContainerDeletable, checkContainerStable, checkQuota, checkSpecAllowed, epochMs, megabytes, quotaOf } from './rules.ts';
import { createContainerBody, flowQuery, pageQuery, saveImageBody, updateContainerBody } from './schemas.ts';
import { containerCreated, containerOne, containerPage, examples, flow, imageList, imageSaved } from './responses.ts';
import { containerView } from './views.ts';

const TAG = 'containers (beta)';
const BASE = '/api/v1/containers';
const owner = (user: AuthUser) => ({ id: user.id, user_name: user.user_name });


/** Page values: `limit` default 20; an offset past every row is simply past the end. */
export function page(query: { limit?: number; offset?: string }): { limit: number; offset: number } {
  return { limit: query.limit ?? 20, offset: Math.min(Number(query.offset ?? 0), Number.MAX_SAFE_INTEGER) };
}

export function imageListRoute(path: string, operationId: string, tag: string) {
  return defineRoute({
    method: 'GET', path, operationId, tag, summary: 'Public images and the caller’s built tags (custom images)', auth: 'token',
    errors: [],
    success: { status: 200, description: '{custom_images, public_images}', ...imageList },
    async handler({ user, services }) {
      const images = await services.resources.images.legacyImages(owner(user));
      const view = ({ image_path: _path, ...image }: { image_path: string }) => image;
      return reply.json({ custom_images: images.custom.map(view), public_images: images.public.map(view) });
    },
  });
}

export function containerRoutes(legacy: Legacy) {
  const { services } = legacy;
  const { store, clock } = services;
  /** The caller's container after completing its due operation (a read never shows a stale status). */
  const current = async (user: AuthUser, id: string | undefined) => {
    await legacy.settle(clock.now(), user.id);
    return legacy.containers.require(user.id, parseId(id));
  };
  /** Runs `work` on the caller's container under the user's lock, once `check` accepted its status. */
  const change = async (user: AuthUser, id: string | undefined, check: (status: string) => void, work: (rows: typeof legacy.containers, row: ContainerRow) => Promise<void>) => {
    await legacy.settle(clock.now(), user.id);
    await inUserTransaction(store, user.id, async (tx) => {
      const rows = legacy.containers.with(tx);
      const row = await rows.require(user.id, parseId(id));
      check(row.status);
      await work(rows, row);
    });
  };

  return [
    imageListRoute(`${BASE}/images`, 'listLegacyContainerImages', TAG),
    defineRoute({
      method: 'POST', path: BASE, operationId: 'createLegacyContainer', tag: TAG,
      summary: 'Create a container (asynchronous: creating → create_succ)', auth: 'token', mutates: true,
      body: createContainerBody, bodyExample: examples.createContainer,
      errors: ['NO_SUCH_IMAGE', 'NO_SUCH_SECRET_KEY', 'DUPLICATE_CONTAINER_NAME', 'CONTAINER_QUOTA_INSUFFICIENT', 'LEGACY_IP_QUOTA_INSUFFICIENT', 'CREATE_CONTAINER_ERROR'],
      internalError: 'CREATE_CONTAINER_ERROR',
      success: { status: 201, description: 'the new container’s id', ...containerCreated },
      async handler({ body, user }) {
        const image = await services.resources.images.legacyImage(owner(user), body.image_type, body.image_id);
        if (!image) throw new ApiError('NO_SUCH_IMAGE');
        checkSpecAllowed(image, body.charge_type, body.spec_id);
        const sshKeyIds = body.ssh_key_ids ?? [];
        const known = await services.resources.keys.existingIds(owner(user), sshKeyIds);
        if (sshKeyIds.some((id) => !known.has(id))) throw new ApiError('NO_SUCH_SECRET_KEY');
        // Package billing always includes a public IP; fields that do not apply are stored as null.
        const publicNetwork = body.charge_type === 1 ? 1 : body.use_public_network!;
        const networkChargeType = publicNetwork === 1 ? body.network_charge_type ?? (body.charge_type === 1 ? 1 : null) : null;
        const bandwidth = networkChargeType === 1 ? body.bandwidth ?? null : null;
        const now = clock.iso();
        const id = await inUserTransaction(store, user.id, async (tx) => {
          const rows = legacy.containers.with(tx);
          if (await rows.nameTaken(user.id, body.name)) throw new ApiError('DUPLICATE_CONTAINER_NAME');
          checkQuota(await rows.count(user.id), 1, quotaOf(user.quotas, 'legacy_containers'), 'CONTAINER_QUOTA_INSUFFICIENT');
          if (publicNetwork === 1) checkQuota(await rows.count(user.id, 'use_public_network', 1), 1, quotaOf(user.quotas, 'legacy_ips'), 'LEGACY_IP_QUOTA_INSUFFICIENT');
          const newId = await rows.insert({
            user_id: user.id, name: body.name, desc: body.desc ?? '', status: 'creating', charge_type: body.charge_type, spec_id: body.spec_id,
            image_type: body.image_type, image_id: body.image_id, image_path: image.image_path, ssh_key_ids: JSON.stringify(sshKeyIds),
            env_var: JSON.stringify(body.env_var ?? {}), use_public_network: publicNetwork, network_charge_type: networkChargeType,
            bandwidth, public_ip: null, pods: '[]', operation: null, due_at: null, created_at: now, updated_at: now,
          });
          const row = (await rows.byId(newId))!;
          const recorded = await translating({ failure: 'CREATE_CONTAINER_ERROR', keep: NONE }, () => legacy.submit(legacy.containerTemplate(row), { kind: 'create' }));
          await rows.update(newId, recorded);
          return newId;
        }, 'DUPLICATE_CONTAINER_NAME');
        return reply.json({ id }, 201);
      },
    }),
    defineRoute({
      method: 'GET', path: BASE, operationId: 'listLegacyContainers', tag: TAG,
      summary: 'List the caller’s containers, newest first', auth: 'token',
      query: pageQuery,
      errors: [],
      success: { status: 200, description: '{total, containers}', ...containerPage },
      async handler({ query, user }) {
        await legacy.settle(clock.now(), user.id);
        const { limit, offset } = page(query);
        const { total, rows } = await legacy.containers.list(user.id, limit, offset);
        return reply.json({ total, containers: rows.map(containerView) });
      },
    }),
    defineRoute({
      method: 'GET', path: `${BASE}/:containerId`, operationId: 'getLegacyContainer', tag: TAG,
      summary: 'Get one container', auth: 'token',
      errors: ['NO_SUCH_CONTAINER'],
      success: { status: 200, description: 'the container', ...containerOne },
      async handler({ params, user }) {
        return reply.json(containerView(await current(user, params.containerId)));
      },
    }),
    defineRoute({
      method: 'PUT', path: `${BASE}/:containerId`, operationId: 'updateLegacyContainer', tag: TAG,
      summary: 'Change description (at once) or billing and network (updating → update_succ)', auth: 'token', mutates: true,
      body: updateContainerBody, bodyExample: examples.updateContainer,
      errors: ['NO_SUCH_CONTAINER', 'CONTAINER_STATUS_ABNORMAL', 'MISSING_PARAMETERS', 'LEGACY_IP_QUOTA_INSUFFICIENT', 'NCE_INTERNAL_SERVER_ERROR'],
      success: { status: 200, description: 'empty body' },
      async handler({ params, body, user }) {
        await change(user, params.containerId, checkContainerStable, async (rows, row) => {
          const chargeType = body.charge_type ?? row.charge_type;
          const publicNetwork = chargeType === 1 ? 1 : row.use_public_network;
          let networkChargeType = row.network_charge_type;
          let bandwidth = row.bandwidth;
          if (publicNetwork === 1) {
            networkChargeType = body.network_charge_type ?? row.network_charge_type;
            if (networkChargeType === null) throw new ApiError('MISSING_PARAMETERS', { param: 'network_charge_type' });
            bandwidth = networkChargeType === 1 ? body.bandwidth ?? row.bandwidth : null;
            if (networkChargeType === 1 && bandwidth === null) throw new ApiError('MISSING_PARAMETERS', { param: 'bandwidth' });
          }
          if (publicNetwork === 1 && row.use_public_network === 0) {
            checkQuota(await rows.count(user.id, 'use_public_network', 1), 1, quotaOf(user.quotas, 'legacy_ips'), 'LEGACY_IP_QUOTA_INSUFFICIENT');
          }
          const now = clock.iso();
          const changes: Updateable<LegacyContainersTable> = {};
          if (body.desc !== undefined && body.desc !== row.desc) changes.desc = body.desc;
          const billingChanged = chargeType !== row.charge_type || publicNetwork !== row.use_public_network
            || networkChargeType !== row.network_charge_type || bandwidth !== row.bandwidth;
          if (billingChanged) {
            Object.assign(changes, { charge_type: chargeType, use_public_network: publicNetwork, network_charge_type: networkChargeType, bandwidth });
            const next = { ...row, ...changes } as typeof row;
            Object.assign(changes, await translating({ failure: 'NCE_INTERNAL_SERVER_ERROR', keep: NONE },
              () => legacy.submit(legacy.containerTemplate(next), { kind: 'update', rollout: false })));
          }
          if (Object.keys(changes).length > 0) await rows.update(row.id, { ...changes, updated_at: now });
        });
        return reply.empty();
      },
    }),
    defineRoute({
      method: 'DELETE', path: `${BASE}/:containerId`, operationId: 'deleteLegacyContainer', tag: TAG,
      summary: 'Delete a container (not while an operation is in progress)', auth: 'token', mutates: true,
      errors: ['NO_SUCH_CONTAINER', 'CONTAINER_STATUS_ABNORMAL', 'DELETE_CONTAINER_ERROR'],
      internalError: 'DELETE_CONTAINER_ERROR',
      success: { status: 200, description: 'empty body' },
      async handler({ params, user }) {
        await change(user, params.containerId, checkContainerDeletable, async (rows, row) => {
          await rows.remove(row.id);
          // Last: a refusal of the runtime rolls the removal back.
          await translating({ failure: 'DELETE_CONTAINER_ERROR', keep: NONE }, () => legacy.runtime.remove(legacy.containerTemplate(row)));
        });
        return reply.empty();
      },
    }),
    defineRoute({
      method: 'PUT', path: `${BASE}/:containerId/actions/restart`, operationId: 'restartLegacyContainer', tag: TAG,
      summary: 'Restart a container (updating → update_succ; any body is ignored)', auth: 'token', mutates: true,
      body: 'ignored',
      errors: ['NO_SUCH_CONTAINER', 'CONTAINER_STATUS_ABNORMAL', 'NCE_INTERNAL_SERVER_ERROR'],
      success: { status: 200, description: 'empty body' },
      async handler({ params, user }) {
        await change(user, params.containerId, checkContainerStable, async (rows, row) => {
          const recorded = await translating({ failure: 'NCE_INTERNAL_SERVER_ERROR', keep: NONE },
            () => legacy.submit(legacy.containerTemplate(row), { kind: 'restart', hard: false }));
          await rows.update(row.id, { ...recorded, updated_at: clock.iso() });
        });
        return reply.empty();
      },
    }),
    defineRoute({
      method: 'POST', path: `${BASE}/:containerId/tag`, operationId: 'saveLegacyContainerAsImage', tag: TAG,
      summary: 'Save a container as an image: a tag in the caller’s repository (created if needed)', auth: 'token', mutates: true,
      body: saveImageBody, bodyExample: examples.saveImage,
      errors: ['NO_SUCH_CONTAINER', 'CONTAINER_STATUS_ABNORMAL', 'IMAGE_STATUS_ABNORMAL', 'IMAGE_QUOTA_INSUFFICIENT', 'TAG_QUOTA_INSUFFICIENT'],
      success: { status: 201, description: '{image_id} (a string)', ...imageSaved },
      async handler({ params, body, user }) {
        const row = await current(user, params.containerId);
        checkContainerStable(row.status);
        const id = await services.resources.images.saveTag(owner(user), {
          repositories: user.quotas.repositories ?? 10, tags: user.quotas.tags_per_repository ?? 100,
        }, body.repo_name, body.tag, row.image_path);
        return reply.json({ image_id: String(id) }, 201);
      },
    }),
    defineRoute({
      method: 'GET', path: `${BASE}/:containerId/flow`, operationId: 'getLegacyContainerFlow', tag: TAG,
      summary: 'Traffic of a container over a period, in MB', auth: 'token',
      query: flowQuery,
      errors: ['NO_SUCH_CONTAINER'],
      success: { status: 200, description: '{container_up_flow, container_down_flow}', ...flow },
      async handler({ params, query, user }) {
        const row = await current(user, params.containerId);
        const from = epochMs(query.from_time) ?? Date.parse(row.created_at);
        const to = epochMs(query.to_time) ?? clock.now().getTime();
        if (from > to) throw new ApiError('INVALID_PARAMETERS', { param: 'from_time' });
        // The simulated runtime meters no traffic: every period carries 0 bytes (docs/beta.md).
        return reply.json({ container_up_flow: megabytes(0), container_down_flow: megabytes(0) });
      },
    }),
  ];
}
