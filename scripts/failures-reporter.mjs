/**
 * A second test reporter for `npm test`: after the TAP stream, the failed tests again, one block each
 * (file:line, name, the error's first lines), so a failure is found at the end of a long log, or of a
 * log that was cut to its first and last pages. Plain JavaScript: Node loads reporters before `--import tsx`.
 */
import { relative } from 'node:path';

/** @param {{ failureType?: string, message?: string, cause?: unknown } | undefined} error */
function messageOf(error) {
  const cause = error?.cause;
  const text = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause ?? error?.message ?? 'failed');
  return text.split('\n').slice(0, 12).join('\n');
}

/** @param {AsyncIterable<{ type: string, data: any }>} source */
export default async function* failuresReporter(source) {
  const failures = [];
  for await (const event of source) {
    if (event.type !== 'test:fail') continue;
    const { name, file, line, details } = event.data;
    // A suite fails because a test in it failed: that test has its own block.
    if (details.error?.failureType === 'subtestsFailed') continue;
    failures.push({ where: file ? `${relative(process.cwd(), file)}:${line ?? '?'}` : '?', name, message: messageOf(details.error) });
  }
  if (failures.length === 0) return;
  yield `# ${failures.length} failed:\n`;
  for (const f of failures) yield `# ✖ ${f.where} ${f.name}\n${f.message.replace(/^/gm, '#     ')}\n`;
}
