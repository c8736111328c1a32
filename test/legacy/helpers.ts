/** Request builders and the switchable runtime of the beta API tests. */
import assert from 'node:assert/strict';
import { useLegacyRuntime } from '../../src/domains/legacy/index.ts';
import type { Operation, Outcome, Pod, ServiceTemplate } from '../../src/runtime/runtime.ts';
import { SimulatedRuntime } from '../../src/runtime/simulated.ts';
import { startTestServer, type StoreKind, type TestServer, type TestUser } from '../helpers/server.ts';

/** The documented create-container example, with the caller's own key ids (or none). */
export function containerBody(name: string, extra: Record<string, unknown> = {}) {
  return { charge_type: 1, spec_id: 1, image_type: 1, image_id: 2, name, desc: 'desc', env_var: { key: 'value' }, use_public_network: 1, network_charge_type: 1, bandwidth: 100, ...extra };
}

/** The documented create-app example. */
export function appBody(name: string, extra: Record<string, unknown> = {}) {
  return {
    name, desc: 'desc', domain: 'www.abc.com', image_type: 1, image_id: 3, spec_id: 1, replicas: 2, env_var: { key: 'value' },
    version_control: { type: 'git', path: 'https://github.com/NetEase/c.git', subdir: 'tomcat', branch: 'online', version: 'xxxx', account: 'example@163.com', password: '123456' },
    docker_file_type: 2, custom_docker_file: 'dockfile', log_dirs: ['dir1', 'dir2'], ...extra,
  };
}

/** The simulated runtime with switches: refuse hand-overs or removals, or fail the next outcomes. */
export class SwitchableRuntime extends SimulatedRuntime {
  failSubmit = false;
  failRemove = false;
  failOutcomes = false;
  constructor() {
    super({ busySeconds: 1 });
  }
  override async submit(t: ServiceTemplate, op: Operation, now: Date) {
    if (this.failSubmit) throw new Error('backend refused');
    return super.submit(t, op, now);
  }
  override async observe(t: ServiceTemplate, op: Operation, pods: Pod[], dueAt: Date, now: Date): Promise<Outcome | undefined> {
    const outcome = await super.observe(t, op, pods, dueAt, now);
    if (outcome && this.failOutcomes) return { ok: false, pods: op.kind === 'create' ? [] : pods };
    return outcome;
  }
  override async remove() {
    if (this.failRemove) throw new Error('backend refused');
  }
}

export class Beta {
  readonly runtime = new SwitchableRuntime();
  constructor(readonly server: TestServer) {
    useLegacyRuntime(server.running.modules, this.runtime);
  }

  static async start(store: StoreKind, overrides = {}): Promise<Beta> {
    return new Beta(await startTestServer(store, overrides));
  }

  req(user: TestUser | undefined, method: string, path: string, body?: unknown, headers?: Record<string, string>) {
    return this.server.request(method, `/api/v1${path}`, { token: user?.token, body, headers });
  }

  async createContainer(user: TestUser, name: string, extra: Record<string, unknown> = {}, settle = true): Promise<number> {
    const r = await this.req(user, 'POST', '/containers', containerBody(name, extra));
    assert.equal(r.status, 201, r.text);
    if (settle) await this.server.advance(1);
    return r.json.id;
  }

  async createApp(user: TestUser, name: string, extra: Record<string, unknown> = {}, settle = true): Promise<{ id: number; url: string }> {
    const r = await this.req(user, 'POST', '/apps', appBody(name, extra));
    assert.equal(r.status, 200, r.text);
    if (settle) await this.server.advance(1);
    return r.json;
  }

  async container(user: TestUser, id: number) {
    const r = await this.req(user, 'GET', `/containers/${id}`);
    assert.equal(r.status, 200, r.text);
    return r.json;
  }

  async app(user: TestUser, id: number) {
    const r = await this.req(user, 'GET', `/apps/${id}`);
    assert.equal(r.status, 200, r.text);
    return r.json;
  }

  quotas(user: TestUser, quotas: Record<string, number>) {
    return this.server.operator('PATCH', `/users/${user.user_name}`, { quotas });
  }

  async abnormal(user: TestUser) {
    const r = await this.server.operator('PATCH', `/users/${user.user_name}`, { status: 'abnormal' });
    assert.equal(r.status, 200, r.text);
  }
}

/** A changing endpoint's success: 200 with an empty body. */
export function expectEmptyOk(r: { status: number; text: string }): void {
  assert.deepEqual({ status: r.status, text: r.text }, { status: 200, text: '' });
}
