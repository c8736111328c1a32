/**
 * The `comb` command line against a started server: configuration (variables, `comb login` and its 0600
 * file, profiles), resources created, listed and deleted, `--output json` parsed, errors and exit codes,
 * `--wait` driven by the test clock, the private key file, operator commands, `comb api`, completion.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertBuilt } from '../server/process.ts';
import { startTestServer, type TestServer, type TestUser } from '../helpers/server.ts';
import { CombHome, COMB, until } from './run.ts';

const REQUEST_ID = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';
const IMAGE = 'hub.c.163.com/public/ubuntu:14.04';
const mode = (path: string) => statSync(path).mode & 0o777;

describe('comb', () => {
  let server: TestServer;
  let user: TestUser;
  let home: CombHome;

  before(async () => {
    assertBuilt();
    server = await startTestServer('sqlite', { faultInjection: true });
    user = await server.newUser('alice');
    home = new CombHome({ COMB_ENDPOINT: server.url, COMB_APP_KEY: user.app_key, COMB_APP_SECRET: user.app_secret, COMB_POLL_MS: '20' });
  });
  after(async () => {
    home.remove();
    await server.close();
  });

  test('namespaces: create, list (plural and alias), delete; --output json is the API answer', async () => {
    const created = await home.json(['namespaces', 'create', 'shop']);
    assert.equal(typeof created.namespace_id, 'number');
    const listed = await home.json(['ns', 'ls']);
    assert.deepEqual(listed.namespaces.map((n: any) => n.display_name).sort(), ['default', 'shop']);
    assert.deepEqual(await home.json(['namespaces', 'list']), listed);

    const table = await home.run(['ns', 'ls']);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /│ ID +│ NAME +│ NAMESPACE +│ DELETABLE │/);
    assert.match(table.stdout, new RegExp(`│ ${created.namespace_id} +│ shop +│ shop-alice +│ true +│`));

    const deleted = await home.run(['ns', 'rm', 'shop']);
    assert.deepEqual(deleted, { code: 0, stdout: `deleted namespace ${created.namespace_id}\n`, stderr: '' });
    assert.deepEqual((await home.json(['ns', 'ls'])).namespaces.map((n: any) => n.display_name), ['default']);
  });

  test('an error answer is one line with the code, message and request id, and exit code 1', async () => {
    const r = await home.run(['ns', 'delete', '999999']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`^4040114 No such namespace\\. \\(request ${REQUEST_ID}\\)\\n$`));
    const bad = await home.run(['ms', 'create', '-n', 'default', '--name', 'Bad_Name', '--image', IMAGE, '-p', '80:8080']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, new RegExp(`^4000115 Param microservice name format invalid\\. \\(request ${REQUEST_ID}\\)\\n$`));
  });

  test('exit code 2 for usage and configuration mistakes, 3 when the server does not answer', async () => {
    const unknown = await home.run(['bogus']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command 'bogus'/);
    const missing = await home.run(['ms', 'create', '-n', 'default']);
    assert.deepEqual([missing.code, missing.stderr], [2, '--name is required (or give the whole body with -f FILE)\n']);
    const noCredentials = await home.run(['ns', 'ls'], { COMB_APP_KEY: '', COMB_APP_SECRET: '' });
    assert.deepEqual([noCredentials.code, noCredentials.stderr], [2, 'no credentials: set COMB_APP_KEY and COMB_APP_SECRET, or run `comb login`\n']);
    const badOutput = await home.run(['ns', 'ls', '-o', 'yaml']);
    assert.deepEqual([badOutput.code, badOutput.stderr], [2, '--output: table or json, not yaml\n']);
    // A port nothing listens on: one the system just handed out and took back.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const unreachable = await home.run(['ns', 'ls'], { COMB_ENDPOINT: `http://127.0.0.1:${port}` });
    assert.deepEqual([unreachable.code, unreachable.stderr], [3, `cannot reach http://127.0.0.1:${port} (ECONNREFUSED)\n`]);
  });

  test('comb login checks the pair and writes ~/.config/comb/config.json with mode 0600; profiles', async () => {
    const fresh = new CombHome();
    try {
      const refused = await fresh.run(['login', '--endpoint', server.url, '--app-key', user.app_key, '--app-secret', 'wrong']);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /^4010002 |^40[0-9]{5} /);
      assert.equal(existsSync(fresh.configDir), false, 'a refused pair is not saved');

      const ok = await fresh.run(['login', '--endpoint', server.url, '--app-key', user.app_key, '--app-secret', user.app_secret]);
      assert.equal(ok.code, 0, JSON.stringify(ok));
      const file = join(fresh.configDir, 'config.json');
      assert.equal(mode(file), 0o600);
      assert.equal(mode(fresh.configDir), 0o700);
      assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), {
        current: 'default', profiles: { default: { endpoint: server.url, app_key: user.app_key, app_secret: user.app_secret } },
      });
      assert.equal((await fresh.json(['ns', 'ls'])).namespaces.length >= 1, true);

      const bob = await server.newUser('bob');
      assert.equal((await fresh.run(['login', '--profile', 'bob', '--endpoint', server.url, '--app-key', bob.app_key, '--app-secret', bob.app_secret])).code, 0);
      assert.equal((await fresh.json(['ns', 'create', 'bobs'])).namespace_id > 0, true);
      const asAlice = await fresh.json(['ns', 'ls', '--profile', 'default']);
      assert.ok(!asAlice.namespaces.some((n: any) => n.display_name === 'bobs'));
      const none = await fresh.run(['ns', 'ls', '--profile', 'carol']);
      assert.equal(none.code, 2);
      assert.match(none.stderr, /^no profile carol in .*config\.json/);
      // XDG_CONFIG_HOME wins over ~/.config.
      const xdg = join(fresh.dir, 'xdg');
      assert.equal((await fresh.run(['login', '--endpoint', server.url, '--app-key', user.app_key, '--app-secret', user.app_secret], { XDG_CONFIG_HOME: xdg })).code, 0);
      assert.equal(mode(join(xdg, 'comb', 'config.json')), 0o600);
    } finally {
      fresh.remove();
    }
  });

  test('microservices: create from flags with --wait (the test clock moves), from -f, list, scale, get, delete', async () => {
    const ns = (await home.json(['ns', 'create', 'web'])).namespace_id;
    const run = home.start(['ms', 'create', '-n', 'web', '--name', 'front', '--image', IMAGE, '-p', '80:8080', '--replicas', '2', '-e', 'MODE=prod', '--wait', '-o', 'json']);
    await until(run.stderr, /microservice \d+: creating\n/, run);
    await server.advance(5);
    const created = await run.done;
    assert.equal(created.code, 0, created.stderr);
    const id = Number(JSON.parse(created.stdout).service_id);
    assert.match(created.stderr, new RegExp(`^microservice ${id}: creating\\n(.*\\n)*microservice ${id}: create_succ\\n$`));

    const detail = await home.json(['ms', 'get', String(id)]);
    assert.equal(detail.service_info.status, 'create_succ');
    assert.deepEqual(detail.service_container_infos[0].envs, [{ key: 'MODE', value: 'prod' }]);

    const body = {
      service_info: { namespace_id: ns, stateful: 0, replicas: 1, service_name: 'back', port_maps: [{ target_port: 80, port: 8081, protocol: 'TCP' }], spec_alias: 'C1M2S20' },
      service_container_infos: [{ image_path: IMAGE, container_name: 'api' }],
    };
    writeFileSync(join(home.dir, 'body.json'), JSON.stringify(body));
    const fromFile = await home.json(['microservices', 'create', '-f', 'body.json']);
    const listed = await home.json(['ms', 'ls', '-n', String(ns)]);
    assert.deepEqual(listed.microservice_infos.map((m: any) => m.service_name).sort(), ['back', 'front']);
    assert.equal(listed.microservice_infos.find((m: any) => m.service_name === 'back').id, Number(fromFile.service_id));

    const scaling = home.start(['ms', 'scale', String(id), '3', '--wait']);
    await until(scaling.stderr, 'scaling', scaling);
    await server.advance(5);
    const scaled = await scaling.done;
    assert.equal(scaled.code, 0, scaled.stderr);
    assert.equal(scaled.stdout, `scaling microservice ${id} to 3\n`);
    assert.equal((await home.json(['ms', 'get', String(id)])).service_info.replicas, 3);

    await server.advance(5);
    assert.deepEqual(await home.json(['ms', 'rm', String(id)]), { ok: true, id });
    const gone = await home.run(['ms', 'get', String(id)]);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /^4040141 No such microservice\. /);
  });

  test('--wait ends with exit code 1 on a failure state', async () => {
    const run = home.start(['volumes', 'create', 'doomed', '--size', '10', '--wait']);
    await until(run.stderr, /volume \d+: creating/, run);
    const id = Number(/volume (\d+)/.exec(run.stderr())![1]);
    await server.operator('PATCH', `/cloud-volumes/${id}`, { status: 'create_fail' });
    const r = await run.done;
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`reached a failure state: volume ${id}: create_fail\\n$`));
  });

  test('secret-keys create writes the private key with mode 0600 and never over a file', async () => {
    const r = await home.json(['keys', 'create', 'deploy']);
    const file = join(home.dir, 'deploy.pem');
    assert.equal(r.file, 'deploy.pem');
    assert.equal(mode(file), 0o600);
    assert.match(readFileSync(file, 'utf8'), /^-----BEGIN RSA PRIVATE KEY-----\n/);
    const pem = await home.run(['secret-keys', 'get', String(r.id)]);
    assert.equal(pem.stdout.trim(), readFileSync(file, 'utf8').trim());
    const again = await home.run(['keys', 'get', String(r.id), '--out', 'deploy.pem']);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /^cannot write deploy\.pem: EEXIST/);
    assert.deepEqual((await home.json(['keys', 'ls'])).map((k: any) => k.name), ['deploy']);
  });

  test('admin: users, balance, quotas, clock, faults, snapshots, reset', async () => {
    const created = await home.json(['admin', 'users', 'create', 'dave']);
    assert.equal(created.user_name, 'dave');
    assert.equal((await home.json(['admin', 'balance', 'dave', '12.5'])).balance, 12.5);
    assert.equal((await home.json(['admin', 'quotas', 'dave', 'namespaces=2'])).quotas.namespaces, 2);
    const dave = { COMB_APP_KEY: created.app_key, COMB_APP_SECRET: created.app_secret };
    await home.json(['ns', 'create', 'one'], dave);
    const over = await home.run(['ns', 'create', 'two'], dave);
    assert.equal(over.code, 1);
    // default and one: the quota of 2 is used up
    assert.match(over.stderr, /^4030302 Quota insufficient \(request /);

    const before = Date.parse((await home.json(['admin', 'clock', 'advance', '0'])).now);
    const after = Date.parse((await home.json(['admin', 'clock', 'advance', '3600'])).now);
    assert.ok(after - before >= 3_600_000);

    const rule = await home.json(['admin', 'faults', 'add', '5000001', '--method', 'GET', '--path', '/api/v1/namespaces', '--count', '1']);
    assert.deepEqual(await home.json(['admin', 'faults', 'ls']), [rule]);
    const faulted = await home.run(['ns', 'ls']);
    assert.equal(faulted.code, 1);
    assert.match(faulted.stderr, /^5000001 /);
    assert.deepEqual(await home.json(['admin', 'faults', 'ls']), []);

    const snap = await home.json(['admin', 'snapshot', 'save']);
    await home.json(['ns', 'create', 'after-snapshot']);
    await home.json(['admin', 'snapshot', 'restore', String(snap.id)]);
    assert.ok(!(await home.json(['ns', 'ls'])).namespaces.some((n: any) => n.display_name === 'after-snapshot'));

    const noYes = await home.run(['admin', 'reset']);
    assert.equal(noYes.code, 2);
    assert.equal((await home.run(['admin', 'reset', '--yes'])).code, 0);
    // The pair is gone with its user: the token request itself is refused.
    const gone = await home.run(['ns', 'ls']);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /^4040001 No such user\. /);
    // The user the server makes at start is back; the test's user is not.
    user = await server.newUser('alice');
    home.env.COMB_APP_KEY = user.app_key;
    home.env.COMB_APP_SECRET = user.app_secret;
  });

  test('admin coverage: the report as a table, JSON or Markdown, thresholds as exit codes, clear; admin metrics', async () => {
    assert.equal((await home.run(['admin', 'coverage', 'clear'])).code, 0);
    await home.json(['ns', 'ls']);
    await home.run(['ns', 'rm', '999999']);
    const report = await home.json(['admin', 'coverage']);
    const deleteNs = report.operations.find((o: any) => o.operation === 'deleteNamespace');
    assert.deepEqual([deleteNs.calls, deleteNs.codes.find((c: any) => c.code === 4040114).count], [1, 1]);
    const table = await home.run(['admin', 'coverage', 'report']);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /│ deleteNamespace +│ 1 +│ 0 +│ 1\/\d+ +│/);
    assert.match(table.stdout, /\noperations \d+\/\d+ \([\d.]+%\), codes 1\/\d+ \([\d.]+%\)\n$/);
    const md = await home.run(['admin', 'coverage', '--format', 'md']);
    assert.match(md.stdout, /^# Error-path coverage\n/);
    const unmet = await home.run(['admin', 'coverage', '--min-codes', '100']);
    assert.equal(unmet.code, 1);
    assert.match(unmet.stdout, /thresholds NOT met\n$/);
    assert.match(unmet.stderr, /^coverage thresholds not met: codes [\d.]+% < 100%\n$/);
    assert.equal((await home.run(['admin', 'coverage', '--min-codes', '0'])).code, 0);
    assert.equal((await home.run(['admin', 'coverage', 'clear'])).code, 0);
    assert.equal((await home.json(['admin', 'coverage'])).totals.operations.exercised, 0);
    const metrics = await home.run(['admin', 'metrics']);
    assert.equal(metrics.code, 0);
    assert.match(metrics.stdout, /^# HELP /m);
  });

  test('load balancers, RDS instances and the beta containers and apps', async () => {
    const ns = `default-${user.user_name}`;
    const lb = await home.json(['lb', 'create', ns, 'edge', '--description', 'front door']);
    assert.deepEqual([lb.name, lb.description], ['edge', 'front door']);
    assert.deepEqual((await home.json(['loadbalancers', 'list'])).map((l: any) => l.name), ['edge']);
    await server.advance(60);
    assert.equal((await home.json(['lb', 'get', ns, 'edge'])).status, 'WORKING');
    assert.deepEqual(await home.json(['lb', 'listeners', ns, 'edge']), []);
    assert.deepEqual(await home.json(['lb', 'certs']), []);
    assert.deepEqual(await home.json(['lb', 'rm', ns, 'edge']), { ok: true, name: 'edge' });
    const missing = await home.run(['lb', 'get', 'nowhere', 'edge']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^4000459 Namspace not found \(request /);

    await server.operator('POST', '/rds/instances', { user_name: user.user_name, instance_name: 'orders' });
    const instances = await home.json(['rds', 'ls']);
    assert.deepEqual(instances.instances.map((i: any) => i.instance_name), ['orders']);
    assert.equal((await home.json(['rds', 'get', 'orders'])).instance_name, 'orders');
    assert.ok((await home.json(['rds', 'databases', 'orders'])).databases.includes('mysql'));
    assert.match((await home.run(['rds', 'databases', 'orders'])).stdout, /│ DATABASE +│\n(.*\n)*│ mysql +│/);
    assert.ok(Array.isArray((await home.json(['rds', 'accounts', 'orders'])).accounts));

    const container = await home.json(['api', 'createLegacyContainer', '-d', JSON.stringify({ charge_type: 1, spec_id: 1, image_type: 1, image_id: 2, name: 'box', use_public_network: 0 })]);
    const listed = await home.json(['containers', 'ls']);
    assert.deepEqual(listed.containers.map((c: any) => [c.id, c.name]), [[container.id, 'box']]);
    assert.equal((await home.json(['ct', 'get', String(container.id)])).name, 'box');
    await server.advance(60);
    assert.deepEqual(await home.json(['ct', 'rm', String(container.id)]), { ok: true, id: container.id });
    assert.deepEqual((await home.json(['apps', 'ls'])).apps, []);
    const noApp = await home.run(['apps', 'get', '999999']);
    assert.equal(noApp.code, 1);
    assert.match(noApp.stderr, /^404\d{4} /);
  });

  test('comb api reaches any operation by its id; comb api lists them', async () => {
    const quota = await home.json(['api', 'getIpQuota']);
    assert.deepEqual(Object.keys(quota).sort(), ['quotas', 'total', 'used']);
    const ns = await home.json(['api', 'createNamespace', '-d', '{"name":"raw"}']);
    assert.ok(ns.namespace_id > 0);
    const missing = await home.run(['api', 'deleteNamespace', 'id=999999']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^4040114 No such namespace\. /);
    const list = await home.json(['api']);
    assert.ok(list.some((o: any) => o.id === 'operatorAdvanceClock' && o.method === 'POST' && o.path === '/_opencomb/clock'));
    const unknown = await home.run(['api', 'noSuchOperation']);
    assert.deepEqual([unknown.code, unknown.stderr], [2, 'no operation noSuchOperation (comb api lists them)\n']);
  });

  test('comb completion bash completes commands in a real bash', async () => {
    const bin = join(home.dir, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'comb'), `#!/bin/sh\nexec "${process.execPath}" "${COMB}" "$@"\n`, { mode: 0o755 });
    const script = (await home.run(['completion', 'bash'])).stdout;
    assert.match(script, /complete -F _comb comb/);
    writeFileSync(join(home.dir, 'comb.bash'), script);
    const complete = (words: string[]) => execFileSync('bash', ['-c', `source comb.bash; COMP_WORDS=(${words.map((w) => `"${w}"`).join(' ')}); COMP_CWORD=${words.length - 1}; _comb; printf '%s\\n' "\${COMPREPLY[@]}"`], {
      cwd: home.dir, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, encoding: 'utf8',
    }).trim().split('\n').sort();
    assert.deepEqual(complete(['comb', 'n']), ['namespaces', 'ns']);
    assert.deepEqual(complete(['comb', 'ns', '']), ['--endpoint', '--help', '--output', '--profile', 'create', 'delete', 'list', 'ls', 'rm'].sort());
    assert.deepEqual(complete(['comb', 'admin', 'clock', '']).filter((w) => !w.startsWith('-')), ['advance']);
    const zsh = await home.run(['completion', 'zsh']);
    assert.match(zsh.stdout, /^#compdef comb\n/);
    assert.equal((await home.run(['completion', 'fish'])).code, 2);
  });
});
