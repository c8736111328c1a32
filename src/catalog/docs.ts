// Renders docs/errors.md from the catalog. Used by scripts/gen-error-docs.ts (which writes the
// file) and by test/catalog/catalog.test.ts (which checks the committed file is up to date).
// The output is deterministic: no dates, no environment-dependent content.

import { entries, reasonPhrase } from './index.ts';
import type { CatalogEntry } from './index.ts';

/** Short heading and one-line description per family (service number), in document order. */
export const FAMILIES: readonly { family: string; title: string; description: string }[] = [
  {
    family: '00',
    title: 'Gateway & legacy',
    description:
      'The gateway (routing, authentication, rate limit, media types, bodies, timeouts, generic internal errors) ' +
      'and the oldest ("beta") resources: legacy containers and apps, secret keys, repositories.',
  },
  {
    family: '01',
    title: 'Microservices',
    description: 'The container service: namespaces, specs, images, stateless and stateful microservices.',
  },
  { family: '02', title: 'Cloud volumes', description: 'Cloud volumes.' },
  { family: '03', title: 'Public IPs', description: 'Public IP management.' },
  {
    family: '04',
    title: 'Load balancers',
    description:
      'Load balancers, listeners, forwarding rules and policies, certificates. ' +
      '`4000403` belongs here by number but is used by the whole API for unparsable request bodies.',
  },
  {
    family: '05',
    title: 'Unnamed service',
    description:
      'No documentation page names this service. Its codes have no natural trigger; ' +
      'they are reachable through fault injection.',
  },
  { family: '06', title: 'Monitoring', description: 'Performance monitoring: metric queries.' },
  {
    family: '08',
    title: 'RDS',
    description: 'RDS (MySQL instances, databases, accounts, snapshots, prices, signed requests), including the only 433 code.',
  },
];

/** A Markdown code span holding `text` verbatim, safe inside a table cell. */
function codeSpan(text: string): string {
  // Use a backtick fence longer than any backtick run in the text (CommonMark code spans).
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  // In GFM tables a pipe must be escaped even inside a code span.
  return `${fence}${pad}${text.replaceAll('|', '\\|')}${pad}${fence}`;
}

function row(e: CatalogEntry): string {
  return `| <a id="${e.code}"></a>${e.code} | ${e.status} | ${codeSpan(e.name)} | ${codeSpan(e.message)} |`;
}

/** The full text of docs/errors.md. */
export function renderErrorDocs(): string {
  const lines: string[] = [];
  const push = (...ls: string[]) => lines.push(...ls);

  const statuses = [...new Set(entries.map((e) => e.status))].sort((a, b) => a - b);

  push(
    '# Error codes',
    '',
    '<!-- Generated from src/catalog/codes.ts by `npm run gen:docs`. Do not edit by hand. -->',
    '',
    `Every error response has the HTTP status \`floor(code / 10000)\` and a body with exactly two members:`,
    '',
    '```json',
    '{"code": 4040005, "message": "No such secret key."}',
    '```',
    '',
    'A code is the HTTP status (3 digits), the service (family) number (2 digits) and a detail number (2 digits).',
    'Messages are reproduced byte for byte, including their typos, case, curly apostrophes (U+2019) and the',
    'presence or absence of a trailing period. Link to a code as `docs/errors.md#<code>`, e.g. `errors.md#4000001`.',
    '',
    `The catalog holds ${entries.length} codes. Statuses used: ` +
      statuses.map((s) => `${s} ${reasonPhrase(s)}`).join(', ') +
      '.',
    '',
    '| Family | Service | Codes |',
    '|---|---|---|',
  );
  for (const f of FAMILIES) {
    const count = entries.filter((e) => e.family === f.family).length;
    push(`| ${f.family} | [${f.title}](#family-${f.family}) | ${count} |`);
  }
  push('', 'Family 07 is absent from the catalog: no response carries a 07 code.');

  for (const f of FAMILIES) {
    const rows = entries.filter((e) => e.family === f.family);
    push(
      '',
      `<a id="family-${f.family}"></a>`,
      '',
      `## ${f.family}: ${f.title}`,
      '',
      f.description,
      '',
      '| Code | HTTP | Name | Message |',
      '|---|---|---|---|',
      ...rows.map(row),
    );
  }

  const known = new Set(FAMILIES.map((f) => f.family));
  const orphans = entries.filter((e) => !known.has(e.family));
  if (orphans.length > 0) {
    throw new Error(`Catalog entries in undocumented families: ${orphans.map((e) => e.code).join(', ')}`);
  }

  return lines.join('\n') + '\n';
}
