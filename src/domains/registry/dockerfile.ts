/**
 * The emulated builder's judgement of a Dockerfile (keys-and-registry.md, build endpoints). It follows the
 * Dockerfile reference's parsing rules — parser directives (`# escape=`), comments, line continuations,
 * here-documents, case-insensitive instructions — without running anything. A build succeeds when the
 * first instruction, ignoring `ARG`, is a well-formed `FROM`, and every instruction is one Docker knows
 * and has arguments; otherwise it fails with the reason recorded.
 */

export type BuildVerdict = { ok: true } | { ok: false; reason: string };

const INSTRUCTIONS = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER',
  'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);
/** Instructions that may not follow ONBUILD (Dockerfile reference). */
const NOT_ONBUILD = new Set(['ONBUILD', 'FROM', 'MAINTAINER']);
/** Instructions that may carry here-documents (`<<EOF`). */
const HEREDOC = new Set(['RUN', 'COPY', 'ADD']);
/** An image reference, loosely: name[:tag][@digest], variables allowed (`${BASE}`). */
const IMAGE_REF = /^[A-Za-z0-9$_{}][A-Za-z0-9$_{}:.\/@+-]*$/;

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export function judgeDockerfile(text: string): BuildVerdict {
  let instructions: Instruction[];
  try {
    instructions = parse(text);
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
  const first = instructions.find((i) => i.keyword !== 'ARG');
  if (!first) return { ok: false, reason: 'no FROM instruction' };
  if (first.keyword !== 'FROM') return { ok: false, reason: `line ${first.line}: the first instruction must be FROM, not ${first.keyword}` };
  for (const ins of instructions) {
    if (!INSTRUCTIONS.has(ins.keyword)) return { ok: false, reason: `line ${ins.line}: unknown instruction ${ins.keyword}` };
    if (ins.args === '') return { ok: false, reason: `line ${ins.line}: ${ins.keyword} requires arguments` };
    if (ins.keyword === 'FROM' && !validFrom(ins.args)) return { ok: false, reason: `line ${ins.line}: invalid FROM ${ins.args}` };
    if (ins.keyword === 'ONBUILD') {
      const inner = ins.args.split(/\s+/)[0]!.toUpperCase();
      if (!INSTRUCTIONS.has(inner) || NOT_ONBUILD.has(inner)) return { ok: false, reason: `line ${ins.line}: ONBUILD cannot run ${inner}` };
    }
  }
  return { ok: true };
}

/** `FROM [--platform=<p>] <image> [AS <name>]`. */
function validFrom(args: string): boolean {
  const words = args.split(/\s+/).filter((w) => !w.startsWith('--'));
  if (words.length !== 1 && !(words.length === 3 && words[1]!.toUpperCase() === 'AS' && /^[A-Za-z][A-Za-z0-9_.-]*$/.test(words[2]!))) return false;
  return IMAGE_REF.test(words[0]!);
}

function parse(source: string): Instruction[] {
  const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  let escape = '\\';
  let i = 0;
  // Parser directives: only at the very top, before any comment, blank line or instruction.
  const seen = new Set<string>();
  for (; i < lines.length; i++) {
    const m = /^#\s*([A-Za-z][A-Za-z0-9]*)\s*=\s*(\S+)\s*$/.exec(lines[i]!);
    if (!m) break;
    const key = m[1]!.toLowerCase();
    if (seen.has(key)) break;
    seen.add(key);
    if (key === 'escape') {
      if (m[2] !== '\\' && m[2] !== '`') throw new Error(`invalid escape directive ${m[2]}`);
      escape = m[2];
    }
  }

  const out: Instruction[] = [];
  while (i < lines.length) {
    const raw = lines[i]!;
    const startLine = i + 1;
    i++;
    if (/^\s*(#|$)/.test(raw)) continue;
    // Join continuation lines; comment and empty lines inside a continuation are dropped.
    let text = raw;
    while (endsWithEscape(text, escape) && i <= lines.length) {
      text = text.trimEnd().slice(0, -1);
      while (i < lines.length && /^\s*(#|$)/.test(lines[i]!)) i++;
      if (i >= lines.length) break;
      text += lines[i]!;
      i++;
    }
    const m = /^\s*(\S+)\s*([\s\S]*)$/.exec(text)!;
    const keyword = m[1]!.toUpperCase();
    const args = m[2]!.trim();
    out.push({ keyword, args, line: startLine });
    // Here-documents: their bodies are content, not instructions.
    if (HEREDOC.has(keyword)) {
      for (const doc of args.matchAll(/<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g)) {
        const strip = doc[1] === '-';
        const word = doc[3]!;
        while (i < lines.length && (strip ? lines[i]!.replace(/^\t+/, '') : lines[i]) !== word) i++;
        if (i >= lines.length) throw new Error(`line ${startLine}: here-document ${word} is not terminated`);
        i++;
      }
    }
  }
  return out;
}

function endsWithEscape(text: string, escape: string): boolean {
  return text.trimEnd().endsWith(escape);
}
