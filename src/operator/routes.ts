import { ApiError } from '../catalog/index.ts';
import { translating } from '../errors.ts';
import { truncateAll } from '../store/reset.ts';
import { bootstrapIdentity } from '../identity/bootstrap.ts';
import { defineRoute, reply } from '../http/route.ts';
import { f, schema } from '../http/schema.ts';
import type { Services } from '../services.ts';
import type { UserRow } from '../identity/store.ts';
import { restoreSnapshot, seedIds, takeSnapshot, type Snapshot } from './state.ts';

const TAG = 'operator';
const codes = { missing: 'MISSING_PARAMETERS', invalid: 'INVALID_PARAMETERS' } as const;

const userName = f.string({ min: 1, max: 64, pattern: /^[a-z0-9][a-z0-9_-]*$/ }).describe('lower-case letters, digits, "_", "-" (used in image paths)');

function userView(u: UserRow) {
  return { user_name: u.user_name, status: u.status, balance: u.balance, certified: u.certified === 1, quotas: JSON.parse(u.quotas) as unknown };
}

/** Snapshots live in memory, one shelf per server (tests run several servers in one process). */
export class SnapshotShelf {
  next = 1;
  readonly byId = new Map<number, Snapshot>();
}

function requireSnapshot(snapshots: SnapshotShelf, id: string | undefined): Snapshot {
  const snapshot = snapshots.byId.get(Number(id));
  if (!snapshot) throw new ApiError('INVALID_PARAMETERS', { param: 'id' });
  return snapshot;
}

async function requireUser(services: Services, name: string | undefined): Promise<UserRow> {
  const user = name ? await services.identity.findUserByName(name) : undefined;
  if (!user) throw new ApiError('NO_SUCH_USER');
  return user;
}

export const operatorRoutes = (snapshots: SnapshotShelf) => [
  defineRoute({
    method: 'POST', path: '/_opencomb/users', operationId: 'operatorCreateUser', tag: TAG,
    summary: 'Create a user with a first Access Key pair', auth: 'operator',
    body: schema({ user_name: userName.required() }, codes),
    errors: [],
    success: { status: 201, description: '{user_name, app_key, app_secret}; the secret is shown only here' },
    async handler({ body, services }) {
      const now = services.clock.iso();
      // The name is taken: the catalog has no "duplicate user", so the name is an invalid parameter.
      const duplicate = new ApiError('INVALID_PARAMETERS', { param: 'user_name' });
      return translating({ duplicate }, () => services.store.db.transaction().execute(async (tx) => {
        const identity = services.identity.with(tx);
        const user = await identity.createUser(body.user_name, now);
        const pair = await identity.addKeyPair(user.id, now);
        return reply.json({ user_name: user.user_name, ...pair }, 201);
      }));
    },
  }),
  defineRoute({
    method: 'PATCH', path: '/_opencomb/users/:user_name', operationId: 'operatorUpdateUser', tag: TAG,
    summary: 'Change a user’s status, balance, certification or quotas', auth: 'operator',
    body: schema({
      status: f.string({ enum: ['normal', 'abnormal'] }),
      balance: f.number(),
      certified: f.boolean(),
      quotas: f.any().rule((q) => typeof q === 'object' && q !== null && !Array.isArray(q)
        && Object.values(q).every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0))
        .describe('named per-user limits (non-negative integers) merged over the server defaults; see docs/operator.md'),
    }, codes),
    errors: ['NO_SUCH_USER'],
    success: { status: 200, description: 'the user' },
    async handler({ params, body, services }) {
      const user = await requireUser(services, params.user_name);
      const quotas = body.quotas === undefined ? undefined : JSON.stringify({ ...JSON.parse(user.quotas), ...(body.quotas as object) });
      const patch = {
        ...(body.status !== undefined && { status: body.status }),
        ...(body.balance !== undefined && { balance: body.balance }),
        ...(body.certified !== undefined && { certified: body.certified ? 1 : 0 }),
        ...(quotas !== undefined && { quotas }),
      };
      if (Object.keys(patch).length) await services.identity.updateUser(user.id, patch);
      return reply.json(userView({ ...user, ...patch }));
    },
  }),
  defineRoute({
    method: 'POST', path: '/_opencomb/users/:user_name/keys', operationId: 'operatorAddKeyPair', tag: TAG,
    summary: 'Issue another Access Key pair to a user', auth: 'operator', body: schema({}, codes),
    errors: ['NO_SUCH_USER'],
    success: { status: 201, description: '{app_key, app_secret}' },
    async handler({ params, services }) {
      const user = await requireUser(services, params.user_name);
      return reply.json(await services.identity.addKeyPair(user.id, services.clock.iso()), 201);
    },
  }),
  defineRoute({
    method: 'PATCH', path: '/_opencomb/keys/:app_key', operationId: 'operatorSetKeyPairEnabled', tag: TAG,
    summary: 'Enable or disable an Access Key pair', auth: 'operator',
    body: schema({ enabled: f.boolean().required() }, codes),
    errors: ['NO_SUCH_USER'],
    success: { status: 200, description: '{app_key, enabled}' },
    async handler({ params, body, services }) {
      if (!(await services.identity.setKeyPairEnabled(params.app_key ?? '', body.enabled))) throw new ApiError('NO_SUCH_USER');
      return reply.json({ app_key: params.app_key, enabled: body.enabled });
    },
  }),
  defineRoute({
    method: 'DELETE', path: '/_opencomb/keys/:app_key', operationId: 'operatorDeleteKeyPair', tag: TAG,
    summary: 'Delete an Access Key pair (its tokens stop working)', auth: 'operator',
    errors: ['NO_SUCH_USER'],
    success: { status: 200, description: 'empty body' },
    async handler({ params, services }) {
      if (!(await services.identity.deleteKeyPair(params.app_key ?? ''))) throw new ApiError('NO_SUCH_USER');
      return reply.empty();
    },
  }),
  defineRoute({
    method: 'POST', path: '/_opencomb/reset', operationId: 'operatorReset', tag: TAG,
    summary: 'Erase all state, reset the test clock and limits, re-run the start-up identity', auth: 'operator', body: 'ignored',
    errors: [],
    success: { status: 200, description: 'empty body' },
    async handler({ services }) {
      await truncateAll(services.store);
      for (const hook of services.resetHooks) await hook();
      for (const hook of services.storeChangedHooks) hook();
      services.clock.reset();
      services.limiter.reset();
      await bootstrapIdentity(services.config, services.identity, services.store, services.clock);
      return reply.empty();
    },
  }),
  defineRoute({
    method: 'POST', path: '/_opencomb/snapshots', operationId: 'operatorTakeSnapshot', tag: TAG,
    summary: 'Save the whole state (every table, id sequences, the clock) in memory', auth: 'operator', body: 'ignored',
    errors: [],
    success: { status: 201, description: '{id, now}' },
    async handler({ services }) {
      const { clock } = services;
      const snapshot = await takeSnapshot(services.store, clock.now().getTime() - Date.now());
      const id = snapshots.next++;
      snapshots.byId.set(id, snapshot);
      return reply.json({ id, now: clock.iso() }, 201);
    },
  }),
  defineRoute({
    method: 'POST', path: '/_opencomb/snapshots/:id/restore', operationId: 'operatorRestoreSnapshot', tag: TAG,
    summary: 'Put the state back as it was when the snapshot was taken (the snapshot is kept)', auth: 'operator', body: 'ignored',
    errors: ['INVALID_PARAMETERS'],
    success: { status: 200, description: '{id, now}' },
    async handler({ params, services }) {
      const snapshot = requireSnapshot(snapshots, params.id);
      await restoreSnapshot(services.store, snapshot);
      for (const hook of services.storeChangedHooks) hook();
      services.clock.reset();
      const now = await services.clock.advance(snapshot.clockOffsetMs / 1000);
      services.limiter.reset();
      return reply.json({ id: Number(params.id), now: services.clock.iso(now) });
    },
  }),
  defineRoute({
    method: 'DELETE', path: '/_opencomb/snapshots/:id', operationId: 'operatorDeleteSnapshot', tag: TAG,
    summary: 'Forget a snapshot', auth: 'operator', errors: ['INVALID_PARAMETERS'],
    success: { status: 200, description: 'empty body' },
    async handler({ params, services }) {
      requireSnapshot(snapshots, params.id);
      snapshots.byId.delete(Number(params.id));
      return reply.empty();
    },
  }),
  defineRoute({
    method: 'POST', path: '/_opencomb/ids', operationId: 'operatorSeedIds', tag: TAG,
    summary: 'Make numeric ids start at next_id (every resource table, or one)', auth: 'operator',
    body: schema({
      next_id: f.int({ min: 1, max: 2_147_483_647 }).required().describe('the next id handed out (never at or below an id in use)'),
      table: f.string({ min: 1, max: 63 }).describe('one store table (for example secret_keys); default: all'),
    }, codes),
    errors: [],
    success: { status: 200, description: '{next_id, tables}' },
    async handler({ body, services }) {
      const tables = await seedIds(services.store, body.next_id, body.table);
      if (!tables) throw new ApiError('INVALID_PARAMETERS', { param: 'table' });
      return reply.json({ next_id: body.next_id, tables });
    },
  }),
  defineRoute({
    method: 'POST', path: '/_opencomb/clock', operationId: 'operatorAdvanceClock', tag: TAG,
    summary: 'Move the server clock forward; whatever fell due completes before the answer', auth: 'operator',
    body: schema({ advance_seconds: f.number({ min: 0 }).required() }, codes),
    errors: [],
    success: { status: 200, description: '{now}' },
    async handler({ body, services }) {
      const now = await services.clock.advance(body.advance_seconds);
      return reply.json({ now: services.clock.iso(now) });
    },
  }),
];
