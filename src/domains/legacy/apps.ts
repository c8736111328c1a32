/** Apps, called clusters in the documentation (legacy-containers-apps.md, "Apps (clusters)"), and watch. */
import { randomBytes } from 'node:crypto';
import type { Updateable } from 'kysely';
import { ApiError } from '../../catalog/index.ts';
import { NONE, translating } from '../../errors.ts';
import { parseId } from '../../http/ids.ts';
import { defineRoute, reply, type AuthUser } from '../../http/route.ts';
import type { Infer } from '../../http/schema.ts';
import { inUserTransaction } from '../../store/transaction.ts';
import type { LegacyAppsTable } from '../../store/tables/legacy.ts';
import { imageListRoute, page } from './containers.ts';
import { members, type Legacy } from './lifecycle.ts';
import type { AppRow } from './store.ts';
import { checkAppDeletable, checkAppStable, checkQuota, checkSpecAllowed, passwordDigest, quotaOf } from './rules.ts';
import { createAppBody, pageQuery, parseReplicas, updateAppBody } from './schemas.ts';
import type { Services } from '../../services.ts';
import { appCreated, appOne, appPage, examples, watched } from './responses.ts';
import { appView, hookUrl, publicBase } from './views.ts';

const TAG = 'apps (beta)';
const BASE = '/api/v1/apps';
/** Proposed: a watch waits at most 30 seconds of server-clock time. */
export const WATCH_SECONDS = 30;
const owner = (user: AuthUser) => ({ id: user.id, user_name: user.user_name });

type VersionControl = NonNullable<Infer<typeof createAppBody.shape>['version_control']>;

/** The stored `version_control` (password shown as its digest) and the sealed password. */
function sourceControl(services: Services, vc: VersionControl | undefined) {
  if (!vc) return { version_control: null, vc_password_sealed: null };
  const shown = {
    type: vc.type ?? 'git', path: vc.path, subdir: vc.subdir ?? null, branch: vc.branch ?? null, version: vc.version ?? null,
    account: vc.account ?? null, password: vc.password ? passwordDigest(vc.password) : null,
  };
  return { version_control: JSON.stringify(shown), vc_password_sealed: vc.password ? services.sealer.seal(vc.password) : null };
}

/** Each log directory becomes a volume with a 32-hex name. */
function volumesOf(logDirs: string[]): string {
  return JSON.stringify(logDirs.map((dir) => ({ name: randomBytes(16).toString('hex'), mount_path: dir, readonly: false })));
}

export function appRoutes(legacy: Legacy) {
  const { services } = legacy;
  const { store, clock } = services;
  const current = async (user: AuthUser, id: string | undefined) => {
    await legacy.settle(clock.now(), user.id);
    return legacy.apps.require(user.id, parseId(id));
  };
  /** Runs `work` on an app of `userId` under the user's lock, once `check` accepted its status. */
  const change = async <T>(userId: number, id: number | undefined, check: (status: string) => void, work: (rows: typeof legacy.apps, row: AppRow) => Promise<T>) => {
    await legacy.settle(clock.now(), userId);
    return inUserTransaction(store, userId, async (tx) => {
      const rows = legacy.apps.with(tx);
      const row = await rows.require(userId, id);
      check(row.status);
      return work(rows, row);
    });
  };
  /** Hands an app's redeploy to the runtime (update, web hook): `updating`, members replaced. */
  const redeploy = async (row: Parameters<Legacy['appTemplate']>[0], changes: Updateable<LegacyAppsTable>) => {
    const next = { ...row, ...changes } as typeof row;
    return { ...changes, ...await translating({ failure: 'NCE_INTERNAL_SERVER_ERROR', keep: NONE }, () => legacy.submit(legacy.appTemplate(next), { kind: 'update', rollout: true })) };
  };

  return [
    imageListRoute(`${BASE}/images`, 'listLegacyAppImages', TAG),
    defineRoute({
      method: 'POST', path: BASE, operationId: 'createLegacyApp', tag: TAG,
      summary: 'Create an app (asynchronous: creating → create_succ)', auth: 'token', mutates: true,
      body: createAppBody, bodyExample: examples.createApp,
      errors: ['NO_SUCH_IMAGE', 'DUPLICATE_APP_NAME', 'APP_QUOTA_INSUFFICIENT', 'REPLICATION_QUOTA_INSUFFICIENT', 'NLB_QUOTA_INSUFFICIENT', 'CREATE_APP_ERROR'],
      internalError: 'CREATE_APP_ERROR',
      success: { status: 200, description: '{id, url}: the web hook URL', ...appCreated },
      async handler({ body, user, req }) {
        const image = await services.resources.images.legacyImage(owner(user), body.image_type, body.image_id);
        if (!image) throw new ApiError('NO_SUCH_IMAGE');
        // Apps are always billed on demand.
        checkSpecAllowed(image, 2, body.spec_id);
        const replicas = body.replicas ?? 1;
        const hookId = randomBytes(16).toString('hex');
        const now = clock.iso();
        const id = await inUserTransaction(store, user.id, async (tx) => {
          const rows = legacy.apps.with(tx);
          if (await rows.nameTaken(user.id, body.name)) throw new ApiError('DUPLICATE_APP_NAME');
          checkQuota(await rows.count(user.id), 1, quotaOf(user.quotas, 'apps'), 'APP_QUOTA_INSUFFICIENT');
          checkQuota(await rows.sumReplicas(user.id), replicas, quotaOf(user.quotas, 'app_replicas'), 'REPLICATION_QUOTA_INSUFFICIENT');
          if (body.domain !== undefined) checkQuota(await rows.count(user.id, 'domain', 'not null'), 1, quotaOf(user.quotas, 'app_nlbs'), 'NLB_QUOTA_INSUFFICIENT');
          const dockerFileType = body.docker_file_type ?? 1;
          const newId = await rows.insert({
            user_id: user.id, name: body.name, desc: body.desc ?? '', domain: body.domain ?? null, status: 'creating', replicas,
            spec_id: body.spec_id, image_type: body.image_type, image_id: body.image_id, image_path: image.image_path,
            env_var: JSON.stringify(body.env_var ?? {}), ...sourceControl(services, body.version_control),
            docker_file_type: dockerFileType, custom_docker_file: dockerFileType === 2 ? body.custom_docker_file! : null,
            volumes: volumesOf(body.log_dirs ?? []), hook_id: hookId, public_ip: null, pods: '[]', operation: null, due_at: null,
            created_at: now, updated_at: now,
          });
          const row = (await rows.byId(newId))!;
          await rows.update(newId, await translating({ failure: 'CREATE_APP_ERROR', keep: NONE }, () => legacy.submit(legacy.appTemplate(row), { kind: 'create' })));
          return newId;
        }, 'DUPLICATE_APP_NAME');
        return reply.json({ id, url: hookUrl(publicBase(req), hookId) });
      },
    }),
    defineRoute({
      method: 'GET', path: BASE, operationId: 'listLegacyApps', tag: TAG,
      summary: 'List the caller’s apps, newest first', auth: 'token',
      query: pageQuery,
      errors: [],
      success: { status: 200, description: '{total, apps}', ...appPage },
      async handler({ query, user, req }) {
        await legacy.settle(clock.now(), user.id);
        const { limit, offset } = page(query);
        const { total, rows } = await legacy.apps.list(user.id, limit, offset);
        return reply.json({ total, apps: rows.map((r) => appView(r, publicBase(req))) });
      },
    }),
    defineRoute({
      method: 'GET', path: `${BASE}/:id`, operationId: 'getLegacyApp', tag: TAG,
      summary: 'Get one app', auth: 'token',
      errors: ['NO_SUCH_APP'],
      success: { status: 200, description: 'the app', ...appOne },
      async handler({ params, user, req }) {
        return reply.json(appView(await current(user, params.id), publicBase(req)));
      },
    }),
    defineRoute({
      method: 'PUT', path: `${BASE}/:id`, operationId: 'updateLegacyApp', tag: TAG,
      summary: 'Change an app: `desc` at once, anything else redeploys it (updating → update_succ)', auth: 'token', mutates: true,
      body: updateAppBody, bodyExample: examples.updateApp,
      errors: ['NO_SUCH_APP', 'APP_STATUS_ABNORMAL', 'MISSING_PARAMETERS', 'NCE_INTERNAL_SERVER_ERROR'],
      success: { status: 200, description: 'empty body' },
      async handler({ params, body, user }) {
        await change(user.id, parseId(params.id), checkAppStable, async (rows, row) => {
          const dockerFileType = body.docker_file_type ?? row.docker_file_type;
          const customDockerFile = dockerFileType === 2 ? body.custom_docker_file ?? row.custom_docker_file : null;
          if (dockerFileType === 2 && customDockerFile === null) throw new ApiError('MISSING_PARAMETERS', { param: 'custom_docker_file' });
          const changes: Updateable<LegacyAppsTable> = {};
          if (body.env_var !== undefined) changes.env_var = JSON.stringify(body.env_var ?? {});
          if (body.version_control !== undefined) Object.assign(changes, sourceControl(services, body.version_control));
          if (dockerFileType !== row.docker_file_type || customDockerFile !== row.custom_docker_file) {
            Object.assign(changes, { docker_file_type: dockerFileType, custom_docker_file: customDockerFile });
          }
          if (body.log_dirs !== undefined) changes.volumes = volumesOf(body.log_dirs);
          const redeploys = Object.keys(changes).length > 0;
          if (body.desc !== undefined) changes.desc = body.desc;
          if (Object.keys(changes).length === 0) return;
          await rows.update(row.id, { ...(redeploys ? await redeploy(row, changes) : changes), updated_at: clock.iso() });
        });
        return reply.empty();
      },
    }),
    defineRoute({
      method: 'DELETE', path: `${BASE}/:id`, operationId: 'deleteLegacyApp', tag: TAG,
      summary: 'Delete an app and its containers (not while an operation is in progress)', auth: 'token', mutates: true,
      errors: ['NO_SUCH_APP', 'APP_STATUS_ABNORMAL', 'DELETE_APP_ERROR'],
      internalError: 'DELETE_APP_ERROR',
      success: { status: 200, description: 'empty body' },
      async handler({ params, user }) {
        const id = await change(user.id, parseId(params.id), checkAppDeletable, async (rows, row) => {
          await rows.remove(row.id);
          await translating({ failure: 'DELETE_APP_ERROR', keep: NONE }, () => legacy.runtime.remove(legacy.appTemplate(row)));
          return row.id;
        });
        legacy.changed(id);
        return reply.empty();
      },
    }),
    defineRoute({
      method: 'PUT', path: `${BASE}/:id/replications/:replicas/actions/resize`, operationId: 'resizeLegacyApp', tag: TAG,
      summary: 'Grow or shrink an app to `replicas` containers (resizing → resize_succ; any body is ignored)', auth: 'token',
      body: 'ignored',
      errors: ['INVALID_PARAMETERS', 'USER_STATUS_ABNORMAL', 'NO_SUCH_APP', 'APP_STATUS_ABNORMAL', 'DUPLICATE_REPLICATION_SIZE', 'REPLICATION_QUOTA_INSUFFICIENT', 'NCE_INTERNAL_SERVER_ERROR'],
      success: { status: 200, description: 'empty body' },
      async handler({ params, user }) {
        // core.md §8.2: the `replicas` segment is a parameter (step 5), judged before the account state (step 6).
        const replicas = parseReplicas(params.replicas);
        if (user.status === 'abnormal') throw new ApiError('USER_STATUS_ABNORMAL');
        await change(user.id, parseId(params.id), checkAppStable, async (rows, row) => {
          if (replicas === row.replicas) throw new ApiError('DUPLICATE_REPLICATION_SIZE');
          checkQuota(await rows.sumReplicas(user.id) - row.replicas, replicas, quotaOf(user.quotas, 'app_replicas'), 'REPLICATION_QUOTA_INSUFFICIENT');
          const next = { ...row, replicas };
          const recorded = await translating({ failure: 'NCE_INTERNAL_SERVER_ERROR', keep: NONE },
            () => legacy.submit(legacy.appTemplate(next), { kind: 'scale', from: row.replicas, to: replicas }));
          await rows.update(row.id, { ...recorded, replicas, updated_at: clock.iso() });
        });
        return reply.empty();
      },
    }),
    defineRoute({
      method: 'GET', path: '/api/v1/watch/apps/:id', operationId: 'watchLegacyApp', tag: TAG,
      summary: 'Long poll: answers when the app’s member containers change, or after 30 s', auth: 'token', longPoll: true,
      errors: ['NO_SUCH_APP'],
      success: { status: 200, description: '{containers}', ...watched },
      async handler({ params, user, req, services }) {
        // A long poll holds no store gate while it waits (http/pipeline.ts); its two reads hold it, so a reset
        // or restore never runs beside them.
        const app = await services.gate.run(false, () => current(user, params.id));
        const wait = legacy.feed.wait(app.id, clock.now().getTime() + WATCH_SECONDS * 1000);
        // A client that goes away ends the wait silently.
        const socket = req.socket;
        socket.once('close', wait.cancel);
        try {
          await wait.done;
        } finally {
          socket.off('close', wait.cancel);
        }
        const after = await services.gate.run(false, () => legacy.apps.find(user.id, app.id));
        return reply.json({ containers: after ? members(after) : [] });
      },
    }),
    defineRoute({
      method: 'POST', path: '/api/v1/hooks/app/:hook_id', operationId: 'legacyAppWebHook', tag: TAG,
      summary: 'Web hook: redeploy the app after a code push (no token; any body is ignored)', auth: 'none',
      body: 'ignored',
      errors: ['NO_SUCH_APP', 'APP_STATUS_ABNORMAL', 'NCE_INTERNAL_SERVER_ERROR'],
      success: { status: 200, description: 'empty body' },
      async handler({ params }) {
        const hookId = params.hook_id ?? '';
        const found = /^[0-9a-f]{32}$/.test(hookId) ? await legacy.apps.findBy('hook_id', hookId) : undefined;
        if (!found) throw new ApiError('NO_SUCH_APP');
        await change(found.user_id, found.id, checkAppStable, async (rows, row) => {
          await rows.update(row.id, { ...await redeploy(row, {}), updated_at: clock.iso() });
        });
        return reply.empty();
      },
    }),
  ];
}
