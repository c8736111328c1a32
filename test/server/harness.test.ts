/** The shared harness itself: a server that fails to start leaves no temporary folder behind. */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { startTestServer } from '../helpers/server.ts';

const ours = () => readdirSync(tmpdir()).filter((f) => f.startsWith(`opencomb-test-${process.pid}-`));

test('a failed start removes its temporary folder', async () => {
  const busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  try {
    const before = ours();
    await assert.rejects(startTestServer('sqlite', { port: (busy.address() as { port: number }).port }), /EADDRINUSE/);
    assert.deepEqual(ours(), before);
  } finally {
    busy.close();
  }
});
