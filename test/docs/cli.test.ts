/**
 * docs/cli.md cannot go stale: its commands run in order in one bash, `comb` being the built bin, against
 * a real server, and every answer it shows is compared with what the command printed.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { assertBuilt, root } from '../server/process.ts';
import { startTestServer } from '../helpers/server.ts';
import { COMB } from '../comb/run.ts';
import { assertSessionMatches, missingTool, runSession, steps } from './shell-session.ts';

const GUIDE = 'docs/cli.md';
const session = steps(readFileSync(join(root, GUIDE), 'utf8'));


describe(GUIDE, () => {
  test('starts with the configuration, then commands, most with the answer they print', () => {
    assert.match(session[0]!.command.text, /^export COMB_ENDPOINT=\S+\nexport COMB_APP_KEY=\S+ COMB_APP_SECRET=\S+\n$/);
    assert.ok(session.filter((s) => s.answer).length >= 8, 'most commands show their answer');
  });

  test('every command answers as shown', { skip: missingTool(['bash', 'jq']) }, async () => {
    assertBuilt();
    // The clock ticks in real time, as on a server a reader starts: microservices settle in a second, so
    // --wait returns; volumes take a minute, so the guide's clock example sees `creating` first.
    const server = await startTestServer('sqlite', { tickMs: 100, microserviceBusySeconds: 1, volumeCreateDelaySeconds: 60 });
    const cwd = mkdtempSync(join(tmpdir(), 'opencomb-cli-guide-'));
    try {
      const bin = join(cwd, '.bin');
      mkdirSync(bin);
      writeFileSync(join(bin, 'comb'), `#!/bin/sh\nexec "${process.execPath}" "${COMB}" "$@"\n`, { mode: 0o755 });
      const pair = server.running.bootstrap.created;
      assert.ok(pair, 'the first start prints the admin pair');
      const setup = `export COMB_ENDPOINT=${server.url}\nexport COMB_APP_KEY=${pair.app_key} COMB_APP_SECRET=${pair.app_secret}\nexport COMB_POLL_MS=100`;
      const commands = [setup, ...session.slice(1).map((s) => s.command.text)];
      const run = await runSession(commands, { PATH: `${bin}:${process.env.PATH}`, HOME: cwd, LANG: 'C.UTF-8' }, cwd);
      assertSessionMatches(GUIDE, session, run);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
      await server.close();
    }
  });
});
