/**
 * `opencomb/client` against a started server: typed errors, 4030001 retried after Retry-After, tokens
 * renewed (before expiry, and after the server's test clock expired one), `waitFor`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApiError, isApiError, OpencombClient, WaitFailedError, WaitTimeoutError, type ClientOptions } from '../../src/client/index.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Waits recorded instead of slept: the retry delays are asserted, not spent. */
const recordedSleeps = () => {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
};

/** The request lines a client sent, seen through the `fetch` it was given. */
function countingFetch() {
  const sent: string[] = [];
  const fetchFn: typeof fetch = (input, init) => {
    sent.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
    return fetch(input, init);
  };
  return { sent, fetch: fetchFn };
}

async function expectApiError(promise: Promise<unknown>, errorName: string, code: number, status: number, message: string): Promise<ApiError> {
  const err = await promise.then(() => assert.fail('no error'), (e: unknown) => e);
  assert.ok(isApiError(err), String(err));
  assert.deepEqual({ errorName: err.errorName, code: err.code, status: err.status, message: err.message }, { errorName, code, status, message });
  assert.match(err.requestId ?? '', UUID);
  return err;
}

describe('opencomb/client', () => {
  let server: TestServer;
  let admin: OpencombClient;
  const clientFor = async (extra: Partial<ClientOptions> = {}) => {
    const user = await admin.operatorCreateUser({ user_name: `u${Math.random().toString(36).slice(2, 10)}` });
    return new OpencombClient({ endpoint: server.url, appKey: user.app_key, appSecret: user.app_secret, ...extra });
  };

  before(async () => {
    server = await startTestServer('sqlite', { faultInjection: true });
    admin = new OpencombClient({ endpoint: server.url });
  });
  after(() => server.close());

  test('typed results and typed errors for several codes', async () => {
    const client = await clientFor();
    const { namespace_id } = await client.createNamespace({ name: 'shop' });
    const { namespaces } = await client.listNamespaces();
    assert.deepEqual(namespaces.map((n) => n.display_name).sort(), ['default', 'shop']);

    const missing = await expectApiError(client.deleteNamespace({ id: namespace_id + 1000 }), 'NO_SUCH_NAMESPACE', 4040114, 404, 'No such namespace.');
    assert.ok(isApiError(missing, 'NO_SUCH_NAMESPACE'));
    assert.ok(!isApiError(missing, 'NO_SUCH_CLOUD_VOLUME'));
    await expectApiError(client.createNamespace({ name: 'shop' }), 'LB_DUPLICATE_RESOURCE', 4090401, 409, 'Duplicate resource');
    await expectApiError(client.createCloudVolume({ volume_name: 'data', size: 15 }), 'VOLUME_INVALID_PARAMETERS', 4000201, 400, 'Invalid cloud volume parameters.');
    await expectApiError(new OpencombClient({ endpoint: server.url, token: '0'.repeat(32) }).listSecretKeys(), 'UNAUTHORIZED_USER', 4010001, 401, 'Unauthorized user.');
    await expectApiError(admin.operatorAdvanceClock({ advance_seconds: -1 }), 'INVALID_PARAMETERS', 4000001, 400, 'Invalid parameters.');
  });

  test('4030001 is retried after its Retry-After, a bounded number of times', async () => {
    const { delays, sleep } = recordedSleeps();
    const { sent, fetch } = countingFetch();
    const client = await clientFor({ sleep, fetch, maxRetries: 2 });
    await admin.operatorAddFault({ method: 'GET', path: '/api/v1/namespaces', code: 4030001, count: 2 });
    const { namespaces } = await client.listNamespaces();
    assert.equal(namespaces.length, 1);
    assert.deepEqual(delays, [1000, 1000]);
    assert.deepEqual(sent.filter((s) => s === 'GET /api/v1/namespaces').length, 3);

    await admin.operatorAddFault({ method: 'GET', path: '/api/v1/namespaces', code: 4030001, count: 3 });
    const err = await expectApiError(client.listNamespaces(), 'API_FREQ_OUT_OF_LIMIT', 4030001, 403, 'Api freq out of limit.');
    assert.equal(err.retryAfter, 1);
    assert.deepEqual(delays, [1000, 1000, 1000, 1000]);
    await admin.operatorClearFaults();

    // A Retry-After longer than the client will wait is not waited for.
    await admin.operatorAddFault({ method: 'GET', path: '/api/v1/namespaces', code: 4030001, count: 1 });
    const impatient = await clientFor({ sleep, maxRetryDelayMs: 500 });
    await expectApiError(impatient.listNamespaces(), 'API_FREQ_OUT_OF_LIMIT', 4030001, 403, 'Api freq out of limit.');
    assert.equal(delays.length, 4);
  });

  test('a token is renewed before it expires on the server clock', async () => {
    // The client's clock follows the server's test clock: its `now` is the time the operator API reports.
    let serverNow = Date.parse((await admin.operatorAdvanceClock({ advance_seconds: 0 })).now);
    const { sent, fetch } = countingFetch();
    const client = await clientFor({ fetch, now: () => serverNow, renewBeforeSeconds: 300 });
    await client.listSecretKeys();
    await client.listSecretKeys();
    assert.equal(sent.filter((s) => s === 'POST /api/v1/token').length, 1);

    // 86 400 s tokens: 200 s before expiry is inside the 300 s renewal window.
    serverNow = Date.parse((await admin.operatorAdvanceClock({ advance_seconds: 86_400 - 200 })).now);
    await client.listSecretKeys();
    assert.deepEqual(sent.slice(-2), ['POST /api/v1/token', 'GET /api/v1/secret-keys']);
    // The renewed token is the one used from then on, and it is still good after the old one expired.
    serverNow = Date.parse((await admin.operatorAdvanceClock({ advance_seconds: 400 })).now);
    await client.listSecretKeys();
    assert.deepEqual(sent.slice(-1), ['GET /api/v1/secret-keys']);
    assert.equal(sent.filter((s) => s === 'POST /api/v1/token').length, 2);
  });

  test('a token the server expired (its clock moved) is renewed once and the call succeeds', async () => {
    const { sent, fetch } = countingFetch();
    const client = await clientFor({ fetch });
    await client.listSecretKeys();
    await admin.operatorAdvanceClock({ advance_seconds: 86_401 });
    const keys = await client.listSecretKeys();
    assert.ok(Array.isArray(keys));
    assert.deepEqual(sent, ['POST /api/v1/token', 'GET /api/v1/secret-keys', 'GET /api/v1/secret-keys', 'POST /api/v1/token', 'GET /api/v1/secret-keys']);
    // A token given as is cannot be renewed: its expiry is the caller's 4010001.
    const user = await admin.operatorCreateUser({ user_name: 'fixed' });
    const fixed = new OpencombClient({ endpoint: server.url, token: (await admin.createToken({ app_key: user.app_key, app_secret: user.app_secret })).token });
    await fixed.listSecretKeys();
    await admin.operatorAdvanceClock({ advance_seconds: 86_401 });
    await expectApiError(fixed.listSecretKeys(), 'UNAUTHORIZED_USER', 4010001, 401, 'Unauthorized user.');
  });

  test('waitFor: a volume reaches create_succ when the test clock moves; timeout and failure states', async () => {
    const client = await clientFor();
    const { id } = await client.createCloudVolume({ volume_name: 'data', size: 10 });
    assert.equal((await client.getCloudVolume({ id })).status, 'creating');
    const seen: string[] = [];
    const waiting = client.waitFor(() => client.getCloudVolume({ id }), (v) => v.status === 'create_succ', { intervalMs: 20, onPoll: (v) => seen.push(v.status) });
    await admin.operatorAdvanceClock({ advance_seconds: 5 });
    const volume = await waiting;
    assert.equal(volume.status, 'create_succ');
    assert.equal(seen.at(-1), 'create_succ');

    const timeout = await client.waitFor(() => client.getCloudVolume({ id }), (v) => v.status === 'mount_succ', { timeoutMs: 100, intervalMs: 20 }).catch((e: unknown) => e);
    assert.ok(timeout instanceof WaitTimeoutError);
    assert.equal((timeout.last as { status: string }).status, 'create_succ');

    const { id: other } = await client.createCloudVolume({ volume_name: 'broken', size: 10 });
    await admin.operatorSetVolumeStatus({ id: other }, { status: 'create_fail' });
    const failed = await client.waitFor(() => client.getCloudVolume({ id: other }), (v) => v.status === 'create_succ', { failed: (v) => v.status.endsWith('_fail') && v.status }).catch((e: unknown) => e);
    assert.ok(failed instanceof WaitFailedError);
    assert.equal(failed.message, 'reached a failure state: create_fail');
  });
});
