import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { expectError, startTestServer, STORES, type TestServer, type TestUser } from '../helpers/server.ts';
import { BOUNDARY, DOCKERFILE_BAD, DOCKERFILE_OK, MULTIPART, multipart, RegistryClient } from './helpers.ts';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
/** Builds take 20 s on the test clock: status 1 from +10 s, final at +20 s. */
const BUILD_SECONDS = 20;

for (const store of STORES) {
  describe(`image repositories (${store})`, () => {
    let server: TestServer;
    let reg: RegistryClient;
    let alice: TestUser;
    let bob: TestUser;
    let n = 0;
    const fresh = () => server.newUser(`reg${++n}`);
    const setUser = async (u: TestUser, patch: Record<string, unknown>) => {
      const r = await server.operator('PATCH', `/users/${u.user_name}`, patch);
      assert.equal(r.status, 200, r.text);
    };
    /** Asserts the error and that the caller's visible state did not change. */
    const refused = async (u: TestUser, call: () => Promise<any>, status: number, code: number, message: string) => {
      const before = await reg.state(u);
      expectError(await call(), status, code, message);
      assert.deepEqual(await reg.state(u), before, 'a refused request changes nothing');
    };

    before(async () => {
      server = await startTestServer(store, { registryBuildSeconds: BUILD_SECONDS });
      reg = new RegistryClient(server);
      alice = await server.newUser('alice');
      bob = await server.newUser('bob');
    });
    after(() => server.close());

    describe('create', () => {
      test('answers 200 {repo_id}; the repository exists with no tags, descriptions stored', async () => {
        const r = await reg.create(alice, { repo_name: 'a/b/c', open_level: 0, base_desc: 'base_desc', detail_desc: 'detail_desc', ci_support: 1 });
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(Object.keys(r.json), ['repo_id']);
        assert.ok(Number.isSafeInteger(r.json.repo_id) && r.json.repo_id > 0);
        const d = await reg.get(alice, r.json.repo_id);
        assert.equal(d.status, 200);
        assert.deepEqual(Object.keys(d.json), ['tags', 'repo_id', 'user_name', 'repo_name', 'open_level', 'base_desc', 'detail_desc', 'tag_count', 'download_url', 'created_at', 'updated_at']);
        assert.deepEqual({ ...d.json, created_at: 'x', updated_at: 'x' }, {
          tags: [], repo_id: r.json.repo_id, user_name: 'alice', repo_name: 'a/b/c', open_level: 0, base_desc: 'base_desc',
          detail_desc: 'detail_desc', tag_count: 0, download_url: null, created_at: 'x', updated_at: 'x',
        });
        assert.match(d.json.created_at, ISO);
        assert.equal(d.json.updated_at, d.json.created_at);
      });

      test('descriptions are optional (absent or null → ""), Chinese text kept, int fields accept digit strings', async () => {
        const r = await reg.create(alice, { repo_name: 'mysql', open_level: '1', base_desc: null, ci_support: '0' });
        assert.equal(r.status, 200, r.text);
        const d = (await reg.get(alice, r.json.repo_id)).json;
        assert.equal(d.open_level, 1);
        assert.equal(d.base_desc, '');
        assert.equal(d.detail_desc, '');
        const zh = await reg.create(alice, { repo_name: 'zh', open_level: 0, base_desc: '基本描述', detail_desc: '详细描述' });
        assert.equal((await reg.get(alice, zh.json.repo_id)).json.base_desc, '基本描述');
      });

      test('names at the limits: 200 characters with the user name, several levels, specials between alphanumerics', async () => {
        const u = await fresh(); // reg<N>: 4 characters
        const longest = 'x'.repeat(200 - u.user_name.length - 1);
        assert.equal((await reg.create(u, { repo_name: longest, open_level: 0 })).status, 200);
        for (const name of ['a.b_c-d/e', '0/1/2/3/4/5/6/7/8/9', 'a']) assert.equal((await reg.create(u, { repo_name: name, open_level: 0 })).status, 200, name);
        await refused(u, () => reg.create(u, { repo_name: longest + 'y', open_level: 0 }), 400, 4000001, 'Invalid parameters.');
      });

      test('4000002 Missing parameters.: repo_name or open_level absent, null or ""', async () => {
        const u = await fresh();
        for (const body of [{ open_level: 0 }, { repo_name: null, open_level: 0 }, { repo_name: '', open_level: 0 }, { repo_name: 'x' },
          { repo_name: 'x', open_level: null }, { repo_name: 'x', open_level: '' }, {}]) {
          await refused(u, () => reg.create(u, body), 400, 4000002, 'Missing parameters.');
        }
        // An empty body is {}.
        await refused(u, () => server.request('POST', '/api/v1/repositories', { token: u.token, raw: '', headers: { 'content-type': 'application/json' } }), 400, 4000002, 'Missing parameters.');
      });

      test('4000001 Invalid parameters.: names, levels, types and the CI-must-be-private rule', async () => {
        const u = await fresh();
        const bad: unknown[] = [
          { repo_name: 123, open_level: 0 }, { repo_name: ['a'], open_level: 0 }, { repo_name: 'Upper', open_level: 0 },
          { repo_name: 'a//b', open_level: 0 }, { repo_name: '-a', open_level: 0 }, { repo_name: 'a-', open_level: 0 },
          { repo_name: 'a..b', open_level: 0 }, { repo_name: 'a/_b', open_level: 0 }, { repo_name: '/a', open_level: 0 },
          { repo_name: 'a b', open_level: 0 }, { repo_name: 'a:b', open_level: 0 }, { repo_name: 'é', open_level: 0 },
          { repo_name: 'x'.repeat(199), open_level: 0 },
          { repo_name: 'x', open_level: 2 }, { repo_name: 'x', open_level: -1 }, { repo_name: 'x', open_level: 'public' },
          { repo_name: 'x', open_level: 0.5 }, { repo_name: 'x', open_level: true },
          { repo_name: 'x', open_level: 0, base_desc: 1 }, { repo_name: 'x', open_level: 0, base_desc: 'b'.repeat(101) },
          { repo_name: 'x', open_level: 0, detail_desc: false }, { repo_name: 'x', open_level: 0, detail_desc: 'd'.repeat(10_001) },
          { repo_name: 'x', open_level: 0, ci_support: 2 }, { repo_name: 'x', open_level: 0, ci_support: 'yes' },
          { repo_name: 'x', open_level: 1, ci_support: 1 },
          // The name is checked before open_level's absence (documented field order), its length with the
          // owner's name included.
          { repo_name: 'Bad' }, { repo_name: 'x'.repeat(200 - u.user_name.length) },
        ];
        for (const body of bad) await refused(u, () => reg.create(u, body), 400, 4000001, 'Invalid parameters.');
        assert.equal((await reg.create(u, { repo_name: 'x', open_level: 0, base_desc: 'b'.repeat(100), detail_desc: 'd'.repeat(10_000), ci_support: 1 })).status, 200);
      });

      test('4090005 Duplicate repository name.: same name for the same user; another user may use it', async () => {
        const u = await fresh();
        await reg.createOk(u, 'dup/name');
        await refused(u, () => reg.create(u, { repo_name: 'dup/name', open_level: 1 }), 409, 4090005, 'Duplicate repository name.');
        const other = await fresh();
        assert.equal((await reg.create(other, { repo_name: 'dup/name', open_level: 0 })).status, 200);
      });

      test('concurrent creates of one name: exactly one winner, the others 4090005', async () => {
        const u = await fresh();
        const results = await Promise.all(Array.from({ length: 6 }, () => reg.create(u, { repo_name: 'race', open_level: 0 })));
        assert.equal(results.filter((r) => r.status === 200).length, 1, results.map((r) => r.text).join());
        for (const r of results.filter((x) => x.status !== 200)) expectError(r, 409, 4090005, 'Duplicate repository name.');
        assert.equal((await reg.list(u)).json.total, 1);
      });

      test('4030007 Image quota insufficient.: the user already has the maximum number of repositories (duplicate wins over quota)', async () => {
        const u = await fresh();
        await setUser(u, { quotas: { repositories: 2 } });
        await reg.createOk(u, 'one');
        await reg.createOk(u, 'two');
        await refused(u, () => reg.create(u, { repo_name: 'three', open_level: 0 }), 403, 4030007, 'Image quota insufficient.');
        await refused(u, () => reg.create(u, { repo_name: 'one', open_level: 0 }), 409, 4090005, 'Duplicate repository name.');
        await setUser(u, { quotas: { repositories: 3 } });
        assert.equal((await reg.create(u, { repo_name: 'three', open_level: 0 })).status, 200);
      });

      test('the default quota is 10 repositories', async () => {
        const u = await fresh();
        for (let i = 0; i < 10; i++) await reg.createOk(u, `r${i}`);
        await refused(u, () => reg.create(u, { repo_name: 'r10', open_level: 0 }), 403, 4030007, 'Image quota insufficient.');
      });

      test('4030009 User status abnormal. after parameter checks; common body errors', async () => {
        const u = await fresh();
        await setUser(u, { status: 'abnormal' });
        await refused(u, () => reg.create(u, { repo_name: 'ok', open_level: 0 }), 403, 4030009, 'User status abnormal.');
        await refused(u, () => reg.create(u, { repo_name: 'Bad', open_level: 0 }), 400, 4000001, 'Invalid parameters.');
        // Rules that involve the owner's name or two fields are parameter checks too: before the account state.
        await refused(u, () => reg.create(u, { repo_name: 'x'.repeat(200 - u.user_name.length), open_level: 0 }), 400, 4000001, 'Invalid parameters.');
        await refused(u, () => reg.create(u, { repo_name: 'ci', open_level: 1, ci_support: 1 }), 400, 4000001, 'Invalid parameters.');
        await setUser(u, { status: 'normal' });
        const post = (raw: string, type: string) => server.request('POST', '/api/v1/repositories', { token: u.token, raw, headers: { 'content-type': type } });
        await refused(u, () => post('{"repo_name":', 'application/json'), 400, 4000403, 'Invalid request body');
        await refused(u, () => post('[]', 'application/json'), 422, 4220001, 'Unprocessable entity.');
        await refused(u, () => post('repo_name=x', 'application/x-www-form-urlencoded'), 415, 4150001, 'Unsupported media type.');
        expectError(await server.request('POST', '/api/v1/repositories', { body: { repo_name: 'x', open_level: 0 } }), 401, 4010001, 'Unauthorized user.');
      });
    });

    describe('list', () => {
      let u: TestUser;
      let ids: number[];
      before(async () => {
        u = await fresh();
        await setUser(u, { quotas: { repositories: 30 } });
        ids = [];
        for (let i = 0; i < 22; i++) ids.push(await reg.createOk(u, `repo${String(i).padStart(2, '0')}`, { base_desc: `b${i}`, detail_desc: `d${i}` }));
      });

      test('default page is 20, newest first; members in the documented order; total counts all pages', async () => {
        const r = await reg.list(u);
        assert.equal(r.status, 200);
        assert.deepEqual(Object.keys(r.json), ['total', 'repositories']);
        assert.equal(r.json.total, 22);
        assert.equal(r.json.repositories.length, 20);
        assert.deepEqual(r.json.repositories.map((x: any) => x.repo_id), [...ids].reverse().slice(0, 20));
        const first = r.json.repositories[0];
        assert.deepEqual(Object.keys(first), ['repo_id', 'user_name', 'repo_name', 'open_level', 'base_desc', 'detail_desc', 'tag_count', 'created_at', 'updated_at']);
        assert.deepEqual({ ...first, created_at: 'x', updated_at: 'x' }, {
          repo_id: ids[21], user_name: u.user_name, repo_name: 'repo21', open_level: 0, base_desc: 'b21', detail_desc: 'd21', tag_count: 0, created_at: 'x', updated_at: 'x',
        });
      });

      test('limit and offset: edges 1 and 30, offset past the end is an empty page with the real total', async () => {
        assert.equal((await reg.list(u, '?limit=30')).json.repositories.length, 22);
        const one = await reg.list(u, '?limit=1&offset=21');
        assert.deepEqual(one.json.repositories.map((x: any) => x.repo_id), [ids[0]]);
        const tail = await reg.list(u, '?offset=20');
        assert.deepEqual(tail.json.repositories.map((x: any) => x.repo_id), [ids[1], ids[0]]);
        const past = await reg.list(u, '?offset=1000');
        assert.deepEqual(past.json, { total: 22, repositories: [] });
        assert.equal((await reg.list(u, '?limit=&offset=')).json.repositories.length, 20, 'empty values are absent');
        assert.equal((await reg.list(u, '?limit=2&limit=50')).json.repositories.length, 2, 'the first occurrence is used');
        assert.deepEqual((await reg.list(await fresh())).json, { total: 0, repositories: [] });
      });

      test('4000001 Invalid parameters.: limit outside (0, 30] or not an integer, offset negative or not an integer', async () => {
        for (const q of ['limit=0', 'limit=31', 'limit=-1', 'limit=abc', 'limit=1.5', 'limit=1e1', 'offset=-1', 'offset=x', 'offset=0.5']) {
          expectError(await reg.list(u, `?${q}`), 400, 4000001, 'Invalid parameters.');
        }
      });

      test('order: most recently updated first, then repo_id descending; tag_count counts tags in every status', async () => {
        await server.advance(5);
        assert.equal((await reg.build(u, 'repo03', 'v1')).status, 200);
        const r = await reg.list(u, '?limit=3');
        assert.deepEqual(r.json.repositories.map((x: any) => x.repo_name), ['repo03', 'repo21', 'repo20']);
        assert.equal(r.json.repositories[0].tag_count, 1);
        assert.notEqual(r.json.repositories[0].updated_at, r.json.repositories[0].created_at);
        await server.advance(BUILD_SECONDS);
      });
    });

    describe('get', () => {
      test('4040004 No such repository.: unknown, malformed or another user’s id', async () => {
        const id = await reg.createOk(alice, 'private/one');
        for (const x of ['999999', 'abc', '0', '-1', '1.0', '99999999999999999999']) expectError(await reg.get(alice, x), 404, 4040004, 'No such repository.');
        expectError(await reg.get(bob, id), 404, 4040004, 'No such repository.');
        assert.equal((await reg.get(alice, id)).status, 200);
        const head = await server.request('HEAD', `/api/v1/repositories/${id}`, { token: alice.token });
        assert.equal(head.status, 200);
      });

      test('DELETE /api/v1/repositories/{id} is not an API: 4050001 with Allow', async () => {
        const id = await reg.createOk(alice, 'nodelete');
        const r = await server.request('DELETE', `/api/v1/repositories/${id}`, { token: alice.token });
        expectError(r, 405, 4050001, 'Http method not allowed.');
        assert.equal(r.headers.get('allow'), 'GET, HEAD');
        assert.equal((await reg.get(alice, id)).status, 200);
        expectError(await server.request('GET', '/api/v1/repositories/a/b', { token: alice.token }), 404, 4040006, 'No such api.');
      });
    });

    describe('build lifecycle', () => {
      test('a tag goes 0 → 1 → 2 on the server clock; download_url appears; updated_at follows the build', async () => {
        const u = await fresh();
        const r = await reg.build(u, 'app', 'v1');
        assert.equal(r.status, 200, r.text);
        assert.equal(r.text, '');
        let d = await reg.detailByName(u, 'app');
        assert.deepEqual(d.tags, [{ name: 'v1', size: 0, status: 0 }]);
        assert.equal(d.download_url, null);
        const accepted = d.updated_at;
        await server.advance(BUILD_SECONDS / 2);
        d = await reg.detailByName(u, 'app');
        assert.deepEqual(d.tags, [{ name: 'v1', size: 0, status: 1 }]);
        assert.equal(d.download_url, null);
        await server.advance(BUILD_SECONDS / 2);
        d = await reg.detailByName(u, 'app');
        assert.deepEqual(d.tags, [{ name: 'v1', size: 0, status: 2 }]);
        assert.equal(d.download_url, `hub.c.163.com/${u.user_name}/app:v1`);
        assert.ok(d.updated_at > accepted, 'updated_at changes when the build finishes');
        // The implicit repository: private, no descriptions.
        assert.equal(d.open_level, 0);
        assert.equal(d.base_desc, '');
        assert.equal(d.detail_desc, '');
        assert.equal(d.tag_count, 1);
      });

      test('the build succeeds exactly when the first instruction (ignoring blank lines, comments, directives and ARG) is FROM', async () => {
        const u = await fresh();
        const files: Record<string, string> = {
          nofrom: DOCKERFILE_BAD, empty: '', comments: '# only a comment\n\n', argonly: 'ARG A=1\n', argrun: 'ARG A=1\nRUN x\n',
          // The reference's rule looks at the first instruction only: what follows FROM is not judged.
          unknown: 'FROM ubuntu\nFETCH http://x\n', manyargs: 'FROM a b c d\n', bare: 'FROM\n', heredoc: 'FROM a\nRUN <<EOF\nnever ends\n',
          badescape: '# escape=x\nFROM a\n', indented: '\n  # c\n\t from a\n', continued: 'ARG A=\\\n  1\nFR\\\nOM a\n',
        };
        for (const [tag, content] of Object.entries(files)) assert.equal((await reg.build(u, 'fails', tag, content)).status, 200);
        // Directives, comments, ARG before FROM, continuations and here-documents are fine.
        const good = '# syntax=docker/dockerfile:1\n# comment\nARG BASE=hub.c.163.com/public/ubuntu:14.04\nfrom ${BASE} AS base\nRUN apt-get update && \\\n  apt-get install -y curl\nRUN <<EOF\necho not an instruction\nEOF\nENV A=1\nEXPOSE 80\nCMD ["sh"]\n';
        assert.equal((await reg.build(u, 'fails', 'good', good)).status, 200);
        await server.advance(BUILD_SECONDS);
        const d = await reg.detailByName(u, 'fails');
        const status = Object.fromEntries(d.tags.map((t: any) => [t.name, t.status]));
        assert.deepEqual(status, {
          nofrom: 3, empty: 3, comments: 3, argonly: 3, argrun: 3,
          unknown: 2, manyargs: 2, bare: 2, heredoc: 2, badescape: 2, indented: 2, continued: 2, good: 2,
        });
        assert.equal(d.download_url, `hub.c.163.com/${u.user_name}/fails:good`);
      });

      test('the documented example request (empty file, filename="", empty part Content-Type) is accepted and fails', async () => {
        const u = await fresh();
        const raw = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="docker_file"; filename=""\r\nContent-Type: \r\n\r\n\r\n--${BOUNDARY}--\r\n`;
        const r = await reg.buildRaw(u, '/api/v1/repositories/myrepo/tags/v1/actions/build/', raw, MULTIPART);
        assert.equal(r.status, 200, r.text);
        await server.advance(BUILD_SECONDS);
        assert.deepEqual((await reg.detailByName(u, 'myrepo')).tags, [{ name: 'v1', size: 0, status: 3 }]);
      });

      test('rebuild: a settled tag is reset to 0 and rebuilt; a building tag answers 4030012 and stays as it is', async () => {
        const u = await fresh();
        assert.equal((await reg.build(u, 'rb', 'v1', DOCKERFILE_BAD)).status, 200);
        await refused(u, () => reg.build(u, 'rb', 'v1'), 403, 4030012, 'Image status abnormal.');
        await server.advance(BUILD_SECONDS / 2);
        await refused(u, () => reg.build(u, 'rb', 'v1'), 403, 4030012, 'Image status abnormal.');
        await server.advance(BUILD_SECONDS / 2);
        assert.equal((await reg.detailByName(u, 'rb')).tags[0].status, 3);
        assert.equal((await reg.build(u, 'rb', 'v1')).status, 200);
        assert.deepEqual((await reg.detailByName(u, 'rb')).tags, [{ name: 'v1', size: 0, status: 0 }]);
        await server.advance(BUILD_SECONDS);
        assert.deepEqual((await reg.detailByName(u, 'rb')).tags, [{ name: 'v1', size: 0, status: 2 }]);
      });

      test('concurrent builds of one new tag: one is accepted, the others 4030012', async () => {
        const u = await fresh();
        const results = await Promise.all(Array.from({ length: 5 }, () => reg.build(u, 'race/build', 'v1')));
        assert.equal(results.filter((r) => r.status === 200).length, 1, results.map((r) => r.text).join());
        for (const r of results.filter((x) => x.status !== 200)) expectError(r, 403, 4030012, 'Image status abnormal.');
        assert.equal((await reg.list(u)).json.total, 1);
        await server.advance(BUILD_SECONDS);
      });

      test('tags newest build first; download_url prefers a successful latest, else the most recently finished success', async () => {
        const u = await fresh();
        await reg.build(u, 'dl', 'a');
        await server.advance(BUILD_SECONDS);
        await reg.build(u, 'dl', 'b');
        await server.advance(BUILD_SECONDS);
        await reg.build(u, 'dl', 'c', DOCKERFILE_BAD);
        await server.advance(BUILD_SECONDS);
        let d = await reg.detailByName(u, 'dl');
        assert.deepEqual(d.tags.map((t: any) => t.name), ['c', 'b', 'a']);
        assert.equal(d.download_url, `hub.c.163.com/${u.user_name}/dl:b`);
        await reg.build(u, 'dl', 'latest');
        await server.advance(BUILD_SECONDS);
        await reg.build(u, 'dl', 'a');
        await server.advance(BUILD_SECONDS);
        d = await reg.detailByName(u, 'dl');
        assert.deepEqual(d.tags.map((t: any) => t.name), ['a', 'latest', 'c', 'b']);
        assert.equal(d.download_url, `hub.c.163.com/${u.user_name}/dl:latest`);
        await reg.build(u, 'dl', 'latest', DOCKERFILE_BAD);
        await server.advance(BUILD_SECONDS);
        assert.equal((await reg.detailByName(u, 'dl')).download_url, `hub.c.163.com/${u.user_name}/dl:a`);
      });

      test('multi-level names in the path, unescaped or as %2F', async () => {
        const u = await fresh();
        assert.equal((await reg.build(u, 'a/b/c', 'v1')).status, 200);
        assert.equal((await reg.build(u, 'a%2Fb%2Fc', 'v2')).status, 200);
        assert.equal((await reg.build(u, 'x/tags/y', 'tags')).status, 200, 'a level named "tags": the path splits at the last /tags/');
        await server.advance(BUILD_SECONDS);
        assert.deepEqual((await reg.detailByName(u, 'a/b/c')).tags.map((t: any) => t.name), ['v2', 'v1']);
        assert.deepEqual((await reg.detailByName(u, 'x/tags/y')).tags.map((t: any) => t.name), ['tags']);
        const deep = Array.from({ length: 40 }, (_, i) => `l${i}`).join('/');
        assert.equal((await reg.build(u, deep, 'v1')).status, 200);
        assert.equal(await reg.idOf(u, deep) !== undefined, true);
        await server.advance(BUILD_SECONDS);
      });
    });

    describe('build errors', () => {
      test('4150001 Unsupported media type.: a body that is not multipart/form-data', async () => {
        const u = await fresh();
        const path = '/api/v1/repositories/app/tags/v1/actions/build';
        await refused(u, () => reg.buildRaw(u, path, '{"docker_file":"FROM a"}', 'application/json'), 415, 4150001, 'Unsupported media type.');
        await refused(u, () => reg.buildRaw(u, path, 'FROM a', 'text/plain'), 415, 4150001, 'Unsupported media type.');
        await refused(u, () => reg.buildRaw(u, path, multipart('FROM a'), undefined), 415, 4150001, 'Unsupported media type.');
        await refused(u, () => reg.buildRaw(u, '/api/v1/repositories/v2/image?repo_name=app&tag=v1', 'x', 'multipart/mixed; boundary=x'), 415, 4150001, 'Unsupported media type.');
      });

      test('4000403 Invalid request body: malformed multipart (no boundary, truncated, garbage, wrong boundary) or a body over 2 MiB', async () => {
        const u = await fresh();
        const path = '/api/v1/repositories/app/tags/v1/actions/build';
        const full = multipart('FROM a').toString();
        const bodies: Array<[string | Buffer, string]> = [
          [full, 'multipart/form-data'],
          [full.slice(0, full.length - 12), MULTIPART],
          [full.slice(0, 60), MULTIPART],
          ['just text', MULTIPART],
          [full, 'multipart/form-data; boundary=other'],
          [`--${BOUNDARY}\r\nno colon here\r\n\r\nFROM a\r\n--${BOUNDARY}--\r\n`, MULTIPART],
          [multipart('x'.repeat(2 * 1_048_576)), MULTIPART],
        ];
        for (const [raw, type] of bodies) await refused(u, () => reg.buildRaw(u, path, raw, type), 400, 4000403, 'Invalid request body');
        // Syntax comes before parameters and before the account state.
        await refused(u, () => reg.buildRaw(u, '/api/v1/repositories/BAD/tags/v1/actions/build', 'garbage', MULTIPART), 400, 4000403, 'Invalid request body');
        await refused(u, () => reg.buildRaw(u, '/api/v1/repositories/v2/image', 'garbage', MULTIPART), 400, 4000403, 'Invalid request body');
        await setUser(u, { status: 'abnormal' });
        await refused(u, () => reg.buildRaw(u, path, 'garbage', MULTIPART), 400, 4000403, 'Invalid request body');
        await setUser(u, { status: 'normal' });
      });

      test('LF line breaks, a preamble, extra parts and quoted boundaries are read', async () => {
        const u = await fresh();
        const lf = `preamble\n--${BOUNDARY}\nContent-Disposition: form-data; name="other"\n\nx\n--${BOUNDARY}\nContent-Disposition: form-data; name="docker_file"\n\nFROM a\n--${BOUNDARY}--`;
        assert.equal((await reg.buildRaw(u, '/api/v1/repositories/lf/tags/v1/actions/build', lf, `multipart/form-data; boundary="${BOUNDARY}"`)).status, 200);
        await server.advance(BUILD_SECONDS);
        assert.deepEqual((await reg.detailByName(u, 'lf')).tags, [{ name: 'v1', size: 0, status: 2 }]);
      });

      test('4000002 Missing parameters.: no docker_file part (or an empty body)', async () => {
        const u = await fresh();
        const path = '/api/v1/repositories/app/tags/v1/actions/build';
        await refused(u, () => reg.buildRaw(u, path, multipart('FROM a', { name: 'dockerfile' }), MULTIPART), 400, 4000002, 'Missing parameters.');
        await refused(u, () => reg.buildRaw(u, path, `--${BOUNDARY}--\r\n`, MULTIPART), 400, 4000002, 'Missing parameters.');
        await refused(u, () => reg.buildRaw(u, path, '', undefined), 400, 4000002, 'Missing parameters.');
      });

      test('4000001 Invalid parameters.: repository name or tag breaks its rule, docker_file over 1 MB', async () => {
        const u = await fresh();
        for (const [repo, tag] of [['Upper', 'v1'], ['a..b', 'v1'], ['a_', 'v1'], ['ok', '-v1'], ['ok', '.v1'], ['ok', 't'.repeat(101)], ['ok', 'v%20x'], ['x'.repeat(200), 'v1']]) {
          await refused(u, () => reg.build(u, repo!, tag!), 400, 4000001, 'Invalid parameters.');
        }
        // Name and tag come before the missing file.
        await refused(u, () => reg.buildRaw(u, '/api/v1/repositories/Upper/tags/v1/actions/build', `--${BOUNDARY}--\r\n`, MULTIPART), 400, 4000001, 'Invalid parameters.');
        const big = Buffer.concat([Buffer.from('FROM a\n#'), Buffer.alloc(1_048_576 - 8 + 1, 0x61)]);
        assert.equal(big.length, 1_048_577);
        await refused(u, () => reg.build(u, 'big', 'v1', big), 400, 4000001, 'Invalid parameters.');
        assert.equal((await reg.build(u, 'big', 'v1', big.subarray(0, 1_048_576))).status, 200, 'exactly 1 MB is accepted');
        assert.equal((await reg.build(u, 'ok', 't'.repeat(100))).status, 200, 'a 100-character tag is accepted');
        // However long a path segment is, it is a parameter that breaks its rule, not an unknown API.
        await refused(u, () => reg.build(u, 'ok', 't'.repeat(600)), 400, 4000001, 'Invalid parameters.');
        await refused(u, () => reg.build(u, 'x'.repeat(600), 'v1'), 400, 4000001, 'Invalid parameters.');
        await server.advance(BUILD_SECONDS);
      });

      test('4030009 User status abnormal.: after body and parameter checks', async () => {
        const u = await fresh();
        await reg.build(u, 'app', 'v1');
        await server.advance(BUILD_SECONDS);
        await setUser(u, { status: 'abnormal' });
        await refused(u, () => reg.build(u, 'app', 'v2'), 403, 4030009, 'User status abnormal.');
        await refused(u, () => reg.buildV2(u, 'repo_name=app&tag=v2'), 403, 4030009, 'User status abnormal.');
        await refused(u, () => reg.build(u, 'Bad', 'v2'), 400, 4000001, 'Invalid parameters.');
        await refused(u, () => reg.deleteTag(u, 'app', 'v1'), 403, 4030009, 'User status abnormal.');
        await setUser(u, { status: 'normal' });
      });

      test('4030007 Image quota insufficient.: a build would create a repository over the quota', async () => {
        const u = await fresh();
        await setUser(u, { quotas: { repositories: 1 } });
        assert.equal((await reg.build(u, 'first', 'v1')).status, 200);
        await refused(u, () => reg.build(u, 'second', 'v1'), 403, 4030007, 'Image quota insufficient.');
        await refused(u, () => reg.buildV2(u, 'repo_name=second&tag=v1'), 403, 4030007, 'Image quota insufficient.');
        assert.equal((await reg.build(u, 'first', 'v2')).status, 200, 'building into an existing repository needs no quota');
        await server.advance(BUILD_SECONDS);
      });

      test('4030008 Tag quota insufficient.: a new tag over the per-repository quota; rebuilding an existing tag is fine', async () => {
        const u = await fresh();
        await setUser(u, { quotas: { tags_per_repository: 2 } });
        await reg.build(u, 'tq', 'v1');
        await reg.build(u, 'tq', 'v2');
        // State (the tag is building) is checked before the quota.
        await refused(u, () => reg.build(u, 'tq', 'v1'), 403, 4030012, 'Image status abnormal.');
        await refused(u, () => reg.build(u, 'tq', 'v3'), 403, 4030008, 'Tag quota insufficient.');
        await refused(u, () => reg.buildV2(u, 'repo_name=tq&tag=v3'), 403, 4030008, 'Tag quota insufficient.');
        await server.advance(BUILD_SECONDS);
        assert.equal((await reg.build(u, 'tq', 'v1')).status, 200);
        await server.advance(BUILD_SECONDS);
        assert.equal((await reg.deleteTag(u, 'tq', 'v2')).status, 200);
        assert.equal((await reg.build(u, 'tq', 'v3')).status, 200, 'deleting a tag frees its place');
        await server.advance(BUILD_SECONDS);
      });

      test('the default tag quota is 100 tags per repository', async () => {
        const u = await fresh();
        for (let i = 0; i < 100; i++) assert.equal((await reg.build(u, 'many', `t${i}`)).status, 200);
        await refused(u, () => reg.build(u, 'many', 't100'), 403, 4030008, 'Tag quota insufficient.');
        await server.advance(BUILD_SECONDS);
      });
    });

    describe('build V2', () => {
      test('creates a private repository without CI and builds the tag; a/b/c or %2F; `amp;tag` from the documented example', async () => {
        const u = await fresh();
        assert.equal((await reg.buildV2(u, 'repo_name=a/b/c&tag=v1')).status, 200);
        assert.equal((await reg.buildV2(u, 'repo_name=a%2Fb%2Fc&amp;tag=v2')).status, 200);
        assert.equal((await reg.buildV2(u, 'tag=v3&repo_name=a/b/c&amp;tag=ignored')).status, 200);
        await server.advance(BUILD_SECONDS);
        const d = await reg.detailByName(u, 'a/b/c');
        assert.deepEqual(d.tags.map((t: any) => [t.name, t.status]), [['v3', 2], ['v2', 2], ['v1', 2]]);
        assert.equal(d.open_level, 0);
        const trailing = await reg.buildRaw(u, '/api/v1/repositories/v2/image/?repo_name=a/b/c&tag=v4', multipart('FROM a'), MULTIPART);
        assert.equal(trailing.status, 200);
        await server.advance(BUILD_SECONDS);
      });

      test('4000002 for absent or empty repo_name or tag; 4000001 when they break their rules', async () => {
        const u = await fresh();
        for (const q of ['tag=v1', 'repo_name=&tag=v1', 'repo_name=app', 'repo_name=app&tag=', '']) {
          await refused(u, () => reg.buildV2(u, q), 400, 4000002, 'Missing parameters.');
        }
        // repo_name (with the owner's name ≤ 200 characters) is judged before tag's absence.
        for (const q of ['repo_name=App&tag=v1', 'repo_name=a//b&tag=v1', 'repo_name=app&tag=-x', `repo_name=${'x'.repeat(199)}&tag=v1`,
          `repo_name=${'x'.repeat(200 - u.user_name.length)}`, 'repo_name=App']) {
          await refused(u, () => reg.buildV2(u, q), 400, 4000001, 'Invalid parameters.');
        }
        await refused(u, () => reg.buildRaw(u, '/api/v1/repositories/v2/image?repo_name=app&tag=v1', multipart('FROM a', { name: 'file' }), MULTIPART), 400, 4000002, 'Missing parameters.');
      });
    });

    describe('delete tag', () => {
      test('deletes a settled tag (succeeded or failed); the repository stays, updated_at changes', async () => {
        const u = await fresh();
        await reg.build(u, 'del/me', 'ok');
        await reg.build(u, 'del/me', 'bad', DOCKERFILE_BAD);
        await server.advance(BUILD_SECONDS);
        const before = await reg.detailByName(u, 'del/me');
        await server.advance(5);
        const r = await reg.deleteTag(u, 'del/me', 'ok');
        assert.equal(r.status, 200);
        assert.equal(r.text, '');
        assert.equal((await server.request('DELETE', '/api/v1/repositories/del%2Fme/tags/bad', { token: u.token, headers: { 'content-type': 'application/json' } })).status, 200);
        const after = await reg.detailByName(u, 'del/me');
        assert.deepEqual(after.tags, []);
        assert.equal(after.tag_count, 0);
        assert.equal(after.download_url, null);
        assert.ok(after.updated_at > before.updated_at);
      });

      test('4040004 No such repository.; 4040129 No such image.; 4030012 Image status abnormal. while initializing or building', async () => {
        const u = await fresh();
        await reg.build(u, 'dt', 'v1');
        await refused(u, () => reg.deleteTag(u, 'nope', 'v1'), 404, 4040004, 'No such repository.');
        await refused(u, () => reg.deleteTag(u, 'DT', 'v1'), 404, 4040004, 'No such repository.');
        await refused(u, () => reg.deleteTag(u, 'dt', 'v9'), 404, 4040129, 'No such image.');
        await refused(u, () => reg.deleteTag(u, 'dt', 'v'.repeat(600)), 404, 4040129, 'No such image.');
        await refused(u, () => reg.deleteTag(u, 'd'.repeat(600), 'v1'), 404, 4040004, 'No such repository.');
        await refused(u, () => reg.deleteTag(u, 'dt', 'v1'), 403, 4030012, 'Image status abnormal.');
        await server.advance(BUILD_SECONDS / 2);
        await refused(u, () => reg.deleteTag(u, 'dt', 'v1'), 403, 4030012, 'Image status abnormal.');
        await server.advance(BUILD_SECONDS / 2);
        assert.equal((await reg.deleteTag(u, 'dt', 'v1')).status, 200);
        await refused(u, () => reg.deleteTag(u, 'dt', 'v1'), 404, 4040129, 'No such image.');
        expectError(await server.request('DELETE', '/api/v1/repositories/dt/tags/v1', {}), 401, 4010001, 'Unauthorized user.');
      });
    });

    describe('isolation between users', () => {
      test('another user sees nothing of alice’s repositories and builds into a repository of its own', async () => {
        const a = await fresh();
        const b = await fresh();
        const id = await reg.createOk(a, 'shared/name', { open_level: 1 });
        await reg.build(a, 'shared/name', 'v1');
        await server.advance(BUILD_SECONDS);
        assert.deepEqual((await reg.list(b)).json, { total: 0, repositories: [] });
        expectError(await reg.get(b, id), 404, 4040004, 'No such repository.');
        await refused(b, () => reg.deleteTag(b, 'shared/name', 'v1'), 404, 4040004, 'No such repository.');
        assert.equal((await reg.build(b, 'shared/name', 'v1')).status, 200);
        const mine = await reg.detailByName(b, 'shared/name');
        assert.notEqual(mine.repo_id, id);
        assert.equal(mine.user_name, b.user_name);
        assert.equal((await reg.detailByName(a, 'shared/name')).tags[0].status, 2);
        await server.advance(BUILD_SECONDS);
      });
    });

    describe('storage failures', () => {
      /** Takes a table away for the duration of `work`, so that writes really fail, then puts it back. */
      const withoutTable = async (table: string, work: () => Promise<void>) => {
        await sql.raw(`alter table ${table} rename to ${table}_offline`).execute(server.services.store.db);
        try {
          await work();
        } finally {
          await sql.raw(`alter table ${table}_offline rename to ${table}`).execute(server.services.store.db);
        }
      };

      test('5000007 Nce internal server error. from create, build and delete tag; nothing is left half-done', async () => {
        const u = await fresh();
        await reg.build(u, 'kept', 'v1');
        await server.advance(BUILD_SECONDS);
        const before = await reg.state(u);
        await withoutTable('repositories', async () => {
          expectError(await reg.create(u, { repo_name: 'new', open_level: 0 }), 500, 5000007, 'Nce internal server error.');
        });
        await withoutTable('repository_tags', async () => {
          // The repository would be created first: the failed tag write must take it back.
          expectError(await reg.build(u, 'brand/new', 'v1'), 500, 5000007, 'Nce internal server error.');
          expectError(await reg.buildV2(u, 'repo_name=brand/new&tag=v1'), 500, 5000007, 'Nce internal server error.');
          expectError(await reg.deleteTag(u, 'kept', 'v1'), 500, 5000007, 'Nce internal server error.');
        });
        assert.deepEqual(await reg.state(u), before);
      });
    });

    describe('OpenAPI', () => {
      test('declares the registry operations with the codes they answer', async () => {
        const r = await server.request('GET', '/openapi.json');
        assert.equal(r.status, 200);
        const paths = r.json.paths as Record<string, Record<string, { 'x-error-codes': number[] }>>;
        const codes = (path: string, method: string) => paths[path]![method]!['x-error-codes'];
        for (const c of [4000001, 4000002, 4000403, 4150001, 4030009, 4030012, 4030007, 4030008, 5000007]) {
          assert.ok(codes('/api/v1/repositories/{repo_name}/tags/{tag}/actions/build', 'post').includes(c), `build ${c}`);
          assert.ok(codes('/api/v1/repositories/v2/image', 'post').includes(c), `build V2 ${c}`);
        }
        for (const c of [4000001, 4000002, 4030009, 4090005, 4030007, 5000007]) assert.ok(codes('/api/v1/repositories', 'post').includes(c), `create ${c}`);
        for (const c of [4040004, 4040129, 4030012, 4030009]) assert.ok(codes('/api/v1/repositories/{repo_name}/tags/{tag}', 'delete').includes(c), `delete ${c}`);
        assert.ok(codes('/api/v1/repositories/{id}', 'get').includes(4040004));
        assert.ok(codes('/api/v1/repositories', 'get').includes(4000001));
      });
    });
  });
}
