// Writes src/client/api.ts (the typed operations of `opencomb/client`) from the route declarations.
// Run with `npm run gen:client`; all rendering lives in scripts/client-codegen.ts.
// An unchanged file is left alone: the incremental build would emit nothing for it, and dist/ would look
// older than src/ (test/server/process.ts checks that).

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { allRoutes, renderClient } from './client-codegen.ts';

const target = fileURLToPath(new URL('../src/client/api.ts', import.meta.url));
const text = renderClient(await allRoutes());
if (readFileSync(target, 'utf8') === text) {
  console.log(`${target} is up to date`);
} else {
  writeFileSync(target, text, 'utf8');
  console.log(`wrote ${target}`);
}
