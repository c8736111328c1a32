/** Request builders shared by the load-balancer tests. */
import assert from 'node:assert/strict';
import type { Res, TestServer, TestUser } from '../helpers/server.ts';

export const LBS = '/api/v1/nlb/loadbalancers';
export const CERTS = '/api/v1/nlb/certs';

/** Seconds an LB stays CREATING or DELETING in these tests (`ipBindingDelaySeconds`). */
export const DELAY = 30;

export class Lb {
  constructor(readonly server: TestServer) {}

  /** The caller's `default` namespace system name (`default-<user>`). */
  ns(user: TestUser, display = 'default'): string {
    return `${display}-${user.user_name.toLowerCase()}`;
  }

  req(user: TestUser, method: string, path: string, opts: { ns?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Res> {
    const headers: Record<string, string> = { ...opts.headers };
    const ns = opts.ns === undefined ? this.ns(user) : opts.ns;
    if (ns !== null) headers.namespace = ns;
    return this.server.request(method, path, { token: user.token, body: opts.body, raw: opts.raw, headers });
  }

  create(user: TestUser, body: Record<string, unknown>, ns?: string | null) {
    return this.req(user, 'POST', LBS, { ns, body });
  }

  /** Creates an LB (a new IP unless `address` is given) and waits until it is WORKING. */
  async createWorking(user: TestUser, name: string, extra: Record<string, unknown> = {}, ns?: string): Promise<Res> {
    const r = await this.create(user, { name, ...extra }, ns);
    assert.equal(r.status, 200, r.text);
    await this.server.advance(DELAY);
    return r;
  }

  get(user: TestUser, name: string, ns?: string | null) {
    return this.req(user, 'GET', `${LBS}/${name}`, { ns });
  }

  list(user: TestUser, query = '', ns: string | null = null) {
    return this.req(user, 'GET', `${LBS}${query}`, { ns });
  }

  update(user: TestUser, name: string, body: unknown, ns?: string | null) {
    return this.req(user, 'PUT', `${LBS}/${name}`, { ns, body });
  }

  del(user: TestUser, name: string, ns?: string | null) {
    return this.req(user, 'DELETE', `${LBS}/${name}`, { ns });
  }

  addListener(user: TestUser, lb: string, body: unknown, ns?: string | null) {
    return this.req(user, 'POST', `${LBS}/${lb}/listeners`, { ns, body });
  }

  listeners(user: TestUser, lb: string, ns?: string | null) {
    return this.req(user, 'GET', `${LBS}/${lb}/listeners`, { ns });
  }

  updateListener(user: TestUser, lb: string, listener: string, body: unknown, ns?: string | null) {
    return this.req(user, 'PUT', `${LBS}/${lb}/listeners/${listener}`, { ns, body });
  }

  delListener(user: TestUser, lb: string, listener: string, ns?: string | null) {
    return this.req(user, 'DELETE', `${LBS}/${lb}/listeners/${listener}`, { ns });
  }

  /** A settled stateless microservice in the namespace with the given TCP service ports (and UDP ones). */
  async service(user: TestUser, name: string, ports: number[] = [80, 8080], opts: { namespaceId?: number; udp?: number[] } = {}): Promise<number> {
    const namespaceId = opts.namespaceId ?? await this.namespaceId(user, 'default');
    const port_maps = [
      ...ports.map((p) => ({ target_port: p, port: p, protocol: 'TCP' })),
      ...(opts.udp ?? []).map((p) => ({ target_port: p, port: p, protocol: 'UDP' })),
    ];
    const r = await this.server.request('POST', '/api/v1/microservices', {
      token: user.token,
      body: {
        bill_info: 'default',
        service_info: { namespace_id: namespaceId, stateful: 0, replicas: 1, service_name: name, port_maps, spec_alias: 'C1M2S20', disk_type: 2 },
        service_container_infos: [{ image_path: 'hub.c.163.com/public/ubuntu:14.04', container_name: 'web', cpu_weight: 100, memory_weight: 100 }],
      },
    });
    assert.equal(r.status, 200, r.text);
    await this.server.advance(2);
    return Number(r.json.service_id);
  }

  async namespaceId(user: TestUser, display: string): Promise<number> {
    const r = await this.server.request('GET', '/api/v1/namespaces', { token: user.token });
    assert.equal(r.status, 200, r.text);
    return r.json.namespaces.find((n: { display_name: string }) => n.display_name === display).id;
  }

  async newNamespace(user: TestUser, display: string): Promise<{ id: number; ns: string }> {
    const r = await this.server.request('POST', '/api/v1/namespaces', { token: user.token, body: { name: display } });
    assert.equal(r.status, 200, r.text);
    return { id: r.json.namespace_id, ns: this.ns(user, display) };
  }

  async ip(user: TestUser, address: string) {
    const r = await this.server.request('GET', '/api/v1/ips?type=nlb&limit=100', { token: user.token });
    assert.equal(r.status, 200, r.text);
    return r.json.ips.find((i: { ip: string }) => i.ip === address);
  }

  async newIp(user: TestUser): Promise<{ id: string; ip: string }> {
    const r = await this.server.request('POST', '/api/v1/ips', { token: user.token, body: { nlb: 1 } });
    assert.equal(r.status, 200, r.text);
    return r.json.ips[0];
  }

  async setUser(user: TestUser, patch: Record<string, unknown>): Promise<void> {
    const r = await this.server.operator('PATCH', `/users/${user.user_name}`, patch);
    assert.equal(r.status, 200, r.text);
  }
}

/** A listener body with one http cluster to `service` on `port`. */
export function httpListener(name: string, listenPort: number, service: string, servicePort = 80, cluster: Record<string, unknown> = {}) {
  return { name, protocol: 'http', listenPort, clusters: [{ serviceName: service, servicePort, ...cluster }] };
}

export const MS_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
