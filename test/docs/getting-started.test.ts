/**
 * docs/getting-started.md cannot go stale: its commands run in order against a real server and every
 * answer it shows (status, headers shown, JSON members shown) is compared with what the command printed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { startTestServer, STORES } from '../helpers/server.ts';
import { assertSessionMatches, missingTool, runSession, steps } from './shell-session.ts';

const GUIDE = 'docs/getting-started.md';
const guide = readFileSync(new URL(`../../${GUIDE}`, import.meta.url), 'utf8');
const session = steps(guide);

/** The variables the guide's first command block sets for the reader to fill in from `npm start`. */
const SETUP_VARIABLES = ['OPENCOMB', 'OPENCOMB_ACCESS_KEY', 'OPENCOMB_ACCESS_SECRET'];


/** `export A=1 B=2` lines → the names set, in order. */
function exportedNames(block: string): string[] {
  return block.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#')).flatMap((line) => {
    assert.match(line, /^export( [A-Z_]+=\S+)+$/, `the setup block has only export lines: ${line}`);
    return [...line.matchAll(/ ([A-Z_]+)=/g)].map((m) => m[1]);
  });
}

describe('docs/getting-started.md', () => {
  test('is a session: setup first, then commands, most with the answer they print', () => {
    assert.deepEqual(exportedNames(session[0]?.command.text ?? ''), SETUP_VARIABLES);
    assert.ok(session.length > 20, `${session.length} command blocks`);
    assert.ok(session.filter((s) => s.answer).length > 15, 'most commands show their answer');
  });

  for (const store of STORES) {
    test(`every command answers as shown (${store})`, { skip: missingTool(['bash', 'curl', 'jq']) }, async () => {
      // Async work takes a minute here instead of 1–2 s, so the transient statuses the guide shows right
      // after a command are still there however slow the machine; the guide advances the clock past them.
      const server = await startTestServer(store, { registryBuildSeconds: 60, volumeCreateDelaySeconds: 60, microserviceBusySeconds: 60 });
      const cwd = mkdtempSync(join(tmpdir(), 'opencomb-guide-'));
      try {
        const pair = server.running.bootstrap.created;
        assert.ok(pair, 'the first start prints the admin pair');
        const setup = `export OPENCOMB=${server.url}\nexport OPENCOMB_ACCESS_KEY=${pair.app_key} OPENCOMB_ACCESS_SECRET=${pair.app_secret}`;
        const commands = [setup, ...session.slice(1).map((s) => s.command.text)];
        const run = await runSession(commands, { PATH: process.env.PATH, HOME: cwd, LANG: 'C.UTF-8' }, cwd);
        assertSessionMatches(GUIDE, session, run);
      } finally {
        rmSync(cwd, { recursive: true, force: true });
        await server.close();
      }
    });
  }
});
