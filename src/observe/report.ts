/**
 * The coverage report (`GET /_opencomb/coverage`, docs/coverage.md): per operation its calls, successes and
 * every declared code with its count; for the codes a client never saw on an operation it calls, the fault
 * rule (`POST /_opencomb/faults` body) that would produce it; totals, and thresholds a CI job can hold.
 */
import { byCode } from '../catalog/index.ts';
import { parseCell, UNROUTED, type Operation } from './coverage.ts';

export interface CodeCount {
  code: number;
  message: string;
  /** Answers with this code, injected ones included. */
  count: number;
  /** Of those, the answers fault injection produced. */
  injected: number;
}

/** A body `POST /_opencomb/faults` accepts as it is: the next matching request answers `code`. */
export interface FaultSuggestion {
  method: string;
  path: string;
  code: number;
  count: 1;
}

export interface OperationReport {
  operation: string;
  method: string;
  path: string;
  calls: number;
  successes: number;
  codes: CodeCount[];
  /** Codes answered that the operation does not declare (none, unless injected on purpose). */
  undeclared: CodeCount[];
  /** One fault rule per declared code never answered; only for operations that were called. */
  suggestions: Array<{ code: number; message: string; fault: FaultSuggestion; also_matches?: string[] }>;
}

export interface Ratio {
  exercised?: number;
  answered?: number;
  total?: number;
  declared?: number;
  percent: number;
}

export interface CoverageReport {
  fault_injection: boolean;
  totals: {
    /** Operations called at least once, of every operation of the public API. */
    operations: { exercised: number; total: number; percent: number };
    /** Declared error codes answered at least once, of those declared by the operations called. */
    codes: { answered: number; declared: number; percent: number };
  };
  thresholds?: { min_operations?: number; min_codes?: number };
  /** Present when a threshold was given: both totals at or above their threshold. */
  met?: boolean;
  operations: OperationReport[];
  /** Requests that reached no operation (unknown paths, unsupported methods, malformed requests). */
  unrouted: { calls: number; codes: CodeCount[] };
}

export interface Thresholds {
  min_operations?: number;
  min_codes?: number;
}

const percent = (part: number, whole: number) => (whole === 0 ? 100 : Math.floor((part / whole) * 1000) / 10);

/** A route template as a fault rule path: each `:param` matches any run of characters. */
export function faultPath(template: string): string {
  return template.replace(/:[A-Za-z_][A-Za-z0-9_]*/g, '*');
}

/** Operations (other than `self`) whose requests a rule on `method` + `path` would also answer. */
function overlapping(operations: readonly Operation[], self: Operation, path: string): string[] {
  const matcher = new RegExp(`^${path.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return operations
    .filter((o) => o !== self && o.method === self.method && matcher.test(o.path.replace(/:[A-Za-z_][A-Za-z0-9_]*/g, 'x')))
    .map((o) => `${o.method} ${o.path}`);
}

export function buildReport(operations: readonly Operation[], cells: Map<string, number>, options: { faultInjection: boolean; thresholds?: Thresholds }): CoverageReport {
  // Counts by operation, then by code (undefined: success), split plain / injected.
  const byOperation = new Map<string, Map<number | undefined, { count: number; injected: number }>>();
  for (const [cell, n] of cells) {
    const { operation, code, injected } = parseCell(cell);
    const codes = byOperation.get(operation) ?? new Map();
    byOperation.set(operation, codes);
    const slot = codes.get(code) ?? { count: 0, injected: 0 };
    slot.count += n;
    if (injected) slot.injected += n;
    codes.set(code, slot);
  }
  const codeCount = (code: number, slot: { count: number; injected: number } | undefined): CodeCount => (
    { code, message: byCode(code)?.message ?? '', count: slot?.count ?? 0, injected: slot?.injected ?? 0 });

  let exercised = 0;
  let declaredTotal = 0;
  let answeredTotal = 0;
  const reports = operations.map((op): OperationReport => {
    const seen = byOperation.get(op.id) ?? new Map();
    const calls = [...seen.values()].reduce((sum, s) => sum + s.count, 0);
    const codes = op.declared.map((code) => codeCount(code, seen.get(code)));
    const declared = new Set(op.declared);
    const undeclared = [...seen.keys()].filter((c): c is number => c !== undefined && !declared.has(c)).sort((a, b) => a - b).map((c) => codeCount(c, seen.get(c)));
    const path = faultPath(op.path);
    const also = overlapping(operations, op, path);
    const suggestions = calls === 0 ? [] : codes.filter((c) => c.count === 0).map((c) => ({
      code: c.code, message: c.message, fault: { method: op.method, path, code: c.code, count: 1 as const }, ...(also.length ? { also_matches: also } : {}),
    }));
    if (calls > 0) {
      exercised++;
      declaredTotal += codes.length;
      answeredTotal += codes.filter((c) => c.count > 0).length;
    }
    return { operation: op.id, method: op.method, path: op.path, calls, successes: seen.get(undefined)?.count ?? 0, codes, undeclared, suggestions };
  });

  const unrouted = byOperation.get(UNROUTED) ?? new Map();
  const report: CoverageReport = {
    fault_injection: options.faultInjection,
    totals: {
      operations: { exercised, total: operations.length, percent: percent(exercised, operations.length) },
      codes: { answered: answeredTotal, declared: declaredTotal, percent: percent(answeredTotal, declaredTotal) },
    },
    operations: reports,
    unrouted: {
      calls: [...unrouted.values()].reduce((sum, s) => sum + s.count, 0),
      codes: [...unrouted.keys()].filter((c): c is number => c !== undefined).sort((a, b) => a - b).map((c) => codeCount(c, unrouted.get(c))),
    },
  };
  const { thresholds } = options;
  if (thresholds && (thresholds.min_operations !== undefined || thresholds.min_codes !== undefined)) {
    report.thresholds = thresholds;
    report.met = (thresholds.min_operations === undefined || report.totals.operations.percent >= thresholds.min_operations)
      && (thresholds.min_codes === undefined || report.totals.codes.percent >= thresholds.min_codes);
  }
  // `thresholds` and `met` read best next to the totals.
  const { operations: ops, unrouted: rest, ...head } = report;
  return { ...head, operations: ops, unrouted: rest };
}

/** The report as Markdown for a CI log: totals, then one row per operation called, then what was never called. */
export function renderMarkdown(report: CoverageReport): string {
  const { operations, codes } = report.totals;
  const lines = [
    '# Error-path coverage',
    '',
    `Operations called: ${operations.exercised} of ${operations.total} (${operations.percent}%)`,
    `Declared error codes answered on them: ${codes.answered} of ${codes.declared} (${codes.percent}%)`,
  ];
  if (report.met !== undefined) {
    const t = report.thresholds!;
    const wanted = [t.min_operations !== undefined && `operations ≥ ${t.min_operations}%`, t.min_codes !== undefined && `codes ≥ ${t.min_codes}%`].filter(Boolean).join(', ');
    lines.push(`Thresholds (${wanted}): ${report.met ? 'met' : 'NOT met'}`);
  }
  lines.push('', '| operation | method | path | calls | successes | codes answered | codes never answered |', '|---|---|---|---|---|---|---|');
  const called = report.operations.filter((o) => o.calls > 0);
  for (const o of called) {
    const answered = o.codes.filter((c) => c.count > 0).map((c) => `${c.code}×${c.count}${c.injected ? ` (${c.injected} injected)` : ''}`);
    const extra = o.undeclared.map((c) => `${c.code}×${c.count} (undeclared)`);
    const never = o.codes.filter((c) => c.count === 0).map((c) => c.code);
    lines.push(`| ${o.operation} | ${o.method} | \`${o.path}\` | ${o.calls} | ${o.successes} | ${[...answered, ...extra].join(', ') || '—'} | ${never.join(', ') || '—'} |`);
  }
  if (called.length === 0) lines.push('| (none called) | | | | | | |');
  const uncalled = report.operations.filter((o) => o.calls === 0);
  if (uncalled.length) lines.push('', `Never called (${uncalled.length}): ${uncalled.map((o) => o.operation).join(', ')}`);
  if (report.unrouted.calls) lines.push('', `Requests that reached no operation: ${report.unrouted.calls} (${report.unrouted.codes.map((c) => `${c.code}×${c.count}`).join(', ')})`);
  return `${lines.join('\n')}\n`;
}
