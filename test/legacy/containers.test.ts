import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectError, STORES, type TestUser } from '../helpers/server.ts';
import { Beta, containerBody, expectEmptyOk } from './helpers.ts';

const KEYS = ['id', 'name', 'desc', 'status', 'bandwidth', 'replicas', 'charge_type', 'spec_id', 'created_at', 'updated_at', 'public_ip', 'private_ip', 'ssh_key_ids', 'network_charge_type', 'image_id', 'use_public_network', 'env_var'];

for (const store of STORES) {
  describe(`beta containers (${store})`, () => {
    let b: Beta;
    let alice: TestUser;
    let bob: TestUser;

    before(async () => {
      b = await Beta.start(store);
      alice = await b.server.newUser('alice');
      bob = await b.server.newUser('bob');
    });
    after(() => b.server.close());

    it('lists the public images (documented centos entry) and the caller’s built tags as custom images', async () => {
      const r = await b.req(alice, 'GET', '/containers/images');
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.custom_images, []);
      assert.deepEqual(r.json.public_images[0], { tag: 'latest', desc: '', weight: 3, id: 10005, name: 'centos', constraint: { min_combo: 20, max_combo: 50, min_machine_spec: 10, max_machine_spec: 40 } });
      assert.deepEqual(r.json.public_images.map((i: { id: number }) => i.id), [10005, 2, 3]);
    });

    it('creates the documented example: creating, then create_succ with IPs after the delay on the test clock', async () => {
      const key = await b.req(alice, 'POST', '/secret-keys', { key_name: 'k1' });
      assert.equal(key.status, 201, key.text);
      const r = await b.req(alice, 'POST', '/containers', containerBody('web1', { ssh_key_ids: [key.json.id] }));
      assert.equal(r.status, 201, r.text);
      assert.deepEqual(Object.keys(r.json), ['id']);
      const before = await b.container(alice, r.json.id);
      assert.deepEqual(Object.keys(before), KEYS);
      assert.equal(before.status, 'creating');
      assert.equal(before.private_ip, null);
      assert.deepEqual(before.ssh_key_ids, [key.json.id]);
      await b.server.advance(1);
      const after = await b.container(alice, r.json.id);
      assert.equal(after.status, 'create_succ');
      assert.match(after.private_ip, /^10\.\d+\.\d+\.\d+$/);
      assert.match(after.public_ip, /^\d+\.\d+\.\d+\.\d+$/);
      assert.equal(after.replicas, 1);
      // ssh_key_ids as a comma-separated string is accepted too.
      const s = await b.req(alice, 'POST', '/containers', containerBody('web2', { ssh_key_ids: `${key.json.id}` }));
      assert.equal(s.status, 201, s.text);
    });

    it('on-demand without public network stores the network fields as null', async () => {
      const id = await b.createContainer(alice, 'quiet1', { charge_type: 2, use_public_network: 0, network_charge_type: undefined, bandwidth: undefined });
      const c = await b.container(alice, id);
      assert.deepEqual([c.use_public_network, c.network_charge_type, c.bandwidth, c.public_ip], [0, null, null, null]);
    });

    it('answers 4000002 for a missing field, including the conditional ones, and 4000001 for broken rules', async () => {
      const cases: Array<[Record<string, unknown>, number, string]> = [
        [{ name: undefined }, 4000002, 'Missing parameters.'],
        [{ charge_type: null }, 4000002, 'Missing parameters.'],
        [{ charge_type: 2, use_public_network: undefined }, 4000002, 'Missing parameters.'],
        [{ charge_type: 2, network_charge_type: undefined }, 4000002, 'Missing parameters.'],
        [{ charge_type: 2, bandwidth: undefined }, 4000002, 'Missing parameters.'],
        [{ charge_type: 3 }, 4000001, 'Invalid parameters.'],
        [{ spec_id: 2 }, 4000001, 'Invalid parameters.'],
        [{ name: '1abc' }, 4000001, 'Invalid parameters.'],
        [{ name: 'ab' }, 4000001, 'Invalid parameters.'],
        [{ desc: 'x'.repeat(256) }, 4000001, 'Invalid parameters.'],
        [{ ssh_key_ids: [1, 2, 3, 4, 5, 6] }, 4000001, 'Invalid parameters.'],
        [{ env_var: { '1bad': 'v' } }, 4000001, 'Invalid parameters.'],
        [{ charge_type: 2, bandwidth: 101 }, 4000001, 'Invalid parameters.'],
        // centos:latest allows package specs 20–50 only.
        [{ image_id: 10005, spec_id: 10 }, 4000001, 'Invalid parameters.'],
      ];
      for (const [extra, code, message] of cases) {
        const r = await b.req(alice, 'POST', '/containers', containerBody('bad1', extra));
        expectError(r, Number(String(code).slice(0, 3)), code, message);
      }
      const list = await b.req(alice, 'GET', '/containers');
      assert.ok(!list.json.containers.some((c: { name: string }) => c.name === 'bad1'), 'no container was created');
    });

    it('answers 4040129 for an image not in the list of its type and 4040005 for another user’s key', async () => {
      expectError(await b.req(alice, 'POST', '/containers', containerBody('img1', { image_type: 2, image_id: 2 })), 404, 4040129, 'No such image.');
      const bobKey = await b.req(bob, 'POST', '/secret-keys', { key_name: 'bk' });
      expectError(await b.req(alice, 'POST', '/containers', containerBody('key1', { ssh_key_ids: [bobKey.json.id] })), 404, 4040005, 'No such secret key.');
    });

    it('answers 4090001 for a duplicate name (another user may use it)', async () => {
      expectError(await b.req(alice, 'POST', '/containers', containerBody('web1')), 409, 4090001, 'Duplicate container name.');
      await b.createContainer(bob, 'web1');
    });

    it('lists newest first with paging; 4000001 for a bad limit or offset', async () => {
      const r = await b.req(alice, 'GET', '/containers?limit=2&offset=0');
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.total, 3);
      assert.deepEqual(r.json.containers.map((c: { name: string }) => c.name), ['quiet1', 'web2']);
      const rest = await b.req(alice, 'GET', '/containers?limit=2&offset=2');
      assert.deepEqual(rest.json.containers.map((c: { name: string }) => c.name), ['web1']);
      expectError(await b.req(alice, 'GET', '/containers?limit=31'), 400, 4000001, 'Invalid parameters.');
      expectError(await b.req(alice, 'GET', '/containers?offset=-1'), 400, 4000001, 'Invalid parameters.');
    });

    it('keeps users apart: another user’s container is 4040002 everywhere', async () => {
      const list = await b.req(alice, 'GET', '/containers');
      const id = list.json.containers[0].id;
      expectError(await b.req(bob, 'GET', `/containers/${id}`), 404, 4040002, 'No such container.');
      expectError(await b.req(bob, 'PUT', `/containers/${id}`, { desc: 'x' }), 404, 4040002, 'No such container.');
      expectError(await b.req(bob, 'PUT', `/containers/${id}/actions/restart`), 404, 4040002, 'No such container.');
      expectError(await b.req(bob, 'DELETE', `/containers/${id}`), 404, 4040002, 'No such container.');
      expectError(await b.req(bob, 'POST', `/containers/${id}/tag`, { repo_name: 'r', tag: 't' }), 404, 4040002, 'No such container.');
      expectError(await b.req(bob, 'GET', `/containers/${id}/flow`), 404, 4040002, 'No such container.');
      expectError(await b.req(bob, 'GET', '/containers/abc'), 404, 4040002, 'No such container.');
      assert.equal((await b.container(alice, id)).desc, 'desc');
    });

    it('updates desc at once and billing through updating → update_succ; 4000002 when the result lacks bandwidth', async () => {
      const id = await b.createContainer(alice, 'upd1', { charge_type: 2, use_public_network: 1, network_charge_type: 2, bandwidth: undefined });
      expectEmptyOk(await b.req(alice, 'PUT', `/containers/${id}`, { desc: 'new' }));
      let c = await b.container(alice, id);
      assert.deepEqual([c.desc, c.status], ['new', 'create_succ']);
      expectEmptyOk(await b.req(alice, 'PUT', `/containers/${id}`, {}));
      expectError(await b.req(alice, 'PUT', `/containers/${id}`, { network_charge_type: 1 }), 400, 4000002, 'Missing parameters.');
      expectError(await b.req(alice, 'PUT', `/containers/${id}`, { bandwidth: 0 }), 400, 4000001, 'Invalid parameters.');
      expectEmptyOk(await b.req(alice, 'PUT', `/containers/${id}`, { network_charge_type: 1, bandwidth: 10 }));
      c = await b.container(alice, id);
      assert.deepEqual([c.status, c.network_charge_type, c.bandwidth], ['updating', 1, 10]);
      // 4030010: not stable while updating.
      expectError(await b.req(alice, 'PUT', `/containers/${id}`, { desc: 'x' }), 403, 4030010, 'Container status abnormal.');
      expectError(await b.req(alice, 'PUT', `/containers/${id}/actions/restart`), 403, 4030010, 'Container status abnormal.');
      expectError(await b.req(alice, 'DELETE', `/containers/${id}`), 403, 4030010, 'Container status abnormal.');
      expectError(await b.req(alice, 'POST', `/containers/${id}/tag`, { repo_name: 'saved', tag: 'v1' }), 403, 4030010, 'Container status abnormal.');
      await b.server.advance(1);
      assert.equal((await b.container(alice, id)).status, 'update_succ');
    });

    it('restarts through updating → update_succ, keeping the private IP', async () => {
      const id = await b.createContainer(alice, 'rst1');
      const ip = (await b.container(alice, id)).private_ip;
      expectEmptyOk(await b.req(alice, 'PUT', `/containers/${id}/actions/restart`, { ignored: true }));
      assert.equal((await b.container(alice, id)).status, 'updating');
      await b.server.advance(1);
      const c = await b.container(alice, id);
      assert.deepEqual([c.status, c.private_ip], ['update_succ', ip]);
    });

    it('a failed creation (create_fail) refuses restart with 4030010 but can be deleted', async () => {
      b.runtime.failOutcomes = true;
      try {
        const id = await b.createContainer(alice, 'fail1');
        assert.equal((await b.container(alice, id)).status, 'create_fail');
        expectError(await b.req(alice, 'PUT', `/containers/${id}/actions/restart`), 403, 4030010, 'Container status abnormal.');
        expectEmptyOk(await b.req(alice, 'DELETE', `/containers/${id}`));
        expectError(await b.req(alice, 'GET', `/containers/${id}`), 404, 4040002, 'No such container.');
      } finally {
        b.runtime.failOutcomes = false;
      }
    });

    it('answers the documented 5xx when the runtime refuses: 5000001 create, 5000007 restart/update, 5000002 delete; nothing changes', async () => {
      const id = await b.createContainer(alice, 'rt1', { charge_type: 2, use_public_network: 0 });
      b.runtime.failSubmit = true;
      try {
        expectError(await b.req(alice, 'POST', '/containers', containerBody('rt2')), 500, 5000001, 'Create container error.');
        expectError(await b.req(alice, 'PUT', `/containers/${id}/actions/restart`), 500, 5000007, 'Nce internal server error.');
        expectError(await b.req(alice, 'PUT', `/containers/${id}`, { charge_type: 1, network_charge_type: 1, bandwidth: 5 }), 500, 5000007, 'Nce internal server error.');
      } finally {
        b.runtime.failSubmit = false;
      }
      const c = await b.container(alice, id);
      assert.deepEqual([c.status, c.charge_type], ['create_succ', 2]);
      const all = await b.req(alice, 'GET', '/containers?limit=30');
      assert.ok(!all.json.containers.some((x: { name: string }) => x.name === 'rt2'), 'the refused container was not stored');
      b.runtime.failRemove = true;
      try {
        expectError(await b.req(alice, 'DELETE', `/containers/${id}`), 500, 5000002, 'Delete container error.');
      } finally {
        b.runtime.failRemove = false;
      }
      assert.equal((await b.container(alice, id)).status, 'create_succ');
    });

    it('traffic (flow) answers megabytes; 4000001 when from_time is after to_time or not an integer', async () => {
      const id = await b.createContainer(alice, 'flow1');
      const r = await b.req(alice, 'GET', `/containers/${id}/flow?from_time=-1&to_time=-1`);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json, { container_up_flow: '0.0MB', container_down_flow: '0.0MB' });
      const now = Math.floor(Date.parse(await b.server.advance(0)) / 1000);
      expectError(await b.req(alice, 'GET', `/containers/${id}/flow?from_time=${now + 10}&to_time=${now}`), 400, 4000001, 'Invalid parameters.');
      expectError(await b.req(alice, 'GET', `/containers/${id}/flow?from_time=abc`), 400, 4000001, 'Invalid parameters.');
    });

    it('saves a container as an image: a tag in a new private repository, listed as a custom image after its build', async () => {
      const id = await b.createContainer(alice, 'save1');
      expectError(await b.req(alice, 'POST', `/containers/${id}/tag`, { tag: 'v1' }), 400, 4000002, 'Missing parameters.');
      expectError(await b.req(alice, 'POST', `/containers/${id}/tag`, { repo_name: 'Bad Name', tag: 'v1' }), 400, 4000001, 'Invalid parameters.');
      const r = await b.req(alice, 'POST', `/containers/${id}/tag`, { repo_name: 'cluster', tag: '1.2.6' });
      assert.equal(r.status, 201, r.text);
      assert.match(r.json.image_id, /^\d+$/);
      // 4030012: the tag is still building.
      expectError(await b.req(alice, 'POST', `/containers/${id}/tag`, { repo_name: 'cluster', tag: '1.2.6' }), 403, 4030012, 'Image status abnormal.');
      await b.server.advance(1);
      const images = await b.req(alice, 'GET', '/containers/images');
      assert.deepEqual(images.json.custom_images, [{ tag: '1.2.6', desc: '1.2.6', weight: 0, id: Number(r.json.image_id), name: 'cluster', constraint: null }]);
      // Usable as image_id with image_type 2, also as the returned string.
      const made = await b.req(alice, 'POST', '/containers', containerBody('fromimg', { image_type: 2, image_id: r.json.image_id }));
      assert.equal(made.status, 201, made.text);
      // Overwriting the built tag keeps its id.
      const again = await b.req(alice, 'POST', `/containers/${id}/tag`, { repo_name: 'cluster', tag: '1.2.6' });
      assert.deepEqual([again.status, again.json.image_id], [201, r.json.image_id]);
      // 4030008: a new tag in a full repository; 4030007: a new repository over the repository quota.
      assert.equal((await b.quotas(alice, { tags_per_repository: 1, repositories: 1 })).status, 200);
      expectError(await b.req(alice, 'POST', `/containers/${id}/tag`, { repo_name: 'cluster', tag: 'v2' }), 403, 4030008, 'Tag quota insufficient.');
      expectError(await b.req(alice, 'POST', `/containers/${id}/tag`, { repo_name: 'other', tag: 'v1' }), 403, 4030007, 'Image quota insufficient.');
      assert.equal((await b.quotas(alice, { tags_per_repository: 100, repositories: 10 })).status, 200);
    });

    it('quotas: 4030002 containers, 4030003 public IPs (create, and update to package billing); failed ones count', async () => {
      const carol = await b.server.newUser('carol');
      assert.equal((await b.quotas(carol, { legacy_containers: 3, legacy_ips: 1 })).status, 200);
      const quiet = await b.createContainer(carol, 'cc1', { charge_type: 2, use_public_network: 0 });
      await b.createContainer(carol, 'cc2');
      expectError(await b.req(carol, 'POST', '/containers', containerBody('cc3')), 403, 4030003, 'Ip quota insufficient.');
      expectError(await b.req(carol, 'PUT', `/containers/${quiet}`, { charge_type: 1, network_charge_type: 1, bandwidth: 5 }), 403, 4030003, 'Ip quota insufficient.');
      assert.equal((await b.container(carol, quiet)).charge_type, 2);
      await b.createContainer(carol, 'cc3', { charge_type: 2, use_public_network: 0 });
      expectError(await b.req(carol, 'POST', '/containers', containerBody('cc4', { charge_type: 2, use_public_network: 0 })), 403, 4030002, 'Container quota insufficient.');
    });

    it('4030009 for an abnormal account on every changing endpoint; reads still work', async () => {
      const dave = await b.server.newUser('dave');
      const id = await b.createContainer(dave, 'dd1');
      await b.abnormal(dave);
      expectError(await b.req(dave, 'POST', '/containers', containerBody('dd2')), 403, 4030009, 'User status abnormal.');
      expectError(await b.req(dave, 'PUT', `/containers/${id}`, { desc: 'x' }), 403, 4030009, 'User status abnormal.');
      expectError(await b.req(dave, 'PUT', `/containers/${id}/actions/restart`), 403, 4030009, 'User status abnormal.');
      expectError(await b.req(dave, 'DELETE', `/containers/${id}`), 403, 4030009, 'User status abnormal.');
      expectError(await b.req(dave, 'POST', `/containers/${id}/tag`, { repo_name: 'r', tag: 't' }), 403, 4030009, 'User status abnormal.');
      assert.equal((await b.container(dave, id)).status, 'create_succ');
    });
  });
}
