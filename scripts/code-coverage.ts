/**
 * Which catalog codes the tests assert as responses (`npm run codes:covered`): scans test files (in every
 * folder under test/) for 7-digit catalog codes in assertions (expectError(..., code, ...),
 * rejectsWith(..., code, ...) and the like) and prints, per family, the codes no test mentions. The
 * README's "What is implemented" table shows the counts; test/docs/readme.test.ts keeps them current.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { entries } from '../src/catalog/index.ts';

export interface FamilyCoverage {
  family: string;
  covered: number[];
  missing: number[];
}

export function codeCoverage(): FamilyCoverage[] {
  const dir = fileURLToPath(new URL('../test/', import.meta.url));
  // The catalog test names every code without producing it, so it does not count.
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && basename(f) !== 'catalog.test.ts');
  const text = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
  const seen = new Set([...text.matchAll(/\b([45]\d{6})\b/g)].map((m) => Number(m[1])));
  const families = new Map<string, FamilyCoverage>();
  for (const e of entries) {
    const f = families.get(e.family) ?? { family: e.family, covered: [], missing: [] };
    (seen.has(e.code) ? f.covered : f.missing).push(e.code);
    families.set(e.family, f);
  }
  return [...families.values()];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  let total = 0;
  for (const { family, covered, missing } of codeCoverage()) {
    total += covered.length;
    console.log(`family ${family}: ${covered.length}/${covered.length + missing.length} asserted by tests${missing.length ? `; not: ${missing.join(', ')}` : ''}`);
  }
  console.log(`all: ${total}/${entries.length}`);
}
