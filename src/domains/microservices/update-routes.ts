/** The changing endpoints of a service (microservices.md §3.10–§3.17): settings, ports, scale, image, spec, restarts. */
import { ApiError, isApiError } from '../../catalog/index.ts';
import { defineRoute, reply, type Method } from '../../http/route.ts';
import { f, schema } from '../../http/schema.ts';
import { lockUser } from '../../store/db.ts';
import { ensureActive, ownerOf, TAG } from './common.ts';
import type { Microservices } from './domain.ts';
import { checkOperable, templateOf } from './lifecycle.ts';
import { applyOperation, checkBilling, loadService, METER_KIND, priceOf } from './operations.ts';
import { checkWeights, IMAGE_PATH, samePortMaps, specChoice, splitImagePath, type PortMap, type PublicNet } from './rules.ts';
import { codes, specificationQuery, updateImageBody, updatePortBody, updateStatefulBody, updateStatelessBody } from './schemas.ts';
import { specByAlias, specByLegacyId } from './specs.ts';
import type { Tx } from '../../store/db.ts';
import type { Services } from '../../services.ts';

const COMMON = ['NO_SUCH_MICROSERVICE', 'MICROSERVICE_ABANDONED_DUE_TO_ARREARAGE', 'USER_STATUS_ABNORMAL', 'MICROSERVICE_SYSTEM_BUSY'] as const;

/** Re-meters the service at its new hourly price (the price change applies from the next hour). */
function remeter(services: Services, userId: number, serviceId: number, price: number) {
  return (tx: Tx) => services.resources.billing.meter(tx, userId, METER_KIND, String(serviceId), price);
}

const updateStateless = (ms: Microservices) => defineRoute({
  method: 'PUT', path: '/api/v1/microservices/:id/actions/update-stateless', operationId: 'updateStatelessMicroservice', tag: TAG,
  summary: 'Change env vars, log dirs and weights of a stateless service (all pods replaced)', auth: 'token',
  body: updateStatelessBody,
  bodyExample: { container_infos: [{ container_id: 50883, envs: [{ key: 'password', value: 'password' }, { key: 'user', value: 'user' }], log_dirs: ['/var/log/', '/var/logs/'], cpu_weight: 100, memory_weight: 100 }] },
  errors: [...COMMON, 'MICROSERVICE_MISSING_PARAM', 'MICROSERVICE_PARAM_INVALID', 'MICROSERVICE_ENV_SIZE_OUT_OF_LIMIT', 'MICROSERVICE_ENV_KEY_FORMAT_INVALID',
    'MICROSERVICE_ENV_VALUE_FORMAT_INVALID', 'MICROSERVICE_LOG_DIR_SIZE_OUT_OF_LIMIT', 'MICROSERVICE_LOG_DIR_TOO_LONG', 'DUPLICATE_MICROSERVICE_LOG_DIRECTORY',
    'STATEFUL_MICROSERVICE_CANT_UPDATE', 'MICROSERVICE_CANT_UPDATE_IN_CURRENT_STATE', 'MICROSERVICE_CONTAINER_NOT_IN_MICROSERVICE',
    'MICROSERVICE_CPU_WEIGHT_INVALID', 'MICROSERVICE_MEMORY_WEIGHT_INVALID', 'MICROSERVICE_NOTHING_TO_UPDATE', 'MICROSERVICE_UPDATE_FAIL'],
  success: { status: 200, description: 'empty body; status becomes updating' },
  async handler({ params, body, user, services }) {
    const changes = body.container_infos;
    const svc = await loadService(ms, user, params.id);
    checkOperable(svc, 'update-stateless');
    const containers = await ms.store.containersOf(svc.id);
    const byId = new Map(containers.map((c) => [Number(c.id), c]));
    if (changes.some((c) => !byId.has(c.container_id))) throw new ApiError('MICROSERVICE_CONTAINER_NOT_IN_MICROSERVICE');
    const wanted = new Map(changes.map((c) => [c.container_id, c]));
    const result = containers.map((c) => {
      const w = wanted.get(Number(c.id));
      return { cpu: w?.cpu_weight ?? c.cpu_weight, mem: w?.memory_weight ?? c.memory_weight };
    });
    checkWeights(result.map((r) => r.cpu), 'MICROSERVICE_CPU_WEIGHT_INVALID');
    checkWeights(result.map((r) => r.mem), 'MICROSERVICE_MEMORY_WEIGHT_INVALID');
    const updates = new Map<number, Record<string, unknown>>();
    let changed = false;
    for (const c of changes) {
      const cur = byId.get(c.container_id)!;
      const next = {
        envs: c.envs ? JSON.stringify(c.envs) : cur.envs, log_dirs: c.log_dirs ? JSON.stringify(c.log_dirs) : cur.log_dirs,
        cpu_weight: c.cpu_weight ?? cur.cpu_weight, memory_weight: c.memory_weight ?? cur.memory_weight,
      };
      if (next.envs !== cur.envs || next.log_dirs !== cur.log_dirs || next.cpu_weight !== cur.cpu_weight || next.memory_weight !== cur.memory_weight) changed = true;
      updates.set(c.container_id, next);
    }
    if (!changed) throw new ApiError('MICROSERVICE_NOTHING_TO_UPDATE');
    ensureActive(user);
    await ms.exclusive(`svc:${svc.id}`, () => applyOperation(ms, svc, { kind: 'update', rollout: true }, { containers: updates, failCode: 'MICROSERVICE_UPDATE_FAIL' }));
    return reply.empty();
  },
});

const updateStateful = (ms: Microservices) => defineRoute({
  method: 'PUT', path: '/api/v1/microservices/:id/actions/update-stateful', operationId: 'updateStatefulMicroservice', tag: TAG,
  summary: 'Change the public-network type and bandwidth of a stateful service', auth: 'token',
  body: updateStatefulBody,
  bodyExample: { state_public_net: { bandwidth: 50, type: 'flow', used: true } },
  errors: [...COMMON, 'MICROSERVICE_MISSING_PARAM', 'MICROSERVICE_PUBLIC_NETWORK_INFO_INVALID', 'MICROSERVICE_CANT_OPERATE_IN_CURRENT_STATE',
    'MICROSERVICE_CANT_UPDATE_IN_CURRENT_STATE', 'MICROSERVICE_NOTHING_TO_UPDATE', 'MICROSERVICE_ACCOUNT_BALANCE_INSUFFICIENT', 'MICROSERVICE_FROZEN_FEE_FAIL', 'MICROSERVICE_UPDATE_FAIL'],
  success: { status: 200, description: 'empty body; status becomes updating' },
  async handler({ params, body, user, services }) {
    const net = body.state_public_net;
    const svc = await loadService(ms, user, params.id);
    checkOperable(svc, 'update-stateful');
    const current = JSON.parse(svc.public_net) as PublicNet;
    if (net.used !== current.used) throw new ApiError('MICROSERVICE_PUBLIC_NETWORK_INFO_INVALID');
    if (!current.used || (net.type === current.type && net.bandwidth === current.bandwidth)) throw new ApiError('MICROSERVICE_NOTHING_TO_UPDATE');
    ensureActive(user);
    const oldPrice = priceOf(svc);
    const newPrice = priceOf({ ...svc, public_net: net });
    await ms.exclusive(`svc:${svc.id}`, async () => {
      await applyOperation(ms, svc, { kind: 'update', rollout: false }, {
        patch: { public_net: JSON.stringify(net) }, failCode: 'MICROSERVICE_UPDATE_FAIL',
        checks: async (tx) => {
          if (newPrice > oldPrice) await checkBilling(services, tx, user.id, newPrice - oldPrice);
        },
        inTx: async (tx) => {
          if (newPrice !== oldPrice) await remeter(services, user.id, svc.id, newPrice)(tx);
        },
      });
    });
    return reply.empty();
  },
});

const updatePort = (ms: Microservices) => defineRoute({
  method: 'PUT', path: '/api/v1/microservices/:id/actions/update-port', operationId: 'updateMicroservicePorts', tag: TAG,
  summary: 'Replace the port mappings of a service', auth: 'token',
  body: updatePortBody,
  bodyExample: { port_maps: [{ port: 80, target_port: 8080, protocol: 'TCP' }] },
  errors: [...COMMON, 'MICROSERVICE_MISSING_PARAM', 'MICROSERVICE_PORT_MAP_SIZE_UP_TO_LIMIT', 'MICROSERVICE_PORT_MAP_INVALID',
    'MICROSERVICE_CANT_UPDATE_IN_CURRENT_STATE', 'MICROSERVICE_NOTHING_TO_UPDATE', 'MICROSERVICE_UPDATE_FAIL'],
  success: { status: 200, description: 'empty body; status becomes updating' },
  async handler({ params, body, user, services }) {
    const maps = body.port_maps;
    const svc = await loadService(ms, user, params.id);
    checkOperable(svc, 'update-port');
    if (samePortMaps(maps, JSON.parse(svc.port_maps) as PortMap[])) throw new ApiError('MICROSERVICE_NOTHING_TO_UPDATE');
    ensureActive(user);
    await ms.exclusive(`svc:${svc.id}`, () => applyOperation(ms, svc, { kind: 'update', rollout: false }, { patch: { port_maps: JSON.stringify(maps) }, failCode: 'MICROSERVICE_UPDATE_FAIL' }));
    return reply.empty();
  },
});

const elasticScale = (ms: Microservices) => defineRoute({
  method: 'PUT', path: '/api/v1/microservices/:id/actions/elastic-scale', operationId: 'scaleMicroservice', tag: TAG,
  summary: 'Change the replica count of a stateless service (1–5)', auth: 'token', body: 'ignored',
  query: schema({ new_replicas: f.int({ min: 1, max: 5 }).required().invalid('MICROSERVICE_REPLICAS_SIZE_INVALID') }, codes),
  errors: [...COMMON, 'STATEFUL_MICROSERVICE_CANT_UPDATE', 'MICROSERVICE_CANT_UPDATE_IN_CURRENT_STATE', 'DUPLICATE_REPLICATION_SIZE',
    'REPLICATION_QUOTA_INSUFFICIENT', 'CONTAINER_QUOTA_INSUFFICIENT', 'MICROSERVICE_ACCOUNT_BALANCE_INSUFFICIENT', 'MICROSERVICE_FROZEN_FEE_FAIL', 'MICROSERVICE_UPDATE_FAIL'],
  success: { status: 200, description: 'empty body; status becomes scaling' },
  async handler({ params, query, user, services }) {
    const to = query.new_replicas;
    const svc = await loadService(ms, user, params.id);
    checkOperable(svc, 'elastic-scale');
    if (to === svc.replicas) throw new ApiError('DUPLICATE_REPLICATION_SIZE');
    ensureActive(user);
    const oldPrice = priceOf(svc);
    const newPrice = priceOf({ ...svc, replicas: to });
    await ms.exclusive(`svc:${svc.id}`, async () => {
      await applyOperation(ms, svc, { kind: 'scale', from: svc.replicas, to }, {
        patch: { replicas: to }, failCode: 'MICROSERVICE_UPDATE_FAIL',
        checks: async (tx) => {
          if (to > svc.replicas) {
            await lockUser(tx, services.store.dialect, user.id);
            const used = await ms.store.with(tx).usage(user.id);
            const added = to - svc.replicas;
            if (used.replicas + added > user.quotas.replicas!) throw new ApiError('REPLICATION_QUOTA_INSUFFICIENT');
            if (used.containers + added * svc.container_count > user.quotas.containers!) throw new ApiError('CONTAINER_QUOTA_INSUFFICIENT');
            await checkBilling(services, tx, user.id, newPrice - oldPrice);
          }
        },
        inTx: remeter(services, user.id, svc.id, newPrice),
      });
    });
    return reply.empty();
  },
});

const updateImage = (ms: Microservices, method: Method) => defineRoute({
  method, path: '/api/v1/microservices/:id/actions/update-image', operationId: method === 'PUT' ? 'updateMicroserviceImage' : 'updateMicroserviceImagePost', tag: TAG,
  summary: 'Rolling update of container images within their repositories' + (method === 'POST' ? ' (POST accepted as documented)' : ''), auth: 'token',
  body: updateImageBody,
  bodyExample: { container_images: [{ container_id: 60163, image_path: 'hub.c.163.com/public/ubuntu:14.04' }], min_ready_seconds: 10 },
  errors: [...COMMON, 'MICROSERVICE_MISSING_PARAM', 'MICROSERVICE_PARAM_INVALID', 'MICROSERVICE_MIN_READY_SECONDS_OUT_OF_RANGE', 'STATEFUL_MICROSERVICE_CANT_UPDATE',
    'MICROSERVICE_CANT_UPDATE_IN_CURRENT_STATE', 'MICROSERVICE_CONTAINER_NOT_IN_MICROSERVICE', 'MICROSERVICE_CANT_CHANGE_REPOSITORY',
    'MICROSERVICE_FAVORITE_REPOSITORY_PRIVATE', 'NO_SUCH_IMAGE', 'IMAGE_STATUS_ABNORMAL', 'MICROSERVICE_NOTHING_TO_UPDATE', 'MICROSERVICE_UPDATE_FAIL'],
  success: { status: 200, description: 'empty body; status stays updating until every pod is replaced' },
  async handler({ params, body, user, services }) {
    const { container_images: images, min_ready_seconds } = body;
    const svc = await loadService(ms, user, params.id);
    checkOperable(svc, 'update-image');
    const containers = await ms.store.containersOf(svc.id);
    const byId = new Map(containers.map((c) => [Number(c.id), c]));
    if (images.some((i) => !byId.has(i.container_id))) throw new ApiError('MICROSERVICE_CONTAINER_NOT_IN_MICROSERVICE');
    // microservices.md §1.3 step 6: referenced images (404) first, then the repository rules 4030151, 4030140, 4030012.
    const updates = new Map<number, { image_path: string }>();
    const refused: ApiError[] = [];
    for (const i of images) {
      try {
        if (!IMAGE_PATH.test(i.image_path)) throw new ApiError('NO_SUCH_IMAGE');
        updates.set(i.container_id, { image_path: (await services.resources.images.resolve(ownerOf(user), i.image_path)).image_path });
      } catch (err) {
        if (!isApiError(err)) throw err;
        // An image that can't be resolved is 4040129 here, also for a missing own repository (microservices.md §3.14, §4).
        refused.push(err.status === 404 ? new ApiError('NO_SUCH_IMAGE') : err);
      }
    }
    const missing = refused.find((e) => e.status === 404);
    if (missing) throw missing;
    for (const i of images) {
      if (splitImagePath(i.image_path).repo !== splitImagePath(byId.get(i.container_id)!.image_path).repo) throw new ApiError('MICROSERVICE_CANT_CHANGE_REPOSITORY');
    }
    const rule = refused.find((e) => e.errorName === 'MICROSERVICE_FAVORITE_REPOSITORY_PRIVATE') ?? refused[0];
    if (rule) throw rule;
    if (images.every((i) => updates.get(i.container_id)!.image_path === byId.get(i.container_id)!.image_path)) throw new ApiError('MICROSERVICE_NOTHING_TO_UPDATE');
    ensureActive(user);
    await ms.exclusive(`svc:${svc.id}`, () => applyOperation(ms, svc, { kind: 'update', rollout: true, minReadySeconds: min_ready_seconds }, { containers: updates, failCode: 'MICROSERVICE_UPDATE_FAIL' }));
    return reply.empty();
  },
});

const specification = (ms: Microservices) => defineRoute({
  method: 'PUT', path: '/api/v1/microservices/:id/specification', operationId: 'changeMicroserviceSpec', tag: TAG,
  summary: 'Change the spec of a stateless service (all pods re-created)', auth: 'token', body: 'ignored',
  query: specificationQuery,
  errors: [...COMMON, 'MICROSERVICE_MISSING_PARAM', 'MICROSERVICE_SPEC_INFO_INVALID', 'STATEFUL_MICROSERVICE_CANT_UPDATE', 'MICROSERVICE_CANT_UPDATE_IN_CURRENT_STATE',
    'NO_SUCH_SPEC', 'MICROSERVICE_NOTHING_TO_UPDATE', 'MICROSERVICE_ACCOUNT_BALANCE_INSUFFICIENT', 'MICROSERVICE_FROZEN_FEE_FAIL', 'MICROSERVICE_UPDATE_FAIL'],
  success: { status: 200, description: 'empty body; status becomes updating' },
  async handler({ params, query, user, services }) {
    const choice = specChoice(query);
    const svc = await loadService(ms, user, params.id);
    checkOperable(svc, 'specification');
    const spec = 'alias' in choice ? specByAlias(choice.alias) : specByLegacyId(choice.id);
    if (!spec) throw new ApiError('NO_SUCH_SPEC');
    if (spec.alias === svc.spec_alias) throw new ApiError('MICROSERVICE_NOTHING_TO_UPDATE');
    ensureActive(user);
    const oldPrice = priceOf(svc);
    const newPrice = priceOf({ ...svc, spec_alias: spec.alias });
    await ms.exclusive(`svc:${svc.id}`, async () => {
      await applyOperation(ms, svc, { kind: 'update', rollout: true }, {
        patch: { spec_alias: spec.alias }, failCode: 'MICROSERVICE_UPDATE_FAIL',
        checks: async (tx) => {
          if (newPrice > oldPrice) await checkBilling(services, tx, user.id, newPrice - oldPrice);
        },
        inTx: remeter(services, user.id, svc.id, newPrice),
      });
    });
    return reply.empty();
  },
});

const OPTIONS = ['restart', 'hard_reboot'];

const restart = (ms: Microservices) => defineRoute({
  method: 'PUT', path: '/api/v1/microservices/:id/actions/restart', operationId: 'restartMicroservice', tag: TAG,
  summary: 'Restart (in place) or cold-restart (re-create the pod) a stateful service', auth: 'token', body: 'ignored',
  query: schema({ option: f.string().required().rule((v) => OPTIONS.includes(v.toLowerCase())).describe('restart | hard_reboot') }, codes),
  errors: [...COMMON, 'MICROSERVICE_MISSING_PARAM', 'MICROSERVICE_PARAM_INVALID', 'STATELESS_MICROSERVICE_CANT_RESTART', 'MICROSERVICE_CANT_OPERATE_IN_CURRENT_STATE', 'MICROSERVICE_FAIL'],
  success: { status: 200, description: 'empty body; status becomes restarting' },
  async handler({ params, query, user, services }) {
    const hard = query.option.toLowerCase() === 'hard_reboot';
    const svc = await loadService(ms, user, params.id);
    checkOperable(svc, 'restart');
    ensureActive(user);
    await ms.exclusive(`svc:${svc.id}`, () => applyOperation(ms, svc, { kind: 'restart', hard }, { failCode: 'MICROSERVICE_FAIL' }));
    return reply.empty();
  },
});

const restartContainer = (ms: Microservices) => defineRoute({
  method: 'PUT', path: '/api/v1/microservices/:id/containers/:uuid/actions/restart', operationId: 'restartMicroserviceContainer', tag: TAG,
  summary: 'Restart one runtime container of a stateful service', auth: 'token', body: 'ignored',
  errors: [...COMMON, 'STATELESS_MICROSERVICE_CANT_RESTART', 'MICROSERVICE_CANT_OPERATE_IN_CURRENT_STATE', 'MICROSERVICE_CONTAINER_NOT_IN_MICROSERVICE',
    'NO_SUCH_CONTAINER', 'CONTAINER_STATUS_ABNORMAL', 'MICROSERVICE_FAIL'],
  success: { status: 200, description: 'empty body; status becomes restarting' },
  async handler({ params, user, services }) {
    const svc = await loadService(ms, user, params.id);
    checkOperable(svc, 'restart-container');
    const uuid = params.uuid ?? '';
    const owningService = /^[0-9a-f]{64}$/.test(uuid) ? await ms.store.serviceOfRuntimeContainer(user.id, uuid) : undefined;
    if (owningService === undefined) throw new ApiError('NO_SUCH_CONTAINER');
    if (owningService !== svc.id) throw new ApiError('MICROSERVICE_CONTAINER_NOT_IN_MICROSERVICE');
    if (!(await ms.runtime.isRunning(await templateOf(ms.store, svc), uuid))) throw new ApiError('CONTAINER_STATUS_ABNORMAL');
    ensureActive(user);
    await ms.exclusive(`svc:${svc.id}`, () => applyOperation(ms, svc, { kind: 'restart-container', dockerId: uuid }, { failCode: 'MICROSERVICE_FAIL' }));
    return reply.empty();
  },
});

export const updateRoutes = (ms: Microservices) => [
  updateStateless(ms), updateStateful(ms), updatePort(ms), elasticScale(ms), updateImage(ms, 'PUT'), updateImage(ms, 'POST'), specification(ms), restart(ms), restartContainer(ms),
];
