/**
 * The web console in a real Chromium against a real server: sign in, a namespace and a microservice made
 * through the forms, a catalog error shown next to the field it names, the test clock moved from the
 * operator page while the service list updates by itself, delete, the catalog search, and the coverage page
 * (exact counts of a few calls, a suggested fault rule applied and its code counted).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { codes } from '../../src/catalog/index.ts';
import { launchBrowser, screenshot, whyNoBrowser, type TestBrowser } from '../helpers/browser.ts';
import { expectError, startTestServer, type TestServer, type TestUser } from '../helpers/server.ts';

/** The page's own marker: still there after a step means the step did not reload the page. */
async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { noReload: boolean }).noReload = true));
}
async function assertNotReloaded(page: Page): Promise<void> {
  assert.equal(await page.evaluate(() => (window as unknown as { noReload?: boolean }).noReload), true, 'the page was reloaded');
}

/** Follows a link of the console's navigation (a fragment change: the page is not reloaded). */
async function nav(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name, exact: true }).click();
}

async function signIn(page: Page, url: string, user: TestUser): Promise<void> {
  await page.goto(`${url}/console/`);
  await page.getByLabel('Access Key', { exact: true }).fill(user.app_key);
  await page.getByLabel('Access Secret').fill(user.app_secret);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
}

describe('console flows (Chromium)', { skip: whyNoBrowser }, () => {
  let server: TestServer;
  let browser: TestBrowser;
  let user: TestUser;

  before(async () => {
    server = await startTestServer();
    user = await server.newUser('alice');
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a wrong Access Secret is shown with its catalog code, and nothing is kept', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/console/`);
    await page.getByLabel('Access Key', { exact: true }).fill(user.app_key);
    await page.getByLabel('Access Secret').fill('0'.repeat(32));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const error = page.getByRole('form', { name: 'Sign in with an Access Key pair' }).getByRole('alert');
    const refused = await server.request('POST', '/api/v1/token', { body: { app_key: user.app_key, app_secret: '0'.repeat(32) } });
    await error.waitFor();
    assert.equal(await error.textContent(), `${refused.json.code} ${refused.json.message}`);
    assert.equal(await page.evaluate(() => JSON.stringify(sessionStorage)).then((s) => s.includes('0'.repeat(32))), false);
  });

  test('sign in, create a namespace and a microservice, watch it reach create_succ, delete it', async () => {
    const { page } = browser;
    await signIn(page, server.url, user);
    // The secret never reaches the tab's storage; the token does (for the tab only).
    const stored = await page.evaluate(() => JSON.stringify(sessionStorage));
    assert.equal(stored.includes(user.app_secret), false);
    const kept = await page.evaluate(() => JSON.parse(sessionStorage.getItem('opencomb.console.session') ?? '{}') as { token?: string });
    assert.match(kept.token ?? '', /.{16,}/);
    assert.equal(await page.evaluate(() => JSON.stringify(localStorage)), '{}');
    await markPage(page);

    // A namespace through the form.
    await nav(page, 'Namespaces');
    const nsForm = page.getByRole('form', { name: 'New namespace' });
    await nsForm.getByLabel('Name').fill('shop');
    await nsForm.getByRole('button', { name: 'Create namespace' }).click();
    await page.getByRole('link', { name: 'shop', exact: true }).click();
    await page.getByRole('heading', { name: 'Namespace shop' }).waitFor();

    // A bad service name: the catalog error appears next to that field, with its code and message.
    await page.getByRole('link', { name: 'New microservice' }).click();
    const form = page.getByRole('form', { name: 'New microservice' });
    const name = form.getByLabel('Name', { exact: true });
    await name.fill('Bad_Name');
    await form.getByLabel('Service port').fill('8080');
    await form.getByLabel('Container port').fill('80');
    await form.getByLabel('Image').selectOption('hub.c.163.com/public/nginx:1.10');
    await form.getByRole('button', { name: 'Create microservice' }).click();
    const { code, message } = codes.MICROSERVICE_NAME_FORMAT_INVALID;
    const fieldError = form.locator('.field', { has: page.getByLabel('Name', { exact: true }) }).getByRole('alert');
    await fieldError.waitFor();
    assert.equal(await fieldError.textContent(), `${code} ${message}`);
    assert.equal(await name.getAttribute('aria-invalid'), 'true');
    assert.equal(await form.getByRole('alert').count(), 1, 'the error is shown once, at its field');
    const errorId = await fieldError.getAttribute('id');
    assert.ok(errorId && (await name.getAttribute('aria-describedby'))?.split(' ').includes(errorId), 'the field is described by its error');
    await screenshot(page, 'flow-field-error');

    // Fixed: the service is created and starts `creating` (the test server's clock does not run by itself).
    await name.fill('web');
    await form.getByRole('button', { name: 'Create microservice' }).click();
    await page.getByRole('heading', { name: 'Microservice web' }).waitFor();
    await page.locator('[data-status="creating"]').waitFor();

    // The list shows it creating; the clock moves from the operator page; the list, open again through
    // its link (no reload), shows create_succ as soon as its next poll answers.
    await nav(page, 'Namespaces');
    await page.getByRole('link', { name: 'shop', exact: true }).click();
    const row = page.locator('tr[data-service="web"]');
    await row.locator('[data-status="creating"]').waitFor();
    await nav(page, 'Operator sign-in');
    await page.getByRole('button', { name: 'Open the operator pages' }).click();
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    await nav(page, 'Clock');
    const clockForm = page.getByRole('form', { name: 'Advance the clock' });
    await clockForm.getByLabel('Advance by (seconds)').fill('60');
    await clockForm.getByRole('button', { name: 'Advance' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="clock-now"]')?.textContent?.includes('T'));
    await nav(page, 'Namespaces');
    await page.getByRole('link', { name: 'shop', exact: true }).click();
    await row.locator('[data-status="create_succ"]').waitFor();
    // The detail page follows by itself too: pods and their IPs.
    await row.getByRole('link', { name: 'web' }).click();
    await page.locator('[data-status="create_succ"]').waitFor();
    assert.equal(await page.getByRole('table', { name: 'Pods' }).locator('tbody tr').count(), 1);
    await assertNotReloaded(page);

    // Delete, with a confirmation.
    const serviceId = Number(page.url().split('/').pop());
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByRole('heading', { name: 'Namespace shop' }).waitFor();
    await page.getByText('None yet.').waitFor();
    const gone = await server.request('GET', `/api/v1/microservices/${serviceId}`, { token: user.token });
    expectError(gone, 404, codes.NO_SUCH_MICROSERVICE.code, codes.NO_SUCH_MICROSERVICE.message);
    await assertNotReloaded(page);
  });

  test('the catalog search finds a code by number, by words of its message, and by family', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/console/#/catalog`);
    const search = page.getByLabel('Code, status or message');
    await search.fill(String(codes.MISSING_PARAMETERS.code));
    const rows = page.locator('tbody tr');
    await page.getByText(/^1 of \d+ codes$/).waitFor();
    assert.equal(await rows.first().getAttribute('data-code'), String(codes.MISSING_PARAMETERS.code));
    assert.match(await rows.first().textContent() ?? '', new RegExp(codes.MISSING_PARAMETERS.message.replace('.', '\\.')));

    await search.fill('no such microservice');
    await page.locator(`tr[data-code="${codes.NO_SUCH_MICROSERVICE.code}"]`).waitFor();
    assert.equal(await rows.count(), 1);

    await search.fill('');
    await page.getByLabel('Family').selectOption('02');
    const volumeCodes = Object.values(codes).filter((c) => String(c.code).slice(3, 5) === '02').length;
    await page.getByText(new RegExp(`^${volumeCodes} of \\d+ codes$`)).waitFor();
    assert.equal(await rows.count(), volumeCodes);
  });
});

describe('console operator sign-in on a guarded server (Chromium)', { skip: whyNoBrowser }, () => {
  let server: TestServer;
  let browser: TestBrowser;
  before(async () => {
    server = await startTestServer('sqlite', { operatorToken: 'op-secret' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a wrong operator token is refused next to its field; the right one opens the operator pages', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/console/`);
    const token = page.getByLabel('Operator token');
    await token.fill('wrong');
    await page.getByRole('button', { name: 'Open the operator pages' }).click();
    const error = page.locator('.field', { has: token }).getByRole('alert');
    await error.waitFor();
    assert.equal(await error.textContent(), `${codes.UNAUTHORIZED_USER.code} ${codes.UNAUTHORIZED_USER.message}`);
    await token.fill('op-secret');
    await page.getByRole('button', { name: 'Open the operator pages' }).click();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    // The start-up user is listed, with its pair's Access Key.
    const admin = server.running.bootstrap.created!;
    assert.match(await page.locator('[data-user="admin"]').textContent() ?? '', new RegExp(admin.app_key));
  });
});

describe('console coverage page (Chromium)', { skip: whyNoBrowser }, () => {
  let server: TestServer;
  let browser: TestBrowser;
  before(async () => {
    server = await startTestServer('sqlite', { faultInjection: true });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a client run shows its exact counts; an applied suggestion brings a code from 0 to 1; clear starts afresh', async () => {
    const { page } = browser;
    const user = await server.newUser('carol');
    // The client's run, counted from zero: a key created, then a key that does not exist, asked twice.
    assert.equal((await server.operator('DELETE', '/coverage')).status, 200);
    assert.equal((await server.request('POST', '/api/v1/secret-keys', { token: user.token, body: { key_name: 'ci' } })).status, 201);
    for (let i = 0; i < 2; i++) {
      expectError(await server.request('GET', '/api/v1/secret-keys/999', { token: user.token }), 404, codes.NO_SUCH_SECRET_KEY.code, codes.NO_SUCH_SECRET_KEY.message);
    }

    // Operator access only: the operator pages make no call that coverage counts.
    await page.goto(`${server.url}/console/`);
    await page.getByRole('button', { name: 'Open the operator pages' }).click();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await nav(page, 'Coverage');
    await page.getByRole('heading', { level: 1, name: 'Error-path coverage' }).waitFor();

    const openapi = (await server.request('GET', '/openapi.json')).json as { paths: Record<string, Record<string, { operationId: string; 'x-error-codes'?: number[] }>> };
    const declared = (id: string) => Object.values(openapi.paths).flatMap((p) => Object.values(p)).find((o) => o.operationId === id)!['x-error-codes']!.length;
    const report = (await server.operator('GET', '/coverage')).json as { totals: { operations: { total: number; percent: number }; codes: { percent: number } } };
    const codesDeclared = declared('createSecretKey') + declared('getPrivateKey');
    assert.equal(await page.getByTestId('operations-exercised').textContent(), `2 / ${report.totals.operations.total} (${report.totals.operations.percent}%)`);
    assert.equal(await page.getByTestId('codes-answered').textContent(), `1 / ${codesDeclared} (${report.totals.codes.percent}%)`);
    // Only the operations called are shown at first; the filter shows them all.
    assert.deepEqual(await page.locator('article[data-operation]').evaluateAll((a) => a.map((e) => e.getAttribute('data-operation'))), ['createSecretKey', 'getPrivateKey']);
    const filter = page.getByLabel('Only operations called');
    await filter.uncheck();
    await page.getByText(`${report.totals.operations.total} of ${report.totals.operations.total} operations shown`, { exact: true }).waitFor();
    assert.equal(await page.locator('article[data-operation]').count(), report.totals.operations.total);
    await filter.check();
    await page.getByText(`2 of ${report.totals.operations.total} operations shown`, { exact: true }).waitFor();

    const created = page.locator('article[data-operation="createSecretKey"]');
    assert.equal(await created.getByTestId('calls').textContent(), '1');
    assert.equal(await created.getByTestId('successes').textContent(), '1');
    const lookup = page.locator('article[data-operation="getPrivateKey"]');
    assert.equal(await lookup.getByTestId('calls').textContent(), '2');
    assert.equal(await lookup.getByTestId('successes').textContent(), '0');
    assert.equal(await lookup.locator(`tr[data-code="${codes.NO_SUCH_SECRET_KEY.code}"] [data-testid="count"]`).textContent(), '2');
    assert.equal(await lookup.getByTestId('undeclared').textContent(), 'Undeclared codes answered: none');
    // A code never answered is marked, and comes with its rule.
    const unauthorized = lookup.locator(`tr[data-code="${codes.UNAUTHORIZED_USER.code}"]`);
    assert.equal(await unauthorized.getByTestId('count').textContent(), '0 (never answered)');
    assert.match(await unauthorized.textContent() ?? '', new RegExp(`GET /api/v1/secret-keys/\\* → ${codes.UNAUTHORIZED_USER.code} ×1`));

    // Applied from the keyboard: the next lookup answers that code, and the page counts it.
    await unauthorized.getByRole('button', { name: `Apply the fault rule for ${codes.UNAUTHORIZED_USER.code} on getPrivateKey` }).focus();
    await page.keyboard.press('Enter');
    await unauthorized.getByText(/^Rule \d+ installed/).waitFor();
    const rules = (await server.operator('GET', '/faults')).json as Array<{ method: string; path: string; code: number; count: number }>;
    assert.deepEqual(rules.map(({ method, path, code, count }) => ({ method, path, code, count })), [{ method: 'GET', path: '/api/v1/secret-keys/*', code: codes.UNAUTHORIZED_USER.code, count: 1 }]);
    expectError(await server.request('GET', '/api/v1/secret-keys/999', { token: user.token }), 401, codes.UNAUTHORIZED_USER.code, codes.UNAUTHORIZED_USER.message);
    await page.waitForFunction((code) => document.querySelector(`article[data-operation="getPrivateKey"] tr[data-code="${code}"] [data-testid="count"]`)?.textContent === '1', codes.UNAUTHORIZED_USER.code);
    assert.equal(await lookup.getByTestId('calls').textContent(), '3');
    assert.equal(await page.getByTestId('codes-answered').textContent().then((t) => t?.split(' (')[0]), `2 / ${codesDeclared}`);

    // Clear, behind a confirmation.
    await page.getByRole('button', { name: 'Clear the counts' }).click();
    await page.getByRole('button', { name: 'Yes, clear' }).click();
    await page.getByText(new RegExp(`^0 of ${report.totals.operations.total} operations shown$`)).waitFor();
    assert.equal(await page.getByTestId('operations-exercised').textContent(), `0 / ${report.totals.operations.total} (0%)`);
  });
});
