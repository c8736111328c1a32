/** Shared helpers of the registry tests: multipart bodies and request shortcuts. */
import assert from 'node:assert/strict';
import type { Res, TestServer, TestUser } from '../helpers/server.ts';

export const BOUNDARY = '----WebKitFormBoundary7MA4YWxkTrZu0gW';
export const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;

/** A multipart body with one file part (`docker_file` unless told otherwise), CRLF line breaks. */
export function multipart(content: string | Buffer, opts: { name?: string; boundary?: string } = {}): Buffer {
  const b = opts.boundary ?? BOUNDARY;
  return Buffer.concat([
    Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${opts.name ?? 'docker_file'}"; filename="Dockerfile"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    Buffer.isBuffer(content) ? content : Buffer.from(content),
    Buffer.from(`\r\n--${b}--\r\n`),
  ]);
}

export const DOCKERFILE_OK = 'FROM hub.c.163.com/public/ubuntu:14.04\nRUN apt-get update\nCMD ["bash"]\n';
export const DOCKERFILE_BAD = 'RUN echo no base image\n';

export class RegistryClient {
  constructor(private readonly server: TestServer) {}

  create(u: TestUser, body: unknown): Promise<Res> {
    return this.server.request('POST', '/api/v1/repositories', { token: u.token, body });
  }

  async createOk(u: TestUser, repo_name: string, extra: Record<string, unknown> = {}): Promise<number> {
    const r = await this.create(u, { repo_name, open_level: 0, base_desc: '', detail_desc: '', ...extra });
    assert.equal(r.status, 200, r.text);
    return r.json.repo_id as number;
  }

  list(u: TestUser, query = ''): Promise<Res> {
    return this.server.request('GET', `/api/v1/repositories${query}`, { token: u.token });
  }

  get(u: TestUser, id: number | string): Promise<Res> {
    return this.server.request('GET', `/api/v1/repositories/${id}`, { token: u.token });
  }

  build(u: TestUser, repo: string, tag: string, content: string | Buffer = DOCKERFILE_OK, headers: Record<string, string> = { 'content-type': MULTIPART }): Promise<Res> {
    return this.server.request('POST', `/api/v1/repositories/${repo}/tags/${tag}/actions/build`, { token: u.token, raw: multipart(content), headers });
  }

  buildRaw(u: TestUser, path: string, raw: string | Buffer, contentType?: string): Promise<Res> {
    return this.server.request('POST', path, { token: u.token, raw, headers: contentType === undefined ? {} : { 'content-type': contentType } });
  }

  buildV2(u: TestUser, query: string, content: string | Buffer = DOCKERFILE_OK): Promise<Res> {
    return this.server.request('POST', `/api/v1/repositories/v2/image?${query}`, { token: u.token, raw: multipart(content), headers: { 'content-type': MULTIPART } });
  }

  deleteTag(u: TestUser, repo: string, tag: string): Promise<Res> {
    return this.server.request('DELETE', `/api/v1/repositories/${repo}/tags/${tag}`, { token: u.token });
  }

  /** Repository id by name (from the list). */
  async idOf(u: TestUser, repoName: string): Promise<number | undefined> {
    const r = await this.list(u, '?limit=30');
    return (r.json.repositories as Array<{ repo_id: number; repo_name: string }>).find((x) => x.repo_name === repoName)?.repo_id;
  }

  async detailByName(u: TestUser, repoName: string): Promise<any> {
    const id = await this.idOf(u, repoName);
    assert.ok(id, `repository ${repoName} exists`);
    return (await this.get(u, id)).json;
  }

  /** Everything a user can see: every page of the list and every repository's detail. */
  async state(u: TestUser): Promise<unknown> {
    const all: unknown[] = [];
    for (let offset = 0; ; offset += 30) {
      const page = await this.list(u, `?limit=30&offset=${offset}`);
      assert.equal(page.status, 200, page.text);
      all.push(page.json.total);
      if (page.json.repositories.length === 0) break;
      for (const r of page.json.repositories) all.push(r, (await this.get(u, r.repo_id)).json);
    }
    return all;
  }
}
