// Writes src/client/api.ts (the typed operations of `opencomb/client`) from the route declarations.
// Run with `npm run gen:client`; all rendering lives in scripts/client-codegen.ts.

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { allRoutes, renderClient } from './client-codegen.ts';

const target = fileURLToPath(new URL('../src/client/api.ts', import.meta.url));
writeFileSync(target, renderClient(await allRoutes()), 'utf8');
console.log(`wrote ${target}`);
