import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { startTestServer, STORES, type TestServer, type TestUser } from '../helpers/server.ts';
import { DOCKERFILE_BAD, RegistryClient } from './helpers.ts';
import { publicImages } from '../../src/domains/registry/public-images.ts';
import type { ImageLookup, Owner } from '../../src/domains/contracts.ts';

const BUILD_SECONDS = 20;
const SPEC_DIR = fileURLToPath(new URL('../../docs/reference/', import.meta.url));

/** Asserts that a lookup call rejects with exactly this catalog error. */
async function rejectsWith(call: Promise<unknown>, code: number, message: string): Promise<void> {
  await assert.rejects(call, (err: { code?: number; message?: string }) => {
    assert.deepEqual({ code: err.code, message: err.message }, { code, message });
    return true;
  });
}

for (const store of STORES) {
  describe(`ImageLookup (${store})`, () => {
    let server: TestServer;
    let reg: RegistryClient;
    let images: ImageLookup;
    let alice: TestUser;
    let bob: TestUser;
    let aliceOwner: Owner;
    let bobOwner: Owner;
    const ids: Record<string, number> = {};

    const ownerOf = async (u: TestUser): Promise<Owner> => {
      const row = await server.services.store.db.selectFrom('users').select(['id', 'user_name']).where('user_name', '=', u.user_name).executeTakeFirstOrThrow();
      return { id: row.id, user_name: row.user_name };
    };

    before(async () => {
      server = await startTestServer(store, { registryBuildSeconds: BUILD_SECONDS });
      reg = new RegistryClient(server);
      images = server.services.resources.images;
      alice = await server.newUser('alice');
      bob = await server.newUser('bob');
      aliceOwner = await ownerOf(alice);
      bobOwner = await ownerOf(bob);
      // alice: mysql (private) with v1 ok, latest ok, broken failed; web/app (public) with v1 ok and v2 failed.
      ids.mysql = await reg.createOk(alice, 'mysql');
      ids.web = await reg.createOk(alice, 'web/app', { open_level: 1 });
      await reg.build(alice, 'mysql', 'v1');
      await reg.build(alice, 'mysql', 'latest');
      await reg.build(alice, 'mysql', 'broken', DOCKERFILE_BAD);
      await reg.build(alice, 'web/app', 'v1');
      await reg.build(alice, 'web/app', 'v2', DOCKERFILE_BAD);
      await server.advance(BUILD_SECONDS);
      // Still building when the tests run.
      await reg.build(alice, 'mysql', 'pending');
      await reg.build(alice, 'web/app', 'pending');
      ids.empty = await reg.createOk(alice, 'empty');
    });
    after(() => server.close());

    describe('own repositories', () => {
      test('a built tag resolves, with the tag made explicit and the repository id', async () => {
        assert.deepEqual(await images.resolve(aliceOwner, 'hub.c.163.com/alice/mysql:v1'), {
          image_path: 'hub.c.163.com/alice/mysql:v1', owner: 'alice', repo_name: 'mysql', tag: 'v1', repo_id: ids.mysql,
        });
        assert.deepEqual(await images.resolve(aliceOwner, 'hub.c.163.com/alice/web/app:v1'), {
          image_path: 'hub.c.163.com/alice/web/app:v1', owner: 'alice', repo_name: 'web/app', tag: 'v1', repo_id: ids.web,
        });
      });

      test('no tag means latest', async () => {
        const r = await images.resolve(aliceOwner, 'hub.c.163.com/alice/mysql');
        assert.equal(r.image_path, 'hub.c.163.com/alice/mysql:latest');
        assert.equal(r.tag, 'latest');
      });

      test('4040004 No such repository. when the caller has no such repository (even if another user has)', async () => {
        await rejectsWith(images.resolve(aliceOwner, 'hub.c.163.com/alice/nothing:v1'), 4040004, 'No such repository.');
        await rejectsWith(images.resolve(bobOwner, 'hub.c.163.com/bob/mysql:v1'), 4040004, 'No such repository.');
      });

      test('4040129 No such image. when the repository has no such tag', async () => {
        await rejectsWith(images.resolve(aliceOwner, 'hub.c.163.com/alice/mysql:v9'), 4040129, 'No such image.');
        await rejectsWith(images.resolve(aliceOwner, 'hub.c.163.com/alice/empty'), 4040129, 'No such image.');
      });

      test('4030012 Image status abnormal. when the tag is building or its build failed', async () => {
        await rejectsWith(images.resolve(aliceOwner, 'hub.c.163.com/alice/mysql:pending'), 4030012, 'Image status abnormal.');
        await rejectsWith(images.resolve(aliceOwner, 'hub.c.163.com/alice/mysql:broken'), 4030012, 'Image status abnormal.');
      });
    });

    describe('official images (owner public)', () => {
      test('every public image the documentation uses resolves', async () => {
        const documented = new Set<string>();
        for (const file of readdirSync(SPEC_DIR).filter((f) => f.endsWith('.md'))) {
          for (const m of readFileSync(join(SPEC_DIR, file), 'utf8').matchAll(/hub\.c\.163\.com\/public\/[a-z0-9._\/-]+(?::[A-Za-z0-9_.-]+)?/g)) documented.add(m[0]);
        }
        assert.ok(documented.has('hub.c.163.com/public/ubuntu:14.04'));
        for (const path of documented) {
          const r = await images.resolve(bobOwner, path);
          assert.equal(r.owner, 'public');
          assert.equal(r.image_path, path.includes(':') ? path : `${path}:latest`);
          assert.ok(Number.isInteger(r.repo_id));
          assert.ok(publicImages('hub.c.163.com').some((i) => i.image_path === r.image_path), `${path} is listed`);
        }
        assert.equal((await images.resolve(bobOwner, 'hub.c.163.com/public/centos:6.5')).repo_id, 1055);
        assert.equal((await images.resolve(bobOwner, 'hub.c.163.com/public/centos')).tag, 'latest');
      });

      test('4040129 No such image. for a repository or tag outside the catalog', async () => {
        await rejectsWith(images.resolve(bobOwner, 'hub.c.163.com/public/ubuntu:99.99'), 4040129, 'No such image.');
        await rejectsWith(images.resolve(bobOwner, 'hub.c.163.com/public/nonexistent:latest'), 4040129, 'No such image.');
        await rejectsWith(images.resolve(bobOwner, 'hub.c.163.com/public/ubuntu/extra:14.04'), 4040129, 'No such image.');
      });

      test('the catalog lists the documented images, grouped by repo_id descending', () => {
        const list = publicImages('hub.c.163.com');
        for (const p of ['hub.c.163.com/public/ubuntu:14.04', 'hub.c.163.com/public/centos:6.5', 'hub.c.163.com/public/centos:7.2.1511']) assert.ok(list.some((i) => i.image_path === p), p);
        const repoIds = list.map((i) => i.repo_id!);
        assert.deepEqual(repoIds, [...repoIds].sort((a, b) => b - a));
        const centos = list.filter((i) => i.repo_name === 'centos').map((i) => i.tag);
        assert.deepEqual(centos.slice(0, 2), ['6.5', '7.2.1511'], 'the documented example order');
        assert.ok(publicImages('registry.example.com').every((i) => i.image_path.startsWith('registry.example.com/public/')));
      });
    });

    describe('library (Docker Hub mirror)', () => {
      test('accepted without verification, no repository id', async () => {
        assert.deepEqual(await images.resolve(bobOwner, 'hub.c.163.com/library/anything/at/all:v0'), {
          image_path: 'hub.c.163.com/library/anything/at/all:v0', owner: 'library', repo_name: 'anything/at/all', tag: 'v0',
        });
        assert.equal((await images.resolve(bobOwner, 'hub.c.163.com/library/nginx')).image_path, 'hub.c.163.com/library/nginx:latest');
      });
    });

    describe('other users’ repositories', () => {
      test('a public repository’s built tag resolves', async () => {
        assert.deepEqual(await images.resolve(bobOwner, 'hub.c.163.com/alice/web/app:v1'), {
          image_path: 'hub.c.163.com/alice/web/app:v1', owner: 'alice', repo_name: 'web/app', tag: 'v1', repo_id: ids.web,
        });
      });

      test('4040129 No such image.: private repository, missing, failed or building tag, unknown user', async () => {
        for (const path of ['hub.c.163.com/alice/mysql:v1', 'hub.c.163.com/alice/mysql', 'hub.c.163.com/alice/web/app:v9', 'hub.c.163.com/alice/web/app:v2',
          'hub.c.163.com/alice/web/app:pending', 'hub.c.163.com/alice/nothing:v1', 'hub.c.163.com/nobody/web/app:v1', 'hub.c.163.com/nce2/mariadb']) {
          await rejectsWith(images.resolve(bobOwner, path), 4040129, 'No such image.');
        }
      });
    });

    describe('addresses that do not match the syntax', () => {
      test('4040129 No such image. (never 4040004, even under the caller’s own name)', async () => {
        const bad: unknown[] = ['', 'ubuntu:14.04', 'docker.io/alice/mysql:v1', 'hub.c.163.com/alice', 'hub.c.163.com/alice/', 'hub.c.163.com/Alice/mysql:v1',
          'hub.c.163.com/alice/MySQL:v1', 'hub.c.163.com/alice/mysql:', 'hub.c.163.com/alice/mysql:-v1', `hub.c.163.com/alice/mysql:${'t'.repeat(129)}`,
          'hub.c.163.com/alice//mysql', 'https://hub.c.163.com/alice/mysql:v1', ' hub.c.163.com/alice/mysql:v1', 'hubxc.163.com/alice/mysql:v1', 42, null];
        for (const path of bad) await rejectsWith(images.resolve(aliceOwner, path as string), 4040129, 'No such image.');
      });
    });

    describe('userImages', () => {
      test('the caller’s built tags only: repo_id descending, newest build first; nothing of other users', async () => {
        const list = await images.userImages(aliceOwner);
        assert.deepEqual(list, [
          { image_path: 'hub.c.163.com/alice/web/app:v1', owner: 'alice', repo_name: 'web/app', tag: 'v1', repo_id: ids.web },
          { image_path: 'hub.c.163.com/alice/mysql:latest', owner: 'alice', repo_name: 'mysql', tag: 'latest', repo_id: ids.mysql },
          { image_path: 'hub.c.163.com/alice/mysql:v1', owner: 'alice', repo_name: 'mysql', tag: 'v1', repo_id: ids.mysql },
        ]);
        assert.deepEqual(await images.userImages(bobOwner), []);
      });

      test('a tag appears once its build succeeds and disappears when deleted', async () => {
        const carol = await server.newUser('carol');
        const owner = await ownerOf(carol);
        await reg.build(carol, 'svc', 'v1');
        assert.deepEqual(await images.userImages(owner), []);
        await server.advance(BUILD_SECONDS);
        assert.deepEqual((await images.userImages(owner)).map((i) => i.image_path), ['hub.c.163.com/carol/svc:v1']);
        assert.equal((await reg.deleteTag(carol, 'svc', 'v1')).status, 200);
        assert.deepEqual(await images.userImages(owner), []);
        await rejectsWith(images.resolve(owner, 'hub.c.163.com/carol/svc:v1'), 4040129, 'No such image.');
      });
    });
  });
}

describe('a configured registry host', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer('sqlite', { registryHost: 'registry.example.com:5000', registryBuildSeconds: BUILD_SECONDS });
  });
  after(() => server.close());

  test('addresses use the configured host; the default host no longer resolves', async () => {
    const reg = new RegistryClient(server);
    const dave = await server.newUser('dave');
    const row = await server.services.store.db.selectFrom('users').select(['id', 'user_name']).where('user_name', '=', 'dave').executeTakeFirstOrThrow();
    await reg.build(dave, 'app', 'v1');
    await server.advance(BUILD_SECONDS);
    assert.equal((await reg.detailByName(dave, 'app')).download_url, 'registry.example.com:5000/dave/app:v1');
    const images = server.services.resources.images;
    assert.equal((await images.resolve(row, 'registry.example.com:5000/dave/app:v1')).image_path, 'registry.example.com:5000/dave/app:v1');
    assert.equal((await images.resolve(row, 'registry.example.com:5000/public/ubuntu:14.04')).owner, 'public');
    await rejectsWith(images.resolve(row, 'hub.c.163.com/dave/app:v1'), 4040129, 'No such image.');
    assert.deepEqual((await images.userImages(row)).map((i) => i.image_path), ['registry.example.com:5000/dave/app:v1']);
  });
});
