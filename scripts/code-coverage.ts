/**
 * Which catalog codes the tests assert as responses (`npm run codes:covered`): scans test files for
 * 7-digit catalog codes in assertions (expectError(..., code, ...), rejectsWith(..., code, ...) and the
 * like) and prints, per family, the codes no test mentions.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { entries } from '../src/catalog/index.ts';

const dir = new URL('../test/', import.meta.url).pathname;
// The catalog test names every code without producing it, so it does not count.
const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'catalog.test.ts');
const text = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
const seen = new Set([...text.matchAll(/\b([45]\d{6})\b/g)].map((m) => Number(m[1])));
const families = new Map<string, { covered: number[]; missing: number[] }>();
for (const e of entries) {
  const f = families.get(e.family) ?? { covered: [], missing: [] };
  (seen.has(e.code) ? f.covered : f.missing).push(e.code);
  families.set(e.family, f);
}
let total = 0;
for (const [family, { covered, missing }] of families) {
  total += covered.length;
  console.log(`family ${family}: ${covered.length}/${covered.length + missing.length} asserted by tests${missing.length ? `; not: ${missing.join(', ')}` : ''}`);
}
console.log(`all: ${total}/${entries.length}`);
