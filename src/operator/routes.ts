import { ApiError } from '../catalog/index.ts';
import { MAX_ADVANCE_SECONDS, TimeOutOfRange } from '../clock.ts';
import { translating } from '../errors.ts';
import { truncateAll } from '../store/reset.ts';
import { bootstrapIdentity } from '../identity/bootstrap.ts';
import { MAX_ID } from '../http/ids.ts';
import { defineRoute, reply } from '../http/route.ts';
import { r } from '../http/response-schema.ts';
import { f, schema } from '../http/schema.ts';
import type { Services } from '../services.ts';
import type { UserRow } from '../identity/store.ts';
import { restoreSnapshot, seedIds, takeSnapshot, type Shelf, type Snapshot } from './state.ts';

const TAG = 'operator';
const codes = { missing: 'MISSING_PARAMETERS', invalid: 'INVALID_PARAMETERS' } as const;

const userName = f.string({ min: 1, max: 64, pattern: /^[a-z0-9][a-z0-9_-]*$/ }).describe('lower-case letters, digits, "_", "-" (used in image paths)');

const userFields = {
  user_name: r.string(), status: r.enum(['normal', 'abnormal']), balance: r.number('CNY'), certified: r.boolean(),
  quotas: r.map(r.int(), 'per-user limits by name'),
};
const user = r.object(userFields);
const keyPair = { app_key: r.string('the Access Key'), app_secret: r.string('the Access Secret: shown only in this answer') };
const keyPairExample = { app_key: '8d7e3a7c6b5f4e2d9c1b0a8f7e6d5c4b', app_secret: '0f1e2d3c4b5a69788796a5b4c3d2e1f0' };
const snapshotAnswer = { schema: r.object({ id: r.int(), now: r.dateTime('the test clock') }), example: { id: 1, now: '2017-01-01T00:00:00.000Z' } };

function userView(u: UserRow) {
  return { user_name: u.user_name, status: u.status, balance: u.balance, certified: u.certified === 1, quotas: JSON.parse(u.quotas) as unknown };
}

async function requireSnapshot(snapshots: Shelf, id: string | undefined): Promise<Snapshot> {
  const snapshot = await snapshots.get(Number(id));
  if (!snapshot) throw new ApiError('INVALID_PARAMETERS', { param: 'id' });
  return snapshot;
}

async function requireUser(services: Services, name: string | undefined): Promise<UserRow> {
  const user = name ? await services.identity.findUserByName(name) : undefined;
  if (!user) throw new ApiError('NO_SUCH_USER');
  return user;
}

export const operatorRoutes = (snapshots: Shelf) => [
  defineRoute({
    method: 'POST', path: '/_opencomb/users', operationId: 'operatorCreateUser', tag: TAG,
    summary: 'Create a user with a first Access Key pair', auth: 'operator',
    body: schema({ user_name: userName.required() }, codes),
    bodyExample: { user_name: 'alice' },
    errors: [],
    success: { status: 201, description: 'the user and a key pair; the secret is shown only here', schema: r.object({ user_name: r.string(), ...keyPair }), example: { user_name: 'alice', ...keyPairExample } },
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
    method: 'GET', path: '/_opencomb/users', operationId: 'operatorListUsers', tag: TAG,
    summary: 'List the users and the Access Keys of their pairs (secrets are never shown again)', auth: 'operator',
    errors: [],
    success: {
      status: 200, description: 'every user, oldest first',
      schema: r.array(r.object({ ...userFields, key_pairs: r.array(r.object({ app_key: r.string(), enabled: r.boolean() })) })),
      example: [{ user_name: 'alice', status: 'normal', balance: 1000, certified: true, quotas: {}, key_pairs: [{ app_key: keyPairExample.app_key, enabled: true }] }],
    },
    async handler({ services }) {
      const users = await services.identity.listUsers();
      return reply.json(users.map((u) => ({ ...userView(u), key_pairs: u.key_pairs })));
    },
  }),
  defineRoute({
    method: 'PATCH', path: '/_opencomb/users/:user_name', operationId: 'operatorUpdateUser', tag: TAG,
    summary: 'Change a user’s status, balance, certification or quotas', auth: 'operator',
    body: schema({
      status: f.string({ enum: ['normal', 'abnormal'] }),
      balance: f.number(),
      certified: f.boolean(),
      quotas: f.record(f.int({ min: 0 }), { key: /^.+$/, describeKey: 'a quota name (docs/operator.md)' })
        .describe('named per-user limits (non-negative integers) merged over the server defaults; see docs/operator.md'),
    }, codes),
    bodyExample: { status: 'abnormal', balance: 100, quotas: { services: 20 } },
    errors: ['NO_SUCH_USER'],
    success: { status: 200, description: 'the user', schema: user, example: { user_name: 'alice', status: 'normal', balance: 100, certified: true, quotas: { services: 20 } } },
    async handler({ params, body, services }) {
      const user = await requireUser(services, params.user_name);
      const quotas = body.quotas === undefined ? undefined : JSON.stringify({ ...JSON.parse(user.quotas), ...body.quotas });
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
    success: { status: 201, description: 'the new key pair; the secret is shown only here', schema: r.object(keyPair), example: keyPairExample },
    async handler({ params, services }) {
      const user = await requireUser(services, params.user_name);
      return reply.json(await services.identity.addKeyPair(user.id, services.clock.iso()), 201);
    },
  }),
  defineRoute({
    method: 'PATCH', path: '/_opencomb/keys/:app_key', operationId: 'operatorSetKeyPairEnabled', tag: TAG,
    summary: 'Enable or disable an Access Key pair', auth: 'operator',
    body: schema({ enabled: f.boolean().required() }, codes),
    bodyExample: { enabled: false },
    errors: ['NO_SUCH_USER'],
    success: { status: 200, description: 'the key pair\'s state', schema: r.object({ app_key: r.string(), enabled: r.boolean() }), example: { app_key: keyPairExample.app_key, enabled: false } },
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
    summary: 'Erase all state, reset the test clock and limits, re-run the start-up identity', auth: 'operator', exclusive: true, body: 'ignored',
    errors: [],
    success: { status: 200, description: 'empty body' },
    async handler({ services }) {
      await truncateAll(services.store);
      for (const hook of services.resetHooks) await hook();
      await services.bus.broadcast('store-changed'); // every replica drops what it derived from the store
      await services.clock.reset();
      await services.limiter.reset();
      await bootstrapIdentity(services.config, services.identity, services.store, services.clock);
      return reply.empty();
    },
  }),
  defineRoute({
    method: 'POST', path: '/_opencomb/snapshots', operationId: 'operatorTakeSnapshot', tag: TAG,
    summary: 'Save the whole state (every table, id sequences, the clock) in memory', auth: 'operator', body: 'ignored',
    errors: ['INVALID_PARAMETERS'],
    success: { status: 201, description: 'the snapshot\'s id and the clock it holds', ...snapshotAnswer },
    async handler({ services }) {
      const { clock } = services;
      // Beyond the limits (SNAPSHOT_LIMITS), the caller deletes one first: nothing is evicted behind its back.
      const id = await snapshots.add(await takeSnapshot(services.store, clock.now().getTime() - Date.now()));
      if (id === undefined) throw new ApiError('INVALID_PARAMETERS', { param: 'snapshots' });
      return reply.json({ id, now: clock.iso() }, 201);
    },
  }),
  defineRoute({
    method: 'POST', path: '/_opencomb/snapshots/:id/restore', operationId: 'operatorRestoreSnapshot', tag: TAG,
    summary: 'Put the state back as it was when the snapshot was taken (the snapshot is kept)', auth: 'operator', exclusive: true, body: 'ignored',
    errors: ['INVALID_PARAMETERS'],
    success: { status: 200, description: 'the restored snapshot\'s id and clock', ...snapshotAnswer },
    async handler({ params, services }) {
      const snapshot = await requireSnapshot(snapshots, params.id);
      await restoreSnapshot(services.store, snapshot);
      await services.bus.broadcast('store-changed');
      await services.clock.reset();
      const now = await services.clock.advance(snapshot.clockOffsetMs / 1000);
      await services.limiter.reset();
      return reply.json({ id: Number(params.id), now: services.clock.iso(now) });
    },
  }),
  defineRoute({
    method: 'DELETE', path: '/_opencomb/snapshots/:id', operationId: 'operatorDeleteSnapshot', tag: TAG,
    summary: 'Forget a snapshot', auth: 'operator', errors: ['INVALID_PARAMETERS'],
    success: { status: 200, description: 'empty body' },
    async handler({ params, services }) {
      if (!(await snapshots.delete(Number(params.id)))) throw new ApiError('INVALID_PARAMETERS', { param: 'id' });
      return reply.empty();
    },
  }),
  defineRoute({
    method: 'POST', path: '/_opencomb/ids', operationId: 'operatorSeedIds', tag: TAG,
    summary: 'Make numeric ids start at next_id (every resource table, or one)', auth: 'operator', exclusive: true,
    body: schema({
      // A seed leaves a million ids below MAX_ID in every table, so no id sequence runs out in use.
      next_id: f.int({ min: 1, max: MAX_ID - 1_000_000 }).required().describe('the next id handed out (never at or below an id in use); at most 2146483647'),
      table: f.string({ min: 1, max: 63 }).describe('one store table (for example secret_keys); default: all'),
    }, codes),
    bodyExample: { next_id: 50000, table: 'secret_keys' },
    errors: [],
    success: { status: 200, description: 'the tables whose ids now start at next_id', schema: r.object({ next_id: r.int(), tables: r.array(r.string()) }), example: { next_id: 50000, tables: ['secret_keys'] } },
    async handler({ body, services }) {
      const tables = await seedIds(services.store, body.next_id, body.table);
      if (!tables) throw new ApiError('INVALID_PARAMETERS', { param: 'table' });
      return reply.json({ next_id: body.next_id, tables });
    },
  }),
  defineRoute({
    method: 'POST', path: '/_opencomb/clock', operationId: 'operatorAdvanceClock', tag: TAG,
    summary: 'Move the server clock forward; whatever fell due completes before the answer', auth: 'operator',
    body: schema({
      advance_seconds: f.number({ min: 0, max: MAX_ADVANCE_SECONDS }).required()
        .describe(`seconds, at most ${MAX_ADVANCE_SECONDS} (ten years) per call; never past 9999-12-31T23:59:59Z`),
    }, codes),
    bodyExample: { advance_seconds: 3600 },
    errors: [],
    success: { status: 200, description: 'the test clock', schema: r.object({ now: r.dateTime() }), example: { now: '2017-01-01T01:00:00.000Z' } },
    async handler({ body, services }) {
      try {
        const now = await services.clock.advance(body.advance_seconds);
        return reply.json({ now: services.clock.iso(now) });
      } catch (err) {
        if (err instanceof TimeOutOfRange) throw new ApiError('INVALID_PARAMETERS', { param: 'advance_seconds' });
        throw err;
      }
    },
  }),
];
