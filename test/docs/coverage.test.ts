/**
 * docs/coverage.md cannot go stale: its worked CI example runs in order against a real server started as the
 * guide says (fault injection, an operator token), and every answer it shows is compared with what was printed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { startTestServer } from '../helpers/server.ts';
import { assertSessionMatches, missingTool, runSession, steps } from './shell-session.ts';

const GUIDE = 'docs/coverage.md';
const session = steps(readFileSync(new URL(`../../${GUIDE}`, import.meta.url), 'utf8'));


describe('docs/coverage.md', () => {
  test('its worked example answers as shown', { skip: missingTool(['bash', 'curl', 'jq']) }, async () => {
    assert.match(session[0]?.command.text ?? '', /^export OPENCOMB=\S+ OPENCOMB_OPERATOR_TOKEN=ci-operator\nexport OPENCOMB_ACCESS_KEY=\S+ OPENCOMB_ACCESS_SECRET=\S+\n$/);
    const server = await startTestServer('sqlite', { faultInjection: true, operatorToken: 'ci-operator' });
    const cwd = mkdtempSync(join(tmpdir(), 'opencomb-coverage-'));
    try {
      const pair = server.running.bootstrap.created;
      assert.ok(pair, 'the first start prints the admin pair');
      const setup = `export OPENCOMB=${server.url} OPENCOMB_OPERATOR_TOKEN=ci-operator\nexport OPENCOMB_ACCESS_KEY=${pair.app_key} OPENCOMB_ACCESS_SECRET=${pair.app_secret}`;
      const run = await runSession([setup, ...session.slice(1).map((s) => s.command.text)], { PATH: process.env.PATH, HOME: cwd, LANG: 'C.UTF-8' }, cwd);
      assertSessionMatches(GUIDE, session, run);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
      await server.close();
    }
  });
});
