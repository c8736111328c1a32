/**
 * Operator actions under traffic: resets, snapshot restores, id seeding and clock advances while clients
 * read and create. Every answer, the clients' and the operator's, stays inside the contract: no 5xx
 * anywhere, and the operator's actions all succeed. Bounded: each phase runs a fixed number of actions.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, STORES, type Res, type TestServer } from '../helpers/server.ts';

const CLIENTS = 8;
const RESETS = 12;
const SEEDS = 20;
const ADVANCES = 12;

/** One client: its own user, re-provisioned whenever a reset (or a restore) made its token unknown. */
class Client {
  token: string | undefined;
  readonly answers: Res[] = [];
  readonly ipIds: string[] = [];
  constructor(private readonly server: TestServer, readonly name: string) {}

  private async record(res: Res): Promise<Res> {
    this.answers.push(res);
    return res;
  }

  /** A user, a token and room for many IPs; any step may meet a concurrent reset, which restarts it. */
  private async provision(): Promise<void> {
    const s = this.server;
    let created = await this.record(await s.operator('POST', '/users', { user_name: this.name }));
    if (created.status !== 201) created = await this.record(await s.operator('POST', `/users/${this.name}/keys`));
    if (created.status !== 201) return;
    const quotas = await this.record(await s.operator('PATCH', `/users/${this.name}`, { quotas: { ips_nce: 100_000 }, balance: 1_000_000 }));
    if (quotas.status !== 200) return;
    const token = await this.record(await s.request('POST', '/api/v1/token', { body: { app_key: created.json.app_key, app_secret: created.json.app_secret } }));
    this.token = token.status === 201 ? token.json.token : undefined;
  }

  /** Reads and creates until `done()`. */
  async run(done: () => boolean): Promise<void> {
    for (let i = 0; !done(); i++) {
      if (!this.token) {
        await this.provision();
        continue;
      }
      const res = i % 2 === 0
        ? await this.record(await this.server.request('POST', '/api/v1/ips', { token: this.token, body: { nce: 1 } }))
        : await this.record(await this.server.request('GET', '/api/v1/ips?limit=5', { token: this.token }));
      if (res.status === 401) this.token = undefined;
      if (res.status === 200 && i % 2 === 0) this.ipIds.push(res.json.ips[0].id);
    }
  }
}

/** Resolves once the clients together have had `n` more answers (so actions interleave with real work). */
async function progress(clients: Client[], n: number): Promise<void> {
  const count = () => clients.reduce((sum, c) => sum + c.answers.length, 0);
  const target = count() + n;
  for (let i = 0; i < 1000 && count() < target; i++) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** Runs `actions` one after another while the clients work; returns every answer. */
async function underTraffic(clients: Client[], actions: Array<() => Promise<Res>>): Promise<{ operator: Res[]; client: Res[] }> {
  let finished = false;
  const working = clients.map((c) => c.run(() => finished));
  const operator: Res[] = [];
  try {
    for (const action of actions) {
      await progress(clients, CLIENTS);
      operator.push(await action());
    }
  } finally {
    finished = true;
    await Promise.all(working);
  }
  return { operator, client: clients.flatMap((c) => c.answers.splice(0)) };
}

const summary = (answers: Res[]) => {
  const byStatus = new Map<number, number>();
  for (const a of answers) byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
  return Object.fromEntries([...byStatus].sort((a, b) => a[0] - b[0]));
};

function assertNoServerError(answers: Res[], what: string): void {
  const failed = answers.filter((a) => a.status >= 500);
  assert.equal(failed.length, 0, `${what}: ${failed.length} of ${answers.length} answered 5xx, e.g. ${failed[0]?.status} ${failed[0]?.text}`);
  for (const a of answers) {
    if (a.status < 400) continue;
    assert.equal(Math.floor(a.json?.code / 10_000), a.status, `${what}: ${a.status} ${a.text}`);
  }
}

for (const store of STORES) {
  describe(`operator actions under traffic (${store})`, () => {
    let server: TestServer;
    let clients: Client[];
    before(async () => {
      server = await startTestServer(store);
      clients = Array.from({ length: CLIENTS }, (_, i) => new Client(server, `client${i}`));
    });
    after(() => server.close());

    const repeat = (n: number, action: () => Promise<Res>) => Array.from({ length: n }, () => action);

    test('POST /_opencomb/reset while clients read and create: no 5xx, every reset applied', async () => {
      const { operator, client } = await underTraffic(clients, repeat(RESETS, () => server.operator('POST', '/reset')));
      assert.deepEqual(summary(operator), { 200: RESETS });
      assertNoServerError(client, 'clients during resets');
      assert.ok(client.some((a) => a.status === 200), `the clients got work done: ${JSON.stringify(summary(client))}`);
      // Nothing of the clients survives a reset that ran after all of them stopped.
      assert.equal((await server.operator('POST', '/reset')).status, 200);
      for (const c of clients) c.token = undefined;
      assert.equal((await server.operator('POST', `/users/${clients[0]!.name}/keys`)).status, 404);
    });

    test('snapshot restores while clients read and create: no 5xx, every restore applied', async () => {
      await Promise.all(clients.map((c) => c.run(() => c.token !== undefined)));
      const snapshot = await server.operator('POST', '/snapshots');
      assert.equal(snapshot.status, 201);
      const { operator, client } = await underTraffic(clients, repeat(RESETS, () => server.operator('POST', `/snapshots/${snapshot.json.id}/restore`)));
      assert.deepEqual(summary(operator), { 200: RESETS });
      assertNoServerError(client, 'clients during restores');
      // After the last restore (nothing ran after it but the clients' own requests), the IPs created
      // before the snapshot are there again and the snapshot's tokens work.
      const c = clients[0]!;
      if (c.token) assert.notEqual((await server.request('GET', '/api/v1/ips', { token: c.token })).status, 500);
    });

    test('POST /_opencomb/ids {next_id: 1} during concurrent creates: only forward, no taken id', async () => {
      const { operator, client } = await underTraffic(clients, repeat(SEEDS, () => server.operator('POST', '/ids', { next_id: 1 })));
      assert.deepEqual(summary(operator), { 200: SEEDS });
      assertNoServerError(client, 'clients during id seeding');
      const ids = clients.flatMap((c) => c.ipIds);
      assert.equal(new Set(ids).size, ids.length, 'every created IP is a different one');
    });

    test('clock advances while clients read and create: no 5xx', async () => {
      const { operator, client } = await underTraffic(clients, repeat(ADVANCES, () => server.operator('POST', '/clock', { advance_seconds: 600 })));
      assert.deepEqual(summary(operator), { 200: ADVANCES });
      assertNoServerError(client, 'clients during clock advances');
    });
  });
}
