import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectError, startTestServer, STORES, type TestServer, type TestUser } from '../helpers/server.ts';
import { selfSigned } from './certs.ts';
import { CERTS, DELAY, httpListener, Lb, MS_TIME } from './helpers.ts';

const LISTENER_KEYS = ['name', 'listenPort', 'protocol', 'createtime', 'updatetime', 'clusters'];

for (const store of STORES) {
  describe(`load-balancer listeners (${store})`, () => {
    let server: TestServer;
    let lb: Lb;
    let alice: TestUser;
    let certId: string;
    let otherCertId: string;

    async function uploadCert(user: TestUser, name: string): Promise<string> {
      const c = selfSigned(`${name}.example.com`);
      const r = await server.request('POST', CERTS, { token: user.token, body: { name, pubCert: c.cert, priKey: c.key } });
      assert.equal(r.status, 200, r.text);
      return r.json.id;
    }

    before(async () => {
      server = await startTestServer(store, { ipBindingDelaySeconds: DELAY });
      lb = new Lb(server);
      alice = await server.newUser('alice');
      await lb.service(alice, 'web', [80, 8080], { udp: [53] });
      await lb.service(alice, 'api', [9000]);
      await lb.createWorking(alice, 'main');
      certId = await uploadCert(alice, 'site');
      otherCertId = await uploadCert(alice, 'other');
    });
    after(() => server.close());

    const bad = async (body: unknown, status: number, code: number, message: string, lbName = 'main') =>
      expectError(await lb.addListener(alice, lbName, body), status, code, message);

    it('creates an http listener; view-listeners and the LB detail show it in the documented form', async () => {
      const before = (await lb.get(alice, 'main')).json;
      const body = {
        name: 'my-listeners', listenPort: '80', protocol: 'HTTP',
        clusters: [{ serverName: '  163.com   www.163.com ', certId: 'ignored-on-http', path: '/cloud', serviceName: 'web', servicePort: 8080, policy: { mode: 'Insert', expire: 30000 } }],
      };
      const r = await lb.addListener(alice, 'main', body);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.text, '');
      const view = await lb.listeners(alice, 'main');
      assert.equal(view.status, 200, view.text);
      assert.equal(view.json.length, 1);
      const l = view.json[0];
      assert.deepEqual(Object.keys(l), LISTENER_KEYS);
      assert.deepEqual([l.name, l.listenPort, l.protocol], ['my-listeners', 80, 'http']);
      assert.match(l.createtime, MS_TIME);
      assert.deepEqual(l.clusters, [{ serverName: '163.com www.163.com', path: '/cloud', serviceName: 'web', servicePort: 8080, policy: { mode: 'insert', expire: 30000 } }]);
      const detail = (await lb.get(alice, 'main')).json;
      assert.equal(detail.listeners.length, 1);
      const cluster = detail.listeners[0].clusters[0];
      assert.deepEqual(Object.keys(cluster), ['name', 'serverName', 'path', 'serviceName', 'servicePort', 'policy']);
      assert.match(cluster.name, /^groupName_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.ok(detail.updatetime >= before.updatetime);
      assert.equal(detail.updatetime, l.createtime, 'the LB’s updatetime is the listener’s creation');
    });

    it('defaults: serverName *, path /, policy omitted; rewrite keeps cookieName; insert defaults expire to 30', async () => {
      const r = await lb.addListener(alice, 'main', {
        name: 'defaults', protocol: 'http', listenPort: 1080,
        clusters: [
          { serviceName: 'web', servicePort: 80, serverName: '', path: '   ', policy: {} },
          { serviceName: 'api', servicePort: 9000, serverName: 'a.com', policy: { mode: 'rewrite', cookieName: 'sid', expire: 5 } },
          { serviceName: 'api', servicePort: 9000, serverName: 'b.com', policy: { mode: 'insert', cookieName: 'ignored' } },
        ],
      });
      assert.equal(r.status, 200, r.text);
      const l = (await lb.listeners(alice, 'main')).json.find((x: { name: string }) => x.name === 'defaults');
      assert.deepEqual(l.clusters, [
        { serverName: '*', path: '/', serviceName: 'web', servicePort: 80 },
        { serverName: 'a.com', path: '/', serviceName: 'api', servicePort: 9000, policy: { mode: 'rewrite', cookieName: 'sid' } },
        { serverName: 'b.com', path: '/', serviceName: 'api', servicePort: 9000, policy: { mode: 'insert', expire: 30 } },
      ]);
    });

    it('https listeners pin a certificate per cluster; tcp listeners keep only the backend', async () => {
      const https = await lb.addListener(alice, 'main', {
        name: 'secure', protocol: 'https', listenPort: 443,
        clusters: [{ serverName: 'a.com', certId: certId.toUpperCase(), serviceName: 'web', servicePort: 80 }, { serverName: 'b.com', certId: otherCertId, serviceName: 'web', servicePort: 80 }],
      });
      assert.equal(https.status, 200, https.text);
      const tcp = await lb.addListener(alice, 'main', {
        name: 'raw', protocol: 'tcp', listenPort: 20,
        clusters: [{ serverName: '%%%', path: 'nope', certId: 'x', policy: 'ignored', serviceName: 'api', servicePort: 9000 }],
      });
      assert.equal(tcp.status, 200, tcp.text);
      const all = (await lb.listeners(alice, 'main')).json;
      assert.deepEqual(all.find((x: { name: string }) => x.name === 'secure').clusters, [
        { serverName: 'a.com', certId, path: '/', serviceName: 'web', servicePort: 80 },
        { serverName: 'b.com', certId: otherCertId, path: '/', serviceName: 'web', servicePort: 80 },
      ]);
      assert.deepEqual(all.find((x: { name: string }) => x.name === 'raw').clusters, [{ serviceName: 'api', servicePort: 9000 }]);
      assert.deepEqual(all.map((x: { name: string }) => x.name).slice(-2), ['secure', 'raw'], 'oldest first');
      // The certificate is in use now.
      expectError(await server.request('DELETE', `${CERTS}/${certId}`, { token: alice.token }), 403, 4030410, 'Cert is using');
    });

    it('field checks in table order, each field missing → type → format (4000460 before formats)', async () => {
      const cluster = { serviceName: 'web', servicePort: 80 };
      const l = (extra: Record<string, unknown>) => ({ name: 'v', protocol: 'http', listenPort: 8001, clusters: [cluster], ...extra });
      await bad({}, 400, 4000402, 'Missing parameters');
      await bad(l({ name: undefined }), 400, 4000402, 'Missing parameters');
      await bad(l({ name: 5 }), 400, 4000460, 'Invalid parameter type');
      await bad(l({ name: 'Bad_Name' }), 400, 4000401, 'Invalid parameters');
      await bad(l({ name: 'x'.repeat(25) }), 400, 4000401, 'Invalid parameters');
      await bad(l({ protocol: undefined }), 400, 4000402, 'Missing parameters');
      await bad(l({ protocol: ['http'] }), 400, 4000460, 'Invalid parameter type');
      await bad(l({ protocol: 'udp' }), 400, 4000453, 'Invalid listener protocol');
      await bad(l({ listenPort: undefined }), 400, 4000402, 'Missing parameters');
      await bad(l({ listenPort: true }), 400, 4000460, 'Invalid parameter type');
      await bad(l({ listenPort: '80a' }), 400, 4000460, 'Invalid parameter type');
      await bad(l({ listenPort: 81 }), 400, 4000454, 'Invalid listener port');
      await bad(l({ listenPort: 443 }), 400, 4000454, 'Invalid listener port');
      await bad(l({ listenPort: 8001.5 }), 400, 4000454, 'Invalid listener port');
      await bad(l({ protocol: 'https', listenPort: 80 }), 400, 4000454, 'Invalid listener port');
      await bad(l({ protocol: 'tcp', listenPort: 19 }), 400, 4000454, 'Invalid listener port');
      await bad(l({ listenPort: 65536 }), 400, 4000454, 'Invalid listener port');
      await bad(l({ clusters: undefined }), 400, 4000402, 'Missing parameters');
      await bad(l({ clusters: {} }), 400, 4000460, 'Invalid parameter type');
      await bad(l({ clusters: [] }), 400, 4000401, 'Invalid parameters');
      await bad(l({ clusters: ['web'] }), 400, 4000460, 'Invalid parameter type');
      await bad(l({ clusters: [null] }), 400, 4000460, 'Invalid parameter type');
      const c = (extra: Record<string, unknown>) => l({ clusters: [{ ...cluster, ...extra }] });
      await bad(c({ serverName: 7 }), 400, 4000460, 'Invalid parameter type');
      for (const serverName of ['c.*.com', '*.163.*', '*163.com', '-a.com', 'a..com', '~(', '~', 'é.com', 'a\tb', 'x'.repeat(513)]) {
        await bad(c({ serverName }), 400, 4000451, 'Invalid serverName');
      }
      await bad(c({ path: 7 }), 400, 4000460, 'Invalid parameter type');
      for (const path of ['cloud', '~[', '/a nope', '/' + 'x'.repeat(128)]) await bad(c({ path }), 400, 4000450, 'Invalid path');
      await bad(c({ serviceName: undefined }), 400, 4000402, 'Missing parameters');
      await bad(c({ serviceName: '' }), 400, 4000402, 'Missing parameters');
      await bad(c({ serviceName: 1 }), 400, 4000460, 'Invalid parameter type');
      await bad(c({ servicePort: undefined }), 400, 4000402, 'Missing parameters');
      await bad(c({ servicePort: '8o' }), 400, 4000460, 'Invalid parameter type');
      await bad(c({ servicePort: 0 }), 400, 4000458, 'Invalid servicePort');
      await bad(c({ servicePort: 65536 }), 400, 4000458, 'Invalid servicePort');
      await bad(c({ servicePort: 80.5 }), 400, 4000458, 'Invalid servicePort');
      await bad(c({ policy: 'insert' }), 400, 4000460, 'Invalid parameter type');
      await bad(c({ policy: [] }), 400, 4000460, 'Invalid parameter type');
      for (const policy of [{ expire: 5 }, { mode: 'sticky' }, { mode: 'insert', expire: 0 }, { mode: 'insert', expire: 86401 }, { mode: 'insert', expire: 1.5 },
        { mode: 'rewrite' }, { mode: 'rewrite', cookieName: 'a b' }, { mode: 'rewrite', cookieName: 'x'.repeat(65) }]) {
        await bad(c({ policy }), 400, 4000472, 'Invalid policy');
      }
      await bad(c({ policy: { mode: 1 } }), 400, 4000460, 'Invalid parameter type');
      await bad(l({ protocol: 'https', listenPort: 8443 }), 400, 4000452, 'CertId not found');
      await bad(l({ protocol: 'https', listenPort: 8443, clusters: [{ ...cluster, certId: '' }] }), 400, 4000452, 'CertId not found');
      // Order: the first failing field decides, clusters in array order.
      await bad(l({ name: 'Bad', protocol: 'udp' }), 400, 4000401, 'Invalid parameters');
      await bad(l({ protocol: 'udp', listenPort: true }), 400, 4000453, 'Invalid listener protocol');
      await bad(l({ clusters: [{ ...cluster, serverName: '-' }, { servicePort: 80 }] }), 400, 4000451, 'Invalid serverName');
      await bad(l({ clusters: [cluster, { serverName: '-', servicePort: 80 }] }), 400, 4000451, 'Invalid serverName');
      await bad(c({ serverName: 'a..b', path: 5 }), 400, 4000451, 'Invalid serverName');
      await bad(c({ serverName: 5, path: 'x' }), 400, 4000460, 'Invalid parameter type');
      // The namespace comes before the body.
      expectError(await lb.addListener(alice, 'main', {}, null), 400, 4000402, 'Missing parameters');
      assert.equal((await lb.listeners(alice, 'main')).json.some((x: { name: string }) => x.name === 'v'), false, 'nothing was stored');
    });

    it('host and path rule forms the reference allows', async () => {
      const r = await lb.addListener(alice, 'main', {
        name: 'forms', protocol: 'http', listenPort: 2080,
        clusters: [
          { serverName: '*.163.com c.163.* ~^api\\d+\\.example\\.com$ Under_Score.EXAMPLE.com', path: '/ ~^/v[0-9]+/ /a/b', serviceName: 'web', servicePort: 80 },
          { serverName: '*', path: '/x', serviceName: 'web', servicePort: 80 },
        ],
      });
      assert.equal(r.status, 200, r.text);
    });

    it('references: 4040402 LB, then certId 4000452, serviceName 4040401, servicePort 4000458', async () => {
      const one = (extra: Record<string, unknown>, protocol = 'http', listenPort = 8100) => ({ name: 'refs', protocol, listenPort, clusters: [{ serviceName: 'web', servicePort: 80, ...extra }] });
      await bad(one({}), 404, 4040402, 'No such loadbalancer', 'nope');
      expectError(await lb.addListener(alice, 'main', one({}), 'nope-ns'), 400, 4000459, 'Namspace not found');
      await bad(one({ certId: '00000000-0000-4000-8000-000000000000' }, 'https', 8443), 400, 4000452, 'CertId not found');
      await bad(one({ serviceName: 'ghost' }), 404, 4040401, 'No such resource');
      await bad(one({ servicePort: 81 }), 400, 4000458, 'Invalid servicePort');
      await bad(one({ servicePort: 53 }), 400, 4000458, 'Invalid servicePort');
      // certId before serviceName, serviceName before servicePort, across clusters.
      const mixed = { name: 'refs', protocol: 'https', listenPort: 8443, clusters: [
        { serviceName: 'ghost', servicePort: 80, certId },
        { serviceName: 'web', servicePort: 80, certId: '00000000-0000-4000-8000-000000000000' },
      ] };
      await bad(mixed, 400, 4000452, 'CertId not found');
      await bad({ ...mixed, clusters: [{ serviceName: 'web', servicePort: 81, certId }, { serviceName: 'ghost', servicePort: 80, certId }] }, 404, 4040401, 'No such resource');
      // A service of another namespace is not a backend here.
      const { id: nsId } = await lb.newNamespace(alice, 'elsewhere');
      await lb.service(alice, 'far', [80], { namespaceId: nsId });
      await bad(one({ serviceName: 'far' }), 404, 4040401, 'No such resource');
      // Another user's certificate does not exist for this one.
      const bob = await server.newUser('bob');
      const bobCert = selfSigned('bob.example.com');
      const up = await server.request('POST', CERTS, { token: bob.token, body: { name: 'bob', pubCert: bobCert.cert, priKey: bobCert.key } });
      await bad(one({ certId: up.json.id }, 'https', 8443), 400, 4000452, 'CertId not found');
    });

    it('conflicts: stored name 4090480 and port 4090401, then hosts 4090451, paths 4090467, forward rules 4090457', async () => {
      const user = await server.newUser('conflicts');
      await lb.service(user, 'web', [80]);
      const cert = selfSigned();
      const c1 = (await server.request('POST', CERTS, { token: user.token, body: { name: 'c1', pubCert: cert.cert, priKey: cert.key } })).json.id;
      const c2 = (await server.request('POST', CERTS, { token: user.token, body: { name: 'c2', pubCert: cert.cert, priKey: cert.key } })).json.id;
      await lb.createWorking(user, 'lb');
      assert.equal((await lb.addListener(user, 'lb', httpListener('l1', 80, 'web'))).status, 200);
      const add = (body: unknown) => lb.addListener(user, 'lb', body);
      expectError(await add(httpListener('l1', 8080, 'web')), 409, 4090480, 'Duplicate listener');
      expectError(await add(httpListener('l2', 80, 'web')), 409, 4090401, 'Duplicate resource');
      expectError(await add({ name: 'l2', protocol: 'tcp', listenPort: 80, clusters: [{ serviceName: 'web', servicePort: 80 }] }), 409, 4090401, 'Duplicate resource');
      const web = { serviceName: 'web', servicePort: 80 };
      const body = (clusters: unknown[], protocol = 'http', listenPort = 8080) => ({ name: 'l2', protocol, listenPort, clusters });
      expectError(await add(body([{ ...web, serverName: 'a.com A.COM' }])), 409, 4090451, 'Duplicate serverName');
      expectError(await add(body([{ ...web, serverName: 'a.com', certId: c1 }, { ...web, serverName: 'a.com', path: '/x', certId: c2 }], 'https', 8443)), 409, 4090451, 'Duplicate serverName');
      expectError(await add(body([{ ...web, path: '/a /b /a' }])), 409, 4090467, 'Duplicate path');
      expectError(await add(body([{ ...web, serverName: 'a.com b.com', path: '/x' }, { ...web, serverName: 'B.com', path: '/y /x' }])), 409, 4090457, 'Duplicate forward rule');
      expectError(await add(body([web, { ...web }])), 409, 4090457, 'Duplicate forward rule');
      expectError(await add(body([web, web], 'tcp', 9000)), 409, 4090457, 'Duplicate forward rule');
      // Same host, different path; case differs only in the path: both fine.
      assert.equal((await add(body([{ ...web, serverName: 'a.com', path: '/x' }, { ...web, serverName: 'A.com', path: '/X' }]))).status, 200);
      // Order: stored conflicts before body conflicts.
      expectError(await add({ ...body([web, web]), name: 'l1' }), 409, 4090480, 'Duplicate listener');
    });

    it('quotas: 20 listeners per LB (4000470), 50 clusters per listener (4000471)', async () => {
      const user = await server.newUser('quota');
      await lb.service(user, 'web', [80]);
      await lb.createWorking(user, 'lb');
      const clusters = (n: number) => Array.from({ length: n }, (_, i) => ({ serviceName: 'web', servicePort: 80, path: `/p${i}` }));
      expectError(await lb.addListener(user, 'lb', { name: 'big', protocol: 'http', listenPort: 80, clusters: clusters(51) }), 400, 4000471, 'Cluster quota inisufficient');
      assert.equal((await lb.addListener(user, 'lb', { name: 'big', protocol: 'http', listenPort: 80, clusters: clusters(50) })).status, 200);
      expectError(await lb.updateListener(user, 'lb', 'big', { clusters: clusters(51) }), 400, 4000471, 'Cluster quota inisufficient');
      for (let i = 1; i < 20; i++) assert.equal((await lb.addListener(user, 'lb', httpListener(`l${i}`, 2000 + i, 'web'))).status, 200);
      expectError(await lb.addListener(user, 'lb', httpListener('l20', 3000, 'web')), 400, 4000470, 'Listener quota insufficient');
      expectError(await lb.addListener(user, 'lb', { name: 'l20', protocol: 'http', listenPort: 3000, clusters: clusters(51) }), 400, 4000470, 'Listener quota insufficient');
      assert.equal((await lb.delListener(user, 'lb', 'l1')).status, 200);
      assert.equal((await lb.addListener(user, 'lb', httpListener('l20', 2001, 'web'))).status, 200, 'a deleted listener frees its slot, name and port');
    });

    it('state: 4030462 while the LB is CREATING, 4030401 while DELETING', async () => {
      const user = await server.newUser('states');
      await lb.service(user, 'web', [80]);
      assert.equal((await lb.create(user, { name: 'young' })).status, 200);
      expectError(await lb.addListener(user, 'young', httpListener('l', 80, 'web')), 403, 4030462, 'Loadbalancer is creating');
      expectError(await lb.delListener(user, 'young', 'l'), 404, 4040456, 'No such listener');
      assert.deepEqual((await lb.listeners(user, 'young')).json, []);
      await server.advance(DELAY);
      assert.equal((await lb.addListener(user, 'young', httpListener('l', 80, 'web'))).status, 200);
      assert.equal((await lb.del(user, 'young')).status, 200);
      expectError(await lb.updateListener(user, 'young', 'l', { clusters: [{ serviceName: 'web', servicePort: 80 }] }), 403, 4030401, 'Action forbidden');
      expectError(await lb.delListener(user, 'young', 'l'), 403, 4030401, 'Action forbidden');
    });

    it('update replaces every cluster (names regenerated, protocol kept); delete frees name and port', async () => {
      const user = await server.newUser('updater');
      await lb.service(user, 'web', [80, 81]);
      const cert = selfSigned();
      const cid = (await server.request('POST', CERTS, { token: user.token, body: { name: 'c', pubCert: cert.cert, priKey: cert.key } })).json.id;
      await lb.createWorking(user, 'lb');
      assert.equal((await lb.addListener(user, 'lb', httpListener('web', 80, 'web', 80, { path: '/old' }))).status, 200);
      const before = (await lb.get(user, 'lb')).json.listeners[0];
      await server.advance(1);
      const r = await lb.updateListener(user, 'lb', 'web', {
        name: 'ignored', listenPort: 9999, protocol: 'https',
        clusters: [{ serverName: '1.com', path: '/1', serviceName: 'web', servicePort: 80, policy: { mode: 'insert', expire: 30000 } }, { serverName: '2.com', path: '/2', serviceName: 'web', servicePort: 81, policy: { mode: 'rewrite', cookieName: 'hello' } }],
      });
      assert.equal(r.status, 200, r.text);
      const after = (await lb.get(user, 'lb')).json;
      const l = after.listeners[0];
      assert.deepEqual([l.name, l.listenPort, l.protocol], ['web', 80, 'http']);
      assert.deepEqual(l.clusters.map((c: { serverName: string; path: string }) => [c.serverName, c.path]), [['1.com', '/1'], ['2.com', '/2']]);
      assert.notEqual(l.clusters[0].name, before.clusters[0].name);
      assert.ok(l.updatetime > before.updatetime);
      assert.equal(l.createtime, before.createtime);
      assert.equal(after.updatetime, l.updatetime);
      const upd = (clusters: unknown, name = 'web') => lb.updateListener(user, 'lb', name, { clusters });
      expectError(await upd([{ serviceName: 'web', servicePort: 80 }], 'nope'), 404, 4040456, 'No such listener');
      expectError(await lb.updateListener(user, 'lb', 'web', {}), 400, 4000402, 'Missing parameters');
      expectError(await upd([]), 400, 4000401, 'Invalid parameters');
      expectError(await upd('x'), 400, 4000460, 'Invalid parameter type');
      expectError(await upd([{ serviceName: 'web', servicePort: 80, serverName: '*.*' }]), 400, 4000451, 'Invalid serverName');
      expectError(await upd([{ serviceName: 'web', servicePort: 80, path: 'x' }]), 400, 4000450, 'Invalid path');
      expectError(await upd([{ serviceName: 'web', servicePort: 0 }]), 400, 4000458, 'Invalid servicePort');
      expectError(await upd([{ serviceName: 'web', servicePort: 80, policy: { mode: 'x' } }]), 400, 4000472, 'Invalid policy');
      expectError(await upd([{ serviceName: 'gone', servicePort: 80 }]), 404, 4040401, 'No such resource');
      expectError(await upd([{ serviceName: 'web', servicePort: 82 }]), 400, 4000458, 'Invalid servicePort');
      expectError(await upd([{ serviceName: 'web', servicePort: 80, serverName: 'a a' }]), 409, 4090451, 'Duplicate serverName');
      expectError(await upd([{ serviceName: 'web', servicePort: 80, path: '/a /a' }]), 409, 4090467, 'Duplicate path');
      expectError(await upd([{ serviceName: 'web', servicePort: 80 }, { serviceName: 'web', servicePort: 81 }]), 409, 4090457, 'Duplicate forward rule');
      // An https listener needs certId in every cluster: known only once the listener is loaded.
      assert.equal((await lb.addListener(user, 'lb', { name: 'tls', protocol: 'https', listenPort: 443, clusters: [{ serviceName: 'web', servicePort: 80, certId: cid }] })).status, 200);
      expectError(await upd([{ serviceName: 'web', servicePort: 80 }], 'tls'), 400, 4000452, 'CertId not found');
      expectError(await upd([{ serviceName: 'web', servicePort: 80, certId: 'abc' }], 'tls'), 400, 4000452, 'CertId not found');
      assert.equal((await upd([{ serviceName: 'web', servicePort: 81, certId: cid }], 'tls')).status, 200);
      // Delete.
      expectError(await lb.delListener(user, 'lb', 'nope'), 404, 4040456, 'No such listener');
      expectError(await lb.delListener(user, 'nope', 'web'), 404, 4040402, 'No such loadbalancer');
      assert.equal((await lb.delListener(user, 'lb', 'web')).status, 200);
      assert.deepEqual((await lb.listeners(user, 'lb')).json.map((x: { name: string }) => x.name), ['tls']);
      assert.equal((await lb.addListener(user, 'lb', httpListener('web', 80, 'web'))).status, 200);
      // The certificate is free once no listener uses it.
      expectError(await server.request('DELETE', `${CERTS}/${cid}`, { token: user.token }), 403, 4030410, 'Cert is using');
      assert.equal((await lb.delListener(user, 'lb', 'tls')).status, 200);
      assert.equal((await server.request('DELETE', `${CERTS}/${cid}`, { token: user.token })).status, 200);
    });

    it('instanceStatus: UP while every backend runs with the port, DOWN once one is deleted or stopped', async () => {
      const user = await server.newUser('health');
      const svc = await lb.service(user, 'web', [80]);
      await lb.service(user, 'db', [5432]);
      await lb.createWorking(user, 'lb');
      const status = async () => (await lb.get(user, 'lb')).json.instanceStatus;
      assert.equal(await status(), 'UP');
      assert.equal((await lb.addListener(user, 'lb', { name: 'l', protocol: 'tcp', listenPort: 5432, clusters: [{ serviceName: 'db', servicePort: 5432 }] })).status, 200);
      assert.equal((await lb.addListener(user, 'lb', httpListener('w', 80, 'web'))).status, 200);
      assert.equal(await status(), 'UP');
      assert.equal((await lb.list(user)).json[0].instanceStatus, 'UP');
      const del = await server.request('DELETE', `/api/v1/microservices/${svc}`, { token: user.token });
      assert.equal(del.status, 200, del.text);
      await server.advance(2);
      assert.equal(await status(), 'DOWN');
      assert.equal((await lb.list(user)).json[0].instanceStatus, 'DOWN');
      // A new service of that name with the port brings it back.
      await lb.service(user, 'web', [80]);
      assert.equal(await status(), 'UP');
      // Services stopped for arrears are down; paying starts them again.
      await lb.setUser(user, { balance: -1 });
      await server.advance(1);
      assert.equal(await status(), 'DOWN');
      await lb.setUser(user, { balance: 1000 });
      await server.advance(1);
      assert.equal(await status(), 'UP');
    });
  });
}

describe('load-balancer listeners: propagation delay (sqlite)', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer('sqlite', { ipBindingDelaySeconds: DELAY, listenerPendingSeconds: 10 }); });
  after(() => server.close());

  it('a changed listener is pending for the configured delay: update and delete answer 4000455', async () => {
    const lb = new Lb(server);
    const user = await server.newUser('pending');
    await lb.service(user, 'web', [80]);
    await lb.createWorking(user, 'lb');
    assert.equal((await lb.addListener(user, 'lb', httpListener('l', 80, 'web'))).status, 200);
    const clusters = [{ serviceName: 'web', servicePort: 80, path: '/new' }];
    expectError(await lb.updateListener(user, 'lb', 'l', { clusters }), 400, 4000455, 'Invalid listener status');
    expectError(await lb.delListener(user, 'lb', 'l'), 400, 4000455, 'Invalid listener status');
    assert.equal((await lb.listeners(user, 'lb')).json[0].clusters[0].path, '/', 'visible at once, unchanged by the refused update');
    await server.advance(10);
    assert.equal((await lb.updateListener(user, 'lb', 'l', { clusters })).status, 200);
    expectError(await lb.delListener(user, 'lb', 'l'), 400, 4000455, 'Invalid listener status');
    await server.advance(10);
    assert.equal((await lb.delListener(user, 'lb', 'l')).status, 200);
  });
});
