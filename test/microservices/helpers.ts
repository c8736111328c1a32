/** Shared request builders and the switchable runtime of the microservices tests. */
import assert from 'node:assert/strict';
import { useRuntime } from '../../src/domains/microservices/index.ts';
import type { Operation, Outcome, Pod, Runtime, ServiceTemplate } from '../../src/runtime/runtime.ts';
import { SimulatedRuntime } from '../../src/runtime/simulated.ts';
import { startTestServer, type StoreKind, type TestServer, type TestUser } from '../helpers/server.ts';

export const IMAGE = 'hub.c.163.com/public/ubuntu:14.04';

export function statelessBody(namespaceId: number | string, name: string, extra: { replicas?: number; containers?: unknown[]; service?: Record<string, unknown> } = {}) {
  return {
    bill_info: 'default',
    service_info: {
      namespace_id: String(namespaceId), stateful: 0, replicas: extra.replicas ?? 2, service_name: name,
      port_maps: [{ target_port: '80', port: '8080', protocol: 'TCP' }], spec_alias: 'C1M2S20', disk_type: 2, ...extra.service,
    },
    service_container_infos: extra.containers ?? [{
      image_path: IMAGE, container_name: 'web', command: '', envs: [{ key: 'password', value: 'password' }, { key: 'user', value: 'user' }],
      log_dirs: ['/var/log/'], cpu_weight: 100, memory_weight: 100,
    }],
  };
}

export function statefulBody(namespaceId: number | string, name: string, extra: { containers?: unknown[]; service?: Record<string, unknown>; container?: Record<string, unknown> } = {}) {
  return {
    bill_info: 'default',
    service_info: {
      namespace_id: namespaceId, stateful: '1', replicas: 1, service_name: name, port_maps: [{ target_port: 80, port: 8080 }],
      spec_alias: 'C2M2S20', state_public_net: { used: false }, disk_type: 2, ...extra.service,
    },
    service_container_infos: extra.containers ?? [{ image_path: IMAGE, container_name: 'db', cpu_weight: 100, memory_weight: 100, ...extra.container }],
  };
}

export class Ms {
  constructor(readonly server: TestServer) {}

  async defaultNs(user: TestUser): Promise<number> {
    const r = await this.server.request('GET', '/api/v1/namespaces', { token: user.token });
    assert.equal(r.status, 200, r.text);
    return r.json.namespaces.find((n: { display_name: string }) => n.display_name === 'default').id;
  }

  async ns(user: TestUser, name: string): Promise<number> {
    const r = await this.server.request('POST', '/api/v1/namespaces', { token: user.token, body: { name } });
    assert.equal(r.status, 200, r.text);
    return r.json.namespace_id;
  }

  create(user: TestUser, body: unknown) {
    return this.server.request('POST', '/api/v1/microservices', { token: user.token, body });
  }

  async createOk(user: TestUser, body: unknown, settle = true): Promise<number> {
    const r = await this.create(user, body);
    assert.equal(r.status, 200, r.text);
    assert.match(r.json.service_id, /^\d+$/);
    if (settle) await this.server.advance(2);
    return Number(r.json.service_id);
  }

  detail(user: TestUser, id: number | string, v2 = false) {
    return this.server.request('GET', `/api/v1/microservices/${id}${v2 ? '/detail' : ''}`, { token: user.token });
  }

  async status(user: TestUser, id: number): Promise<string> {
    const r = await this.detail(user, id);
    assert.equal(r.status, 200, r.text);
    return r.json.service_info.status;
  }

  put(user: TestUser, path: string, body?: unknown) {
    return this.server.request('PUT', `/api/v1/microservices/${path}`, { token: user.token, body });
  }

  list(user: TestUser, nsId: number | string, query = '') {
    return this.server.request('GET', `/api/v1/namespaces/${nsId}/microservices${query}`, { token: user.token });
  }

  del(user: TestUser, id: number | string, query = '') {
    return this.server.request('DELETE', `/api/v1/microservices/${id}${query}`, { token: user.token });
  }

  quotas(user: TestUser, quotas: Record<string, number>) {
    return this.server.operator('PATCH', `/users/${user.user_name}`, { quotas });
  }
}

/** A changing endpoint's success: 200 with an empty body. */
export function expectEmptyOk(r: { status: number; text: string }): void {
  assert.deepEqual({ status: r.status, text: r.text }, { status: 200, text: '' });
}

/**
 * The simulated runtime with switches: refuse hand-overs or removals, hold a hand-over, report a pod as not
 * running, or report the next outcomes of some operation kinds as failed. `reset()` turns them all off.
 */
export class SwitchableRuntime extends SimulatedRuntime {
  failSubmit = false;
  failRemove = false;
  notRunning = false;
  failKinds = new Set<Operation['kind']>();
  hold: Promise<void> | undefined;
  /** Called when a submit starts waiting on `hold`. */
  onHold: (() => void) | undefined;

  reset(): void {
    this.failSubmit = false;
    this.failRemove = false;
    this.notRunning = false;
    this.failKinds.clear();
    this.hold = undefined;
  }

  override async submit(t: ServiceTemplate, op: Operation, now: Date) {
    if (this.hold) {
      const hold = this.hold;
      this.onHold?.();
      await hold;
    }
    if (this.failSubmit) throw new Error('backend refused');
    return super.submit(t, op, now);
  }

  override async observe(t: ServiceTemplate, op: Operation, pods: Pod[], dueAt: Date, now: Date): Promise<Outcome | undefined> {
    const outcome = await super.observe(t, op, pods, dueAt, now);
    if (outcome && this.failKinds.has(op.kind)) return { ok: false, pods: op.kind === 'create' ? [] : pods };
    return outcome;
  }

  override async remove() {
    if (this.failRemove) throw new Error('backend refused');
  }

  override async isRunning() {
    return !this.notRunning;
  }
}

export interface Suite {
  server: TestServer;
  ms: Ms;
  u: TestUser;
  ns: number;
}

/**
 * The usual start of a suite: a fresh server (placing services on `runtime` when given), a user, and a
 * namespace of theirs — a new one named `namespace`, or their `default` one.
 */
export async function startSuite(store: StoreKind, userName: string, opts: { namespace?: string; runtime?: Runtime } = {}): Promise<Suite> {
  const server = await startTestServer(store);
  const ms = new Ms(server);
  if (opts.runtime) useRuntime(server.running.modules, opts.runtime);
  const u = await server.newUser(userName);
  const ns = opts.namespace === undefined ? await ms.defaultNs(u) : await ms.ns(u, opts.namespace);
  return { server, ms, u, ns };
}
