/**
 * Runs the shell session of a Markdown guide and compares what it printed with the answers the guide shows.
 *
 * The guide's format: ```sh blocks are commands, run in order by one bash (variables carry over). The block
 * right after a command block (nothing but blank lines between) is what it prints: ```http for `curl -i`
 * (the status line, any headers worth showing, a blank line, then the body), ```json for one JSON
 * document, ```text for lines compared one by one. In a shown answer, "…" stands for what
 * varies: "…" (bare or as a string) matches any value, "…" inside a string matches any characters, a "…" member means
 * "more members", and a last array element "…" means "more elements". Anything else must be equal, and
 * objects without a "…" member must have exactly the members shown.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';

export interface Block {
  lang: string;
  text: string;
  /** 1-based line of the opening fence, for messages. */
  line: number;
}

export interface Step {
  command: Block;
  answer: Block | undefined;
}

export function fencedBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const fence = /^```(\S*)[^\n]*\n([\s\S]*?)^```[ \t]*$/gm;
  for (let m; (m = fence.exec(markdown)); ) {
    blocks.push({ lang: m[1] ?? '', text: m[2] ?? '', line: markdown.slice(0, m.index).split('\n').length });
  }
  return blocks;
}

const ANSWER_LANGS = ['http', 'json', 'text'];

/** Command blocks, each with the answer block that follows it with nothing but blank lines between. */
export function steps(markdown: string): Step[] {
  const blocks = fencedBlocks(markdown);
  const result: Step[] = [];
  blocks.forEach((block, i) => {
    if (block.lang !== 'sh') return;
    const next = blocks[i + 1];
    const between = next ? markdown.split('\n').slice(block.line + block.text.split('\n').length, next.line - 1).join('\n') : '';
    const isAnswer = next !== undefined && ANSWER_LANGS.includes(next.lang) && between.trim() === '';
    result.push({ command: block, answer: isAnswer ? next : undefined });
  });
  return result;
}

export interface HttpAnswer {
  statusLine: string;
  headers: Array<[string, string]>;
  body: string;
}

/** `curl -i` output (CRLF) or a shown answer (LF): status line, headers, blank line, body. */
export function parseHttp(text: string): HttpAnswer {
  const normalized = text.replace(/\r\n/g, '\n');
  const start = normalized.indexOf('HTTP/');
  if (start < 0) throw new Error(`no HTTP status line in:\n${text}`);
  const rest = normalized.slice(start);
  const end = rest.indexOf('\n\n');
  const head = end < 0 ? rest.trimEnd() : rest.slice(0, end);
  const [statusLine = '', ...headerLines] = head.split('\n');
  const headers = headerLines.map((l): [string, string] => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]);
  return { statusLine: statusLine.trim(), headers, body: end < 0 ? '' : rest.slice(end + 2).trim() };
}

const ELLIPSIS = '…';

function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.split(ELLIPSIS).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*')}$`);
}

/** Differences between an actual value and a shown one (empty when they match), with JSON paths. */
export function differences(actual: unknown, shown: unknown, path = '$'): string[] {
  if (shown === ELLIPSIS) return [];
  if (typeof shown === 'string' && shown.includes(ELLIPSIS)) {
    return typeof actual === 'string' && glob(shown).test(actual) ? [] : [`${path}: ${JSON.stringify(actual)} does not match ${JSON.stringify(shown)}`];
  }
  if (Array.isArray(shown)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${JSON.stringify(actual)}`];
    const open = shown.at(-1) === ELLIPSIS;
    const items = open ? shown.slice(0, -1) : shown;
    if (open ? actual.length < items.length : actual.length !== items.length) {
      return [`${path}: ${actual.length} elements, the guide shows ${open ? 'at least ' : ''}${items.length}`];
    }
    return items.flatMap((item, i) => differences(actual[i], item, `${path}[${i}]`));
  }
  if (shown !== null && typeof shown === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
    const members = Object.entries(shown).filter(([k]) => k !== ELLIPSIS);
    const found: string[] = [];
    for (const [k, v] of members) {
      if (!(k in actual)) found.push(`${path}.${k}: missing`);
      else found.push(...differences((actual as Record<string, unknown>)[k], v, `${path}.${k}`));
    }
    if (!(ELLIPSIS in shown)) {
      const extra = Object.keys(actual).filter((k) => !(k in shown));
      if (extra.length) found.push(`${path}: members not shown in the guide: ${extra.join(', ')}`);
    }
    return found;
  }
  return Object.is(actual, shown) ? [] : [`${path}: ${JSON.stringify(actual)}, the guide shows ${JSON.stringify(shown)}`];
}

/** Why a guide's session cannot run here (a command it uses is not installed), or undefined when it can. */
export function missingTool(tools: string[]): string | undefined {
  for (const tool of tools) {
    try {
      execFileSync(tool, ['--version'], { stdio: 'ignore' });
    } catch {
      return `${tool} is not installed (the guide's commands need ${tools.slice(0, -1).join(', ')} and ${tools.at(-1)})`;
    }
  }
  return undefined;
}

/**
 * The guide's session ran to its end (exit code 0) and every answer it shows matches what its command
 * printed; otherwise the assertion names the guide's line of the failed command or of each stale answer.
 */
export function assertSessionMatches(guide: string, session: Step[], run: RunResult): void {
  const failedAt = run.outputs.length - 1;
  assert.equal(run.code, 0, `the command at ${guide}:${session[failedAt]?.command.line} failed: ${run.stderr}\n${run.outputs[failedAt]}`);
  const stale = session.flatMap((step, i) => {
    if (!step.answer) return [];
    const found = compareAnswer(run.outputs[i] ?? '', step.answer);
    return found.length ? [`${guide}:${step.answer.line}: ${found.join('; ')}\nprinted:\n${run.outputs[i]}`] : [];
  });
  assert.deepEqual(stale, [], 'every shown answer matches what its command printed');
}

/** What a command printed differs from the shown answer in these ways (empty: it matches). */
export function compareAnswer(printed: string, shown: Block): string[] {
  if (shown.lang === 'json') return compareJson(printed.trim(), shown.text);
  if (shown.lang === 'text') return compareLines(printed, shown.text);
  return compareHttp(printed, shown.text);
}

/** A shown JSON document, where a bare … (outside strings, e.g. `"id": …`) means the string "…". */
export function parseShownJson(text: string): unknown {
  return JSON.parse(text.replace(/"(?:[^"\\]|\\.)*"|…/g, (m) => (m === ELLIPSIS ? `"${ELLIPSIS}"` : m)));
}

function compareJson(printed: string, shownText: string): string[] {
  let actual: unknown;
  try {
    actual = JSON.parse(printed);
  } catch {
    return [`not JSON: ${printed}`];
  }
  return differences(actual, parseShownJson(shownText));
}

function compareLines(printed: string, shownText: string): string[] {
  const actual = printed.trim().split('\n');
  const shown = shownText.trim().split('\n');
  if (actual.length !== shown.length) return [`${actual.length} lines printed, the guide shows ${shown.length}`];
  return shown.flatMap((line, i) => (glob(line.trim()).test(actual[i]!.trim()) ? [] : [`line ${i + 1}: "${actual[i]}", the guide shows "${line}"`]));
}

function compareHttp(printed: string, shownText: string): string[] {
  const actual = parseHttp(printed);
  const shown = parseHttp(shownText);
  const found: string[] = [];
  if (!glob(shown.statusLine).test(actual.statusLine)) found.push(`status: "${actual.statusLine}", the guide shows "${shown.statusLine}"`);
  for (const [name, value] of shown.headers) {
    const got = actual.headers.filter(([n]) => n === name).map(([, v]) => v);
    if (!got.some((v) => glob(value).test(v))) found.push(`header ${name}: ${JSON.stringify(got)}, the guide shows "${value}"`);
  }
  if (shown.body === '') {
    if (actual.body !== '') found.push(`body: ${actual.body}, the guide shows none`);
  } else {
    found.push(...compareJson(actual.body, shown.body));
  }
  return found;
}

export interface RunResult {
  code: number | null;
  /** Output of each command block, by index in the list given. */
  outputs: string[];
  stderr: string;
}

/** Runs the blocks in one bash (`set -euo pipefail`), so a failing command stops the session. */
export function runSession(commands: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<RunResult> {
  const marker = `@@step-${process.pid}-${Date.now()}@@`;
  const script = ['set -euo pipefail', ...commands.flatMap((c, i) => [`printf '\\n${marker}%d\\n' ${i}`, c])].join('\n');
  return new Promise((resolve) => {
    execFile('bash', ['-c', script], { env, cwd, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const outputs: string[] = [];
      const parts = stdout.split(new RegExp(`\\n${marker}(\\d+)\\n`));
      for (let i = 1; i < parts.length; i += 2) outputs[Number(parts[i])] = parts[i + 1] ?? '';
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, outputs, stderr });
    });
  });
}
