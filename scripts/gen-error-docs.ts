// Writes docs/errors.md from the error catalog. Run with `npm run gen:docs`.
// All rendering lives in src/catalog/docs.ts; this script only writes the file.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderErrorDocs } from '../src/catalog/docs.ts';

const target = fileURLToPath(new URL('../docs/errors.md', import.meta.url));
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, renderErrorDocs(), 'utf8');
console.log(`wrote ${target}`);
