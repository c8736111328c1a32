import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { expectError, startTestServer, STORES, type TestServer, type TestUser } from '../helpers/server.ts';
import { selfSigned } from './certs.ts';
import { CERTS, DELAY, httpListener, Lb, LBS } from './helpers.ts';

/** Our own failures answer each operation's 5xx code, never a detail (tables dropped under a running server). */
for (const store of STORES) {
  describe(`load balancers: storage failures (${store})`, () => {
    let server: TestServer;
    let lb: Lb;
    let user: TestUser;
    let certId: string;
    const pair = selfSigned();
    const drop = (table: string) => sql.raw(`drop table ${table}${store === 'postgres' ? ' cascade' : ''}`).execute(server.services.store.db);

    before(async () => {
      server = await startTestServer(store, { ipBindingDelaySeconds: DELAY });
      lb = new Lb(server);
      user = await server.newUser('broken');
      await lb.service(user, 'web', [80]);
      await lb.createWorking(user, 'lb');
      assert.equal((await lb.addListener(user, 'lb', httpListener('l', 80, 'web'))).status, 200);
      certId = (await server.request('POST', CERTS, { token: user.token, body: { name: 'c', pubCert: pair.cert, priKey: pair.key } })).json.id;
    });
    after(() => server.close());

    it('certificates: 5000410-5000413', async () => {
      await drop('nlb_certs');
      const body = { name: 'c2', pubCert: pair.cert, priKey: pair.key };
      expectError(await server.request('POST', CERTS, { token: user.token, body }), 500, 5000411, 'Upload cert error');
      expectError(await server.request('GET', CERTS, { token: user.token }), 500, 5000410, 'List certs error');
      expectError(await server.request('PUT', `${CERTS}/${certId}`, { token: user.token, body }), 500, 5000412, 'Update cert error');
      expectError(await server.request('DELETE', `${CERTS}/${certId}`, { token: user.token }), 500, 5000413, 'Delete cert error');
    });

    it('listeners: 5000406-5000409', async () => {
      await drop('nlb_listeners');
      expectError(await lb.listeners(user, 'lb'), 500, 5000406, 'Get listener error');
      expectError(await lb.addListener(user, 'lb', httpListener('l2', 8080, 'web')), 500, 5000407, 'Add listener error');
      expectError(await lb.updateListener(user, 'lb', 'l', { clusters: [{ serviceName: 'web', servicePort: 80 }] }), 500, 5000408, 'Update listener error');
      expectError(await lb.delListener(user, 'lb', 'l'), 500, 5000409, 'Delete listener error');
    });

    it('load balancers: 5000401-5000405', async () => {
      await drop('nlb_loadbalancers');
      expectError(await lb.create(user, { name: 'new' }), 500, 5000402, 'Create loadbalancer error');
      expectError(await lb.list(user), 500, 5000401, 'List loadbalancers error');
      expectError(await lb.get(user, 'lb'), 500, 5000403, 'Describe loadbalancer error');
      expectError(await lb.update(user, 'lb', { description: 'x' }), 500, 5000404, 'Update loadbalancer error');
      expectError(await lb.del(user, 'lb'), 500, 5000405, 'Delete loadbalancer error');
      const ips = await server.request('GET', '/api/v1/ips', { token: user.token });
      assert.equal(ips.json.total, 1, 'the failed create allocated no IP');
    });

    it('the namespace cannot be read: 5000400 before any operation starts', async () => {
      // Renamed rather than dropped: other tables reference it.
      await sql.raw('alter table ms_namespaces rename to ms_namespaces_gone').execute(server.services.store.db);
      expectError(await lb.get(user, 'lb'), 500, 5000400, 'Server error');
      expectError(await lb.create(user, { name: 'new' }), 500, 5000400, 'Server error');
      expectError(await lb.list(user, '', lb.ns(user)), 500, 5000400, 'Server error');
      expectError(await lb.addListener(user, 'lb', httpListener('l2', 8080, 'web')), 500, 5000400, 'Server error');
      expectError(await server.request('GET', `${LBS}/lb/listeners`, { token: user.token, headers: { namespace: lb.ns(user) } }), 500, 5000400, 'Server error');
    });
  });
}
