/**
 * The emulated builder's judgement of a Dockerfile (keys-and-registry.md, build endpoints): the build
 * succeeds when the first instruction, ignoring blank lines, comments, parser directives and `ARG`, is
 * `FROM`; otherwise it fails. Nothing after that instruction is judged (the reference's rule), so the
 * reader only needs the Dockerfile syntax that can come before it: the `escape` directive, comments,
 * line continuations and case-insensitive instruction keywords.
 */

export type BuildVerdict = { ok: true } | { ok: false; reason: string };

interface Instruction {
  keyword: string;
  line: number;
}

export function judgeDockerfile(text: string): BuildVerdict {
  for (const ins of instructions(text)) {
    if (ins.keyword === 'ARG') continue;
    if (ins.keyword === 'FROM') return { ok: true };
    return { ok: false, reason: `line ${ins.line}: the first instruction must be FROM, not ${ins.keyword}` };
  }
  return { ok: false, reason: 'no FROM instruction' };
}

/** The instructions in order, read lazily (the judgement stops at the first one that is not `ARG`). */
function* instructions(source: string): Generator<Instruction> {
  const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  let escape = '\\';
  let i = 0;
  // Parser directives: only at the very top, before any comment, blank line or instruction. An `escape`
  // value other than `\` or `` ` `` is ignored like any other directive.
  const seen = new Set<string>();
  for (; i < lines.length; i++) {
    const m = /^#\s*([A-Za-z][A-Za-z0-9]*)\s*=\s*(\S+)\s*$/.exec(lines[i]!);
    if (!m) break;
    const key = m[1]!.toLowerCase();
    if (seen.has(key)) break;
    seen.add(key);
    if (key === 'escape' && (m[2] === '\\' || m[2] === '`')) escape = m[2];
  }

  while (i < lines.length) {
    const raw = lines[i]!;
    const startLine = i + 1;
    i++;
    if (/^\s*(#|$)/.test(raw)) continue;
    // Join continuation lines; comment and empty lines inside a continuation are dropped.
    let text = raw;
    while (text.trimEnd().endsWith(escape)) {
      text = text.trimEnd().slice(0, -1);
      while (i < lines.length && /^\s*(#|$)/.test(lines[i]!)) i++;
      if (i >= lines.length) break;
      text += lines[i]!;
      i++;
    }
    const keyword = /^\s*(\S*)/.exec(text)![1]!.toUpperCase();
    yield { keyword, line: startLine };
  }
}
