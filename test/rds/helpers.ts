/** Request builders shared by the RDS tests. */
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import type { Res, TestServer, TestUser } from '../helpers/server.ts';

export const BASE = '/api/v1/rds';
/** Seconds until a new instance is available (rds.md default), and until a backup or a deletion finishes. */
export const CREATE_SECONDS = 5;
export const BACKUP_SECONDS = 3;
export const DELETE_SECONDS = 3;

export const instanceBody = (instance_name: string, extra: Record<string, unknown> = {}) =>
  ({ instance_name, engine_version: '5.6.19', cpu: 1, memory: 2, disk_size: 20, port: 3309, ...extra });

export class Rds {
  constructor(readonly server: TestServer) {}

  req(user: TestUser, method: string, path: string, body?: unknown): Promise<Res> {
    return this.server.request(method, `${BASE}${path}`, { token: user.token, body });
  }

  async instance(user: TestUser, name: string, extra: Record<string, unknown> = {}): Promise<void> {
    const r = await this.req(user, 'POST', '/instances', instanceBody(name, extra));
    assert.equal(r.status, 200, r.text);
    await this.server.advance(CREATE_SECONDS);
    const q = await this.req(user, 'GET', `/instances?instance_name=${name}`);
    assert.equal(q.json.instances[0].instance_status, 'available', q.text);
  }

  async database(user: TestUser, instance: string, name: string, body?: unknown): Promise<Res> {
    const r = await this.req(user, 'POST', `/databases/${instance}?database_name=${name}&character_set=utf8mb4`, body);
    assert.equal(r.status, 200, r.text);
    return r;
  }

  async account(user: TestUser, instance: string, name: string, ipList = '10.173.%25', body?: unknown): Promise<Res> {
    const r = await this.req(user, 'POST', `/accounts/${instance}?account_name=${name}&account_password=docpasswd&ip_list=${ipList}`, body);
    assert.equal(r.status, 200, r.text);
    return r;
  }

  /** Seeds an instance bought outside the API (operator). */
  async seed(userName: string, instance_name: string, extra: Record<string, unknown> = {}): Promise<Res> {
    const r = await this.server.operator('POST', '/rds/instances', { user_name: userName, instance_name, ...extra });
    assert.equal(r.status, 201, r.text);
    return r;
  }

  async setInstance(userName: string, instance: string, body: Record<string, unknown>): Promise<void> {
    const r = await this.server.operator('PATCH', `/rds/instances/${userName}/${instance}`, body);
    assert.equal(r.status, 200, r.text);
  }
}

/**
 * Signs a request the way rds.md describes, written here independently of the server's code: the
 * canonical path and query are given by the test, exactly as the reference spells them.
 */
export function sign(secret: string, lines: { method: string; path: string; query: string; timestamp: string; nonce: string; body?: string }): string {
  const bodyHash = createHash('sha256').update(lines.body ?? '').digest('hex');
  const text = ['CC-HMAC-SHA256', lines.method, lines.path, lines.query, lines.timestamp, lines.nonce, bodyHash].join('\n');
  return createHmac('sha256', secret).update(text).digest('hex');
}
