/**
 * Every `§` citation in the code and the docs names a section of the API reference kept in this repository
 * (`core.md §8.2` is docs/reference/core.md, the heading numbered 8.2). A list or range after a citation
 * (`microservices.md §3.10–§3.17`, `§2.8 and §3.4`) cites the same file; a `§` with no file is an error.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REFERENCE = join(ROOT, 'docs/reference');

const SECTION = String.raw`§(\d+(?:\.\d+)*)`;
const CITATION = new RegExp(String.raw`([A-Za-z0-9._-]+\.md) ${SECTION}((?:\s*(?:–|-|,|and|or|/)\s*${SECTION})*)`, 'g');
/** Sections of other standards (`RFC 4253 §6.6`) are not ours to check. */
const EXTERNAL = /RFC \d+ §/g;

/** The numbered headings of a reference file (`## 8. Protocol-level errors`, `### 8.2 Error precedence`). */
function sectionsOf(file: string): Set<string> {
  const out = new Set<string>();
  for (const m of readFileSync(join(REFERENCE, file), 'utf8').matchAll(/^#+ (\d+(?:\.\d+)*)\.?\s/gm)) out.add(m[1]!);
  return out;
}

/** The broken citations of one text: bare `§`, unknown files, sections the file does not have. */
function brokenCitations(text: string): string[] {
  const problems: string[] = [];
  const covered = new Set<number>();
  for (const m of text.matchAll(EXTERNAL)) for (let i = m.index!; i < m.index! + m[0].length; i++) covered.add(i);
  for (const m of text.matchAll(CITATION)) {
    for (let i = m.index!; i < m.index! + m[0].length; i++) covered.add(i);
    const file = m[1]!;
    if (!existsSync(join(REFERENCE, file))) {
      problems.push(`${m[0]}: no docs/reference/${file}`);
      continue;
    }
    const sections = sectionsOf(file);
    for (const [, section] of m[0].matchAll(new RegExp(SECTION, 'g'))) {
      if (!sections.has(section!)) problems.push(`${m[0]}: ${file} has no section ${section}`);
    }
  }
  for (const m of text.matchAll(/§/g)) {
    if (!covered.has(m.index!)) problems.push(`bare "${text.slice(Math.max(0, m.index! - 30), m.index! + 8).replace(/\s+/g, ' ')}": name the reference file`);
  }
  return problems;
}

function filesUnder(dir: string, ext: string): string[] {
  if (!existsSync(join(ROOT, dir))) return [];
  return (readdirSync(join(ROOT, dir), { recursive: true }) as string[]).filter((f) => f.endsWith(ext)).map((f) => join(dir, f));
}

describe('§ citations resolve into docs/reference', () => {
  it('the checker finds a bare §, an unknown file and a missing section', () => {
    assert.deepEqual(brokenCitations('core.md §8.2 and §8.1; microservices.md §3.10–§3.17; RFC 4253 §6.6'), []);
    assert.equal(brokenCitations('see §1.3').length, 1);
    assert.equal(brokenCitations('see nowhere.md §1').length, 1);
    assert.equal(brokenCitations('core.md §8.2 and §99').length, 1);
  });

  it('every citation in the code, the tests and the docs names a section that exists', () => {
    const files = [
      ...['src', 'test', 'bench', 'scripts'].flatMap((dir) => filesUnder(dir, '.ts')),
      ...filesUnder('docs', '.md').filter((f) => !f.startsWith(join('docs', 'reference'))),
      'README.md',
    ].filter((f) => f !== join('test', 'docs', 'citations.test.ts')); // this file speaks about citations
    const problems = files.flatMap((file) => brokenCitations(readFileSync(join(ROOT, file), 'utf8')).map((p) => `${file}: ${p}`));
    assert.deepEqual(problems, []);
  });
});
