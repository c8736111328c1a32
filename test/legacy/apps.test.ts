import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectError, STORES, type TestUser } from '../helpers/server.ts';
import { appBody, Beta, expectEmptyOk } from './helpers.ts';

const KEYS = ['id', 'name', 'desc', 'domain', 'status', 'replicas', 'volumes', 'charge_type', 'spec_id', 'created_at', 'updated_at', 'public_ip', 'private_ip', 'version_control', 'custom_docker_file', 'image_id', 'containers', 'env_var', 'web_hook_url'];
const HEX64 = /^[0-9a-f]{64}$/;

for (const store of STORES) {
  describe(`beta apps (${store})`, () => {
    let b: Beta;
    let alice: TestUser;
    let bob: TestUser;

    before(async () => {
      b = await Beta.start(store);
      alice = await b.server.newUser('alice');
      bob = await b.server.newUser('bob');
    });
    after(() => b.server.close());

    it('lists the same image catalog as containers', async () => {
      const apps = await b.req(alice, 'GET', '/apps/images');
      const containers = await b.req(alice, 'GET', '/containers/images');
      assert.equal(apps.status, 200, apps.text);
      assert.deepEqual(apps.json, containers.json);
    });

    it('creates the documented example (200, id and hook url); members appear on create_succ', async () => {
      const r = await b.req(alice, 'POST', '/apps', appBody('ape2'));
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(Object.keys(r.json), ['id', 'url']);
      assert.match(r.json.url, /\/api\/v1\/hooks\/app\/[0-9a-f]{32}$/);
      let app = await b.app(alice, r.json.id);
      assert.deepEqual(Object.keys(app), KEYS);
      assert.deepEqual([app.status, app.containers, app.charge_type, app.private_ip], ['creating', [], 2, null]);
      assert.equal(app.web_hook_url, r.json.url);
      assert.match(app.version_control.password, /^[0-9a-f]{16}$/);
      assert.notEqual(app.version_control.password, '123456');
      assert.deepEqual(app.volumes.map((v: { mount_path: string; readonly: boolean; name: string }) => [v.mount_path, v.readonly, /^[0-9a-f]{32}$/.test(v.name)]), [['dir1', false, true], ['dir2', false, true]]);
      await b.server.advance(1);
      app = await b.app(alice, r.json.id);
      assert.equal(app.status, 'create_succ');
      assert.equal(app.containers.length, 2);
      for (const c of app.containers) {
        assert.match(c.container_id, HEX64);
        assert.match(c.private_ip, /^10\./);
      }
      assert.match(app.public_ip, /^\d+\.\d+\.\d+\.\d+$/, 'an app with a domain has its load balancer’s public IP');
    });

    it('validation: 4000002 for missing fields (also conditional), 4000001 for broken rules; nothing is created', async () => {
      const cases: Array<[Record<string, unknown>, number, string]> = [
        [{ name: undefined }, 4000002, 'Missing parameters.'],
        [{ spec_id: '' }, 4000002, 'Missing parameters.'],
        [{ version_control: undefined }, 4000002, 'Missing parameters.'],
        [{ version_control: { type: 'git' } }, 4000002, 'Missing parameters.'],
        [{ custom_docker_file: undefined }, 4000002, 'Missing parameters.'],
        [{ domain: 'not a host' }, 4000001, 'Invalid parameters.'],
        [{ replicas: 0 }, 4000001, 'Invalid parameters.'],
        [{ version_control: { type: 'cvs', path: 'x' } }, 4000001, 'Invalid parameters.'],
        [{ docker_file_type: 3 }, 4000001, 'Invalid parameters.'],
        [{ log_dirs: ['a', 'a'] }, 4000001, 'Invalid parameters.'],
        [{ log_dirs: 'dir1' }, 4000001, 'Invalid parameters.'],
        [{ image_id: 10005, spec_id: 1 }, 4000001, 'Invalid parameters.'],
      ];
      for (const [extra, code, message] of cases) {
        expectError(await b.req(alice, 'POST', '/apps', appBody('badapp', extra)), Number(String(code).slice(0, 3)), code, message);
      }
      expectError(await b.req(alice, 'POST', '/apps', appBody('badapp', { image_type: 2 })), 404, 4040129, 'No such image.');
      const list = await b.req(alice, 'GET', '/apps');
      assert.deepEqual(list.json.apps.map((a: { name: string }) => a.name), ['ape2']);
    });

    it('4090003 for a duplicate name; another user may use it; lists are per user, newest first', async () => {
      expectError(await b.req(alice, 'POST', '/apps', appBody('ape2')), 409, 4090003, 'Duplicate app name.');
      await b.createApp(bob, 'ape2', { domain: undefined, replicas: 1 });
      await b.createApp(alice, 'second', { domain: undefined, replicas: 1 });
      const r = await b.req(alice, 'GET', '/apps?limit=1');
      assert.deepEqual([r.json.total, r.json.apps.map((a: { name: string }) => a.name)], [2, ['second']]);
      expectError(await b.req(alice, 'GET', '/apps?limit=0'), 400, 4000001, 'Invalid parameters.');
    });

    it('keeps users apart: another user’s app is 4040003 on every path, watch included', async () => {
      const id = (await b.req(alice, 'GET', '/apps')).json.apps[0].id;
      expectError(await b.req(bob, 'GET', `/apps/${id}`), 404, 4040003, 'No such app.');
      expectError(await b.req(bob, 'PUT', `/apps/${id}`, { desc: 'x' }), 404, 4040003, 'No such app.');
      expectError(await b.req(bob, 'DELETE', `/apps/${id}`), 404, 4040003, 'No such app.');
      expectError(await b.req(bob, 'PUT', `/apps/${id}/replications/3/actions/resize`), 404, 4040003, 'No such app.');
      expectError(await b.req(bob, 'GET', `/watch/apps/${id}`), 404, 4040003, 'No such app.');
      expectError(await b.req(bob, 'GET', '/apps/x1'), 404, 4040003, 'No such app.');
    });

    it('resizes: resizing → resize_succ with the new members; 4090002 for the current size, 4000001 for a bad count, 4030011 while busy', async () => {
      const { id } = await b.createApp(alice, 'sized', { domain: undefined, replicas: 2 });
      const before = (await b.app(alice, id)).containers;
      expectError(await b.req(alice, 'PUT', `/apps/${id}/replications/2/actions/resize`), 409, 4090002, 'Duplicate replication size.');
      expectError(await b.req(alice, 'PUT', `/apps/${id}/replications/0/actions/resize`), 400, 4000001, 'Invalid parameters.');
      expectError(await b.req(alice, 'PUT', `/apps/${id}/replications/x/actions/resize`), 400, 4000001, 'Invalid parameters.');
      expectEmptyOk(await b.req(alice, 'PUT', `/apps/${id}/replications/3/actions/resize`));
      let app = await b.app(alice, id);
      assert.deepEqual([app.status, app.replicas], ['resizing', 3]);
      expectError(await b.req(alice, 'PUT', `/apps/${id}/replications/1/actions/resize`), 403, 4030011, 'App status abnormal.');
      expectError(await b.req(alice, 'PUT', `/apps/${id}`, { env_var: { a: '1' } }), 403, 4030011, 'App status abnormal.');
      expectError(await b.req(alice, 'DELETE', `/apps/${id}`), 403, 4030011, 'App status abnormal.');
      await b.server.advance(1);
      app = await b.app(alice, id);
      assert.equal(app.status, 'resize_succ');
      assert.equal(app.containers.length, 3);
      assert.deepEqual(app.containers.slice(0, 2), before, 'growing keeps the existing members');
      expectEmptyOk(await b.req(alice, 'PUT', `/apps/${id}/replications/1/actions/resize`));
      await b.server.advance(1);
      assert.deepEqual((await b.app(alice, id)).containers, before.slice(0, 1));
    });

    it('updates: desc at once, anything else redeploys (new members); 4000002 for custom Dockerfile type without a path', async () => {
      const { id } = await b.createApp(alice, 'upd', { domain: undefined, replicas: 1, docker_file_type: 1, custom_docker_file: undefined });
      const before = (await b.app(alice, id)).containers;
      expectEmptyOk(await b.req(alice, 'PUT', `/apps/${id}`, { desc: 'appdesc' }));
      let app = await b.app(alice, id);
      assert.deepEqual([app.desc, app.status], ['appdesc', 'create_succ']);
      expectEmptyOk(await b.req(alice, 'PUT', `/apps/${id}`, {}));
      expectError(await b.req(alice, 'PUT', `/apps/${id}`, { docker_file_type: 2 }), 400, 4000002, 'Missing parameters.');
      expectError(await b.req(alice, 'PUT', `/apps/${id}`, { env_var: [] }), 400, 4000001, 'Invalid parameters.');
      expectEmptyOk(await b.req(alice, 'PUT', `/apps/${id}`, { env_var: { key: 'v2' }, log_dirs: ['logs'] }));
      app = await b.app(alice, id);
      assert.deepEqual([app.status, app.env_var, app.volumes.map((v: { mount_path: string }) => v.mount_path)], ['updating', { key: 'v2' }, ['logs']]);
      await b.server.advance(1);
      app = await b.app(alice, id);
      assert.equal(app.status, 'update_succ');
      assert.equal(app.containers.length, 1);
      assert.notEqual(app.containers[0].container_id, before[0].container_id);
    });

    it('the web hook redeploys without a token; 4040003 for an unknown hook, 4030011 while busy, 4050001 for GET', async () => {
      const { id, url } = await b.createApp(alice, 'hooked', { domain: undefined, replicas: 1 });
      const path = new URL(url).pathname;
      const r = await b.server.request('POST', path, { raw: '{"ref":"refs/heads/online"}', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expectEmptyOk(r);
      assert.equal((await b.app(alice, id)).status, 'updating');
      expectError(await b.server.request('POST', path), 403, 4030011, 'App status abnormal.');
      expectError(await b.server.request('POST', '/api/v1/hooks/app/00000000000000000000000000000000'), 404, 4040003, 'No such app.');
      expectError(await b.server.request('GET', path), 405, 4050001, 'Http method not allowed.');
      await b.server.advance(1);
      assert.equal((await b.app(alice, id)).status, 'update_succ');
    });

    it('quotas: 4030004 apps, 4030005 replicas (create and resize), 4030006 load balancers for apps with a domain', async () => {
      const carol = await b.server.newUser('carol');
      assert.equal((await b.quotas(carol, { apps: 3, app_replicas: 4, app_nlbs: 1 })).status, 200);
      const { id } = await b.createApp(carol, 'first', { replicas: 2 });
      expectError(await b.req(carol, 'POST', '/apps', appBody('nlbtwo', { replicas: 1 })), 403, 4030006, 'Nlb quota insufficient.');
      expectError(await b.req(carol, 'POST', '/apps', appBody('many', { domain: undefined, replicas: 3 })), 403, 4030005, 'Replication quota insufficient.');
      await b.createApp(carol, 'two', { domain: undefined, replicas: 1 });
      expectError(await b.req(carol, 'PUT', `/apps/${id}/replications/4/actions/resize`), 403, 4030005, 'Replication quota insufficient.');
      await b.createApp(carol, 'three', { domain: undefined, replicas: 1 });
      expectError(await b.req(carol, 'POST', '/apps', appBody('four', { domain: undefined, replicas: 1 })), 403, 4030004, 'App quota insufficient.');
      // Deleting frees the slots.
      expectEmptyOk(await b.req(carol, 'DELETE', `/apps/${id}`));
      await b.createApp(carol, 'four', { replicas: 1 });
    });

    it('4030009 for an abnormal account on create, update, delete and resize (after the replicas parameter)', async () => {
      const dave = await b.server.newUser('dave');
      const { id } = await b.createApp(dave, 'daveapp', { domain: undefined, replicas: 1 });
      await b.abnormal(dave);
      expectError(await b.req(dave, 'POST', '/apps', appBody('other')), 403, 4030009, 'User status abnormal.');
      expectError(await b.req(dave, 'PUT', `/apps/${id}`, { desc: 'x' }), 403, 4030009, 'User status abnormal.');
      expectError(await b.req(dave, 'DELETE', `/apps/${id}`), 403, 4030009, 'User status abnormal.');
      expectError(await b.req(dave, 'PUT', `/apps/${id}/replications/0/actions/resize`), 400, 4000001, 'Invalid parameters.');
      expectError(await b.req(dave, 'PUT', `/apps/${id}/replications/2/actions/resize`), 403, 4030009, 'User status abnormal.');
      assert.equal((await b.app(dave, id)).replicas, 1);
    });

    it('runtime refusals: 5000003 create, 5000007 resize/update/hook, 5000004 delete; nothing changes', async () => {
      const erin = await b.server.newUser('erin');
      const { id, url } = await b.createApp(erin, 'erinapp', { domain: undefined, replicas: 1 });
      b.runtime.failSubmit = true;
      try {
        expectError(await b.req(erin, 'POST', '/apps', appBody('refused')), 500, 5000003, 'Create app error.');
        expectError(await b.req(erin, 'PUT', `/apps/${id}/replications/2/actions/resize`), 500, 5000007, 'Nce internal server error.');
        expectError(await b.req(erin, 'PUT', `/apps/${id}`, { env_var: { a: 'b' } }), 500, 5000007, 'Nce internal server error.');
        expectError(await b.server.request('POST', new URL(url).pathname), 500, 5000007, 'Nce internal server error.');
      } finally {
        b.runtime.failSubmit = false;
      }
      b.runtime.failRemove = true;
      try {
        expectError(await b.req(erin, 'DELETE', `/apps/${id}`), 500, 5000004, 'Delete app error.');
      } finally {
        b.runtime.failRemove = false;
      }
      const app = await b.app(erin, id);
      assert.deepEqual([app.status, app.replicas, app.env_var], ['create_succ', 1, { key: 'value' }]);
      assert.equal((await b.req(erin, 'GET', '/apps')).json.total, 1);
    });

    it('a failed creation (create_fail) refuses resize with 4030011 and can be deleted', async () => {
      b.runtime.failOutcomes = true;
      let id: number;
      try {
        ({ id } = await b.createApp(alice, 'broken', { domain: undefined, replicas: 1 }));
      } finally {
        b.runtime.failOutcomes = false;
      }
      assert.equal((await b.app(alice, id)).status, 'create_fail');
      expectError(await b.req(alice, 'PUT', `/apps/${id}/replications/2/actions/resize`), 403, 4030011, 'App status abnormal.');
      expectEmptyOk(await b.req(alice, 'DELETE', `/apps/${id}`));
      expectError(await b.req(alice, 'GET', `/apps/${id}`), 404, 4040003, 'No such app.');
    });
  });
}
