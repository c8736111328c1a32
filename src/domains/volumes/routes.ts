import { ApiError } from '../../catalog/index.ts';
import { parseId } from '../../http/ids.ts';
import { defineRoute, reply } from '../../http/route.ts';
import { formatIso } from '../../clock.ts';
import type { Services } from '../../services.ts';
import { inUserTransaction } from '../../store/transaction.ts';
import { checkDelete, checkResize, normalizeFormat, volumeHourlyPrice } from './rules.ts';
import { createVolumeBody, listVolumesQuery, operatorVolumeStateBody, pageValue, resizeVolumeQuery, volumeCreated, volumeOne, volumePage } from './schemas.ts';
import { METER_KIND, volumeView, VolumeStore } from './store.ts';

const TAG = 'cloud volumes';
const BASE = '/api/v1/cloud-volumes';
const MAX_PAGE = 20;

const volumesOf = (services: Services) => new VolumeStore(services.store.db);

export const volumeRoutes = [
  defineRoute({
    method: 'POST', path: BASE, operationId: 'createCloudVolume', tag: TAG,
    summary: 'Create a cloud volume (asynchronous: creating → create_succ)', auth: 'token', mutates: true,
    body: createVolumeBody,
    bodyExample: { volume_name: 'myvolume', format: 'Ext4', size: 10 },
    errors: ['DUPLICATE_CLOUD_VOLUME_NAME', 'VOLUME_BALANCE_INSUFFICIENT'],
    internalError: 'VOLUME_SYSTEM_BUSY',
    success: { status: 200, description: 'the id of the new volume', ...volumeCreated },
    async handler({ body, user, services }) {
      const { store, clock, config, resources } = services;
      const now = clock.now();
      const volume = {
        name: body.volume_name, size: body.size, format: normalizeFormat(body.format), now: formatIso(now),
        readyAt: formatIso(new Date(now.getTime() + config.volumeCreateDelaySeconds * 1000)),
      };
      const id = await inUserTransaction(store, user.id, async (tx) => {
        const volumes = volumesOf(services).with(tx);
        if (await volumes.nameTaken(user.id, volume.name)) throw new ApiError('DUPLICATE_CLOUD_VOLUME_NAME');
        await resources.billing.requireBalance(tx, user.id, 'VOLUME_BALANCE_INSUFFICIENT');
        const newId = await volumes.insert(user.id, volume);
        // Billed from the instant the volume reports as `created_at`.
        await resources.billing.meter(tx, user.id, METER_KIND, String(newId), volumeHourlyPrice(volume.size), now);
        return newId;
      }, 'DUPLICATE_CLOUD_VOLUME_NAME');
      return reply.json({ id });
    },
  }),
  defineRoute({
    method: 'GET', path: BASE, operationId: 'listCloudVolumes', tag: TAG,
    summary: 'List the caller’s cloud volumes, ascending id', auth: 'token',
    query: listVolumesQuery,
    errors: [],
    internalError: 'VOLUME_SYSTEM_BUSY',
    success: { status: 200, description: '{total, volumes}', ...volumePage },
    async handler({ query, user, services }) {
      const volumes = volumesOf(services);
      await volumes.settleCreating(services.clock.iso(), user.id);
      const limit = pageValue(query.limit, MAX_PAGE, MAX_PAGE);
      // An offset past every possible row is simply past the end.
      const offset = pageValue(query.offset, 0, Number.MAX_SAFE_INTEGER);
      const { total, rows } = await volumes.list(user.id, limit, offset);
      return reply.json({ total, volumes: rows.map(volumeView) });
    },
  }),
  defineRoute({
    method: 'GET', path: `${BASE}/:id`, operationId: 'getCloudVolume', tag: TAG,
    summary: 'Get one cloud volume', auth: 'token',
    errors: ['NO_SUCH_CLOUD_VOLUME'],
    internalError: 'VOLUME_SYSTEM_BUSY',
    success: { status: 200, description: 'the volume object', ...volumeOne },
    async handler({ params, user, services }) {
      const volumes = volumesOf(services);
      await volumes.settleCreating(services.clock.iso(), user.id);
      return reply.json(volumeView(await volumes.require(user.id, parseId(params.id))));
    },
  }),
  defineRoute({
    method: 'PUT', path: `${BASE}/:id/actions/resize`, operationId: 'resizeCloudVolume', tag: TAG,
    summary: 'Grow a cloud volume (size in the query string; any body is ignored)', auth: 'token', mutates: true,
    query: resizeVolumeQuery, body: 'ignored',
    errors: ['NO_SUCH_CLOUD_VOLUME', 'VOLUME_PARAM_INVALID', 'VOLUME_STATUS_ABNORMAL', 'VOLUME_CANT_OPERATE_IN_CURRENT_STATE', 'VOLUME_BALANCE_INSUFFICIENT'],
    internalError: 'VOLUME_SYSTEM_BUSY',
    success: { status: 200, description: 'resized (empty body)' },
    async handler({ params, query, user, services }) {
      const { store, clock, resources } = services;
      await inUserTransaction(store, user.id, async (tx) => {
        const volumes = volumesOf(services).with(tx);
        const now = clock.iso();
        await volumes.settleCreating(now, user.id);
        const volume = await volumes.require(user.id, parseId(params.id));
        checkResize(volume, query.size);
        await resources.billing.requireBalance(tx, user.id, 'VOLUME_BALANCE_INSUFFICIENT');
        await volumes.resize(volume.id, query.size, now);
        await resources.billing.meter(tx, user.id, METER_KIND, String(volume.id), volumeHourlyPrice(query.size));
      });
      return reply.empty();
    },
  }),
  defineRoute({
    method: 'DELETE', path: `${BASE}/:id`, operationId: 'deleteCloudVolume', tag: TAG,
    summary: 'Delete a cloud volume (not while attached or busy)', auth: 'token', mutates: true,
    errors: ['NO_SUCH_CLOUD_VOLUME', 'VOLUME_CANT_OPERATE_IN_CURRENT_STATE'],
    internalError: 'VOLUME_SYSTEM_BUSY',
    success: { status: 200, description: 'deleted (empty body)' },
    async handler({ params, user, services }) {
      const { store, clock, resources } = services;
      await inUserTransaction(store, user.id, async (tx) => {
        const volumes = volumesOf(services).with(tx);
        await volumes.settleCreating(clock.iso(), user.id);
        const volume = await volumes.require(user.id, parseId(params.id));
        checkDelete(volume);
        await volumes.remove(volume.id);
        await resources.billing.unmeter(tx, user.id, METER_KIND, String(volume.id));
      });
      return reply.empty();
    },
  }),
  defineRoute({
    method: 'PATCH', path: '/_opencomb/cloud-volumes/:id', operationId: 'operatorSetVolumeStatus', tag: 'operator',
    summary: 'Simulate a provisioning or attach outcome: set a volume’s status (e.g. creating → create_fail)', auth: 'operator',
    body: operatorVolumeStateBody,
    bodyExample: { status: 'create_fail' },
    errors: ['NO_SUCH_CLOUD_VOLUME'],
    success: { status: 200, description: 'the volume object', ...volumeOne },
    async handler({ params, body, services }) {
      const { clock, config } = services;
      const id = parseId(params.id);
      const now = clock.now();
      // `creating` starts provisioning again (done after the configured delay), so the settled volume's
      // `updated_at` (= `ready_at`) never goes back before this change.
      const readyAt = body.status === 'creating' ? formatIso(new Date(now.getTime() + config.volumeCreateDelaySeconds * 1000)) : undefined;
      const updated = id === undefined ? undefined : await volumesOf(services).setStatus(id, body.status, formatIso(now), readyAt);
      if (!updated) throw new ApiError('NO_SUCH_CLOUD_VOLUME');
      return reply.json(volumeView(updated));
    },
  }),
];
