/**
 * Every page of the console, with data in it, at 1280×800 and 390×844: axe-core finds no serious or
 * critical violation, nothing overflows the narrow screen sideways, and a screenshot of each is saved under
 * test-output/console/ for review. Then the keyboard alone signs in, and the focus is visible.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshot, seriousViolations, whyNoBrowser, type TestBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer, type TestUser } from '../helpers/server.ts';

interface Fixture {
  namespaceId: number;
  serviceId: number;
  repoId: number;
}

/** One of everything, made through the API, so that no page is empty. */
async function populate(server: TestServer, user: TestUser): Promise<Fixture> {
  const as = { token: user.token };
  const ns = await server.request('POST', '/api/v1/namespaces', { ...as, body: { name: 'shop' } });
  const namespaceId = ns.json.namespace_id as number;
  await server.request('POST', '/api/v1/secret-keys', { ...as, body: { key_name: 'deploy' } });
  const repo = await server.request('POST', '/api/v1/repositories', { ...as, body: { repo_name: 'web', open_level: 0, base_desc: 'the shop front' } });
  const form = new FormData();
  form.set('docker_file', new Blob(['FROM hub.c.163.com/public/ubuntu:14.04']), 'Dockerfile');
  const built = await fetch(`${server.url}/api/v1/repositories/web/tags/v1/actions/build`, { method: 'POST', headers: { Authorization: `Token ${user.token}` }, body: form });
  assert.equal(built.status, 200);
  await server.request('POST', '/api/v1/cloud-volumes', { ...as, body: { volume_name: 'data', format: 'Ext4', size: 10 } });
  await server.request('POST', '/api/v1/ips', { ...as, body: { nce: 1 } });
  const svc = await server.request('POST', '/api/v1/microservices', {
    ...as,
    body: {
      bill_info: 'default',
      service_info: { namespace_id: namespaceId, stateful: 0, replicas: 2, service_name: 'front', port_maps: [{ port: 80, target_port: 8080, protocol: 'TCP' }], spec_alias: 'C1M2S20' },
      service_container_infos: [{ image_path: 'hub.c.163.com/public/nginx:1.10', container_name: 'nginx', envs: [{ key: 'MODE', value: 'prod' }] }],
    },
  });
  assert.equal(svc.status, 200, svc.text);
  const lb = await server.request('POST', '/api/v1/nlb/loadbalancers', { ...as, headers: { namespace: 'shop-alice' }, body: { name: 'edge', bandwidthLimit: '5', chargeMode: 'BANDWIDTH' } });
  assert.equal(lb.status, 200, lb.text);
  const rds = await server.request('POST', '/api/v1/rds/instances', { ...as, body: { instance_name: 'orders', engine_version: '5.6.19', cpu: 1, memory: 2, disk_size: 20, port: 3306 } });
  assert.equal(rds.status, 200, rds.text);
  // Half an hour: everything is up, and the service's containers have a chart's worth of metrics.
  await server.advance(1800);
  // A rule the pages never meet (it would answer their requests otherwise).
  await server.operator('POST', '/faults', { code: 5000007, method: 'POST', path: '/api/v1/nlb/certs', count: 3 });
  return { namespaceId, serviceId: Number(svc.json.service_id), repoId: repo.json.repo_id as number };
}

/** Every page: its fragment, its name in the screenshots, and the title it shows. */
const pages = (f: Fixture) => [
  ['/', 'overview', 'Overview'],
  ['/namespaces', 'namespaces', 'Namespaces'],
  [`/namespaces/${f.namespaceId}`, 'namespace-services', 'Namespace shop'],
  [`/namespaces/${f.namespaceId}/new`, 'microservice-create', 'New microservice'],
  [`/microservices/${f.serviceId}`, 'microservice-detail', 'Microservice front'],
  ['/repositories', 'repositories', 'Repositories'],
  [`/repositories/${f.repoId}`, 'repository', 'Repository web'],
  ['/secret-keys', 'secret-keys', 'Secret keys'],
  ['/volumes', 'volumes', 'Cloud volumes'],
  ['/ips', 'public-ips', 'Public IPs'],
  ['/loadbalancers', 'load-balancers', 'Load balancers'],
  ['/rds', 'rds', 'RDS instances'],
  ['/catalog', 'catalog', 'Error catalog'],
  ['/operator/users', 'operator-users', 'Users'],
  ['/operator/clock', 'operator-clock', 'Test clock'],
  ['/operator/faults', 'operator-faults', 'Fault rules'],
  ['/operator/coverage', 'operator-coverage', 'Error-path coverage'],
  ['/operator/snapshots', 'operator-snapshots', 'Snapshots'],
  ['/operator/reset', 'operator-reset', 'Reset'],
] as const;

async function signInBoth(page: Page, url: string, user: TestUser): Promise<void> {
  await page.goto(`${url}/console/`);
  await page.getByLabel('Access Key', { exact: true }).fill(user.app_key);
  await page.getByLabel('Access Secret').fill(user.app_secret);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  await page.evaluate(() => (location.hash = '#/signin'));
  await page.getByRole('button', { name: 'Open the operator pages' }).click();
  await page.getByRole('heading', { name: 'Users' }).waitFor();
}

/** Opens a page by its fragment and waits until its data is on screen. */
async function open(page: Page, route: string, title: string): Promise<void> {
  await page.evaluate((r) => (location.hash = `#${r}`), route);
  await page.getByRole('heading', { level: 1, name: title, exact: true }).waitFor();
  await page.waitForFunction(() => !document.body.textContent?.includes('Loading…'));
}

describe('console pages (Chromium)', { skip: whyNoBrowser }, () => {
  let server: TestServer;
  let user: TestUser;
  let fixture: Fixture;

  before(async () => {
    server = await startTestServer('sqlite', { faultInjection: true });
    user = await server.newUser('alice');
    fixture = await populate(server, user);
  });
  after(() => server?.close());

  for (const [size, viewport] of [['1280x800', { width: 1280, height: 800 }], ['390x844', { width: 390, height: 844 }]] as const) {
    test(`every page at ${size}: no serious axe violation, no sideways scroll, a screenshot`, async () => {
      const browser: TestBrowser = await launchBrowser(viewport);
      try {
        const { page } = browser;
        // The sign-in page first, before anyone is signed in.
        await page.goto(`${server.url}/console/`);
        await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
        assert.deepEqual(await seriousViolations(page), [], 'sign-in');
        await screenshot(page, `${size}-signin`);
        await signInBoth(page, server.url, user);
        // A snapshot saved from the console, so its page lists one.
        await open(page, '/operator/snapshots', 'Snapshots');
        await page.getByRole('button', { name: 'Save a snapshot' }).click();
        await page.locator('[data-snapshot]').first().waitFor();

        for (const [route, name, title] of pages(fixture)) {
          await open(page, route, title);
          if (name === 'microservice-detail') {
            // Half an hour of samples: the first pod's charts have points (one per minute).
            await page.locator('.charts').first().waitFor();
            const charts = await page.getByRole('img').evaluateAll((svgs) => svgs.map((svg) => svg.getAttribute('aria-label')));
            assert.equal(charts.length, 4, String(charts));
            for (const label of charts) assert.match(label ?? '', /: \d+ points, latest \d+\.\d\d /);
          }
          assert.deepEqual(await seriousViolations(page), [], name);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          assert.equal(overflow, 0, `${name} scrolls sideways by ${overflow}px`);
          await screenshot(page, `${size}-${name}`);
        }
      } finally {
        await browser.close();
      }
    });
  }

  test('the keyboard alone signs in, and the focused control shows a focus ring', async () => {
    const browser = await launchBrowser();
    try {
      const { page } = browser;
      await page.goto(`${server.url}/console/`);
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      // The first stop is the skip link, which moves the focus to the content.
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
      // From the content, Tab reaches the Access Key field; the form submits with Enter.
      for (let i = 0; i < 20 && !(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name === 'app_key')); i++) await page.keyboard.press('Tab');
      const outline = await page.evaluate(() => {
        const style = getComputedStyle(document.activeElement!);
        return { style: style.outlineStyle, width: style.outlineWidth };
      });
      assert.notEqual(outline.style, 'none');
      assert.notEqual(outline.width, '0px');
      await page.keyboard.type(user.app_key);
      await page.keyboard.press('Tab');
      await page.keyboard.type(user.app_secret);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
      // A new page puts the focus on its title, so the next Tab starts from the content.
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'page-title');
    } finally {
      await browser.close();
    }
  });
});
