/**
 * `comb admin coverage`: the error-path coverage report (docs/coverage.md) as a table, `--output json` or
 * `--format md`; the fault rules that would close its gaps (`--suggestions`); thresholds a CI job can hold
 * (under them the report is still printed, and the exit code is 1); `comb admin coverage clear`.
 */
import type { Command } from 'commander';
import type { OperatorCoverageResult } from '../client/api.ts';
import { act } from './context.ts';
import { UsageError, type Column } from './output.ts';

type Report = OperatorCoverageResult;
type OperationRow = Report['operations'][number];
type SuggestionRow = OperationRow['suggestions'][number] & { operation: string };

/** A threshold not met: the report was printed, the command fails (exit code 1). */
export class ThresholdsNotMet extends Error {}

function percent(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) > 100) throw new UsageError(`${flag}: a percent from 0 to 100, not ${value}`);
  return Number(value);
}

const operationColumns: Column<OperationRow>[] = [
  ['OPERATION', (o) => o.operation], ['CALLS', (o) => o.calls], ['SUCCESSES', (o) => o.successes],
  ['CODES SEEN', (o) => `${o.codes.filter((c) => c.count > 0).length}/${o.codes.length}`],
  ['NEVER ANSWERED', (o) => o.codes.filter((c) => c.count === 0).map((c) => c.code).join(' ')],
];
const suggestionColumns: Column<SuggestionRow>[] = [
  ['OPERATION', (s) => s.operation], ['CODE', (s) => s.code], ['MESSAGE', (s) => s.message], ['FAULT RULE (POST /_opencomb/faults)', (s) => s.fault],
];

export function coverageCommand(admin: Command): void {
  const coverage = admin.command('coverage').description('which operations and declared error codes the API answered (docs/coverage.md)');
  coverage.command('report', { isDefault: true }).description('the report; exit code 1 when a threshold is not met')
    .option('--format <format>', 'json or md (Markdown for a CI log)')
    .option('--min-operations <percent>', 'threshold: percent of the operations called')
    .option('--min-codes <percent>', 'threshold: percent of the called operations\' error codes answered')
    .option('--all', 'also list the operations never called')
    .option('--suggestions', 'list the fault rule that produces each code never answered, instead of the operations')
    .action(act(async (ctx, _args, f) => {
      if (f.format !== undefined && f.format !== 'json' && f.format !== 'md') throw new UsageError(`--format: json or md, not ${f.format}`);
      const minOperations = percent(f.minOperations, '--min-operations');
      const minCodes = percent(f.minCodes, '--min-codes');
      const thresholds = { ...(minOperations !== undefined ? { min_operations: minOperations } : {}), ...(minCodes !== undefined ? { min_codes: minCodes } : {}) };
      const report = await ctx.admin.operatorCoverage(thresholds);
      if (f.format === 'md') {
        // The server renders the Markdown (the same as GET /_opencomb/coverage?format=md); `met` is read from the JSON.
        process.stdout.write(await ctx.admin.operatorCoverage({ ...thresholds, format: 'md' }) as unknown as string);
      } else if (ctx.out.format === 'json' || f.format === 'json') {
        ctx.out.json(report);
      } else {
        if (f.suggestions) {
          const rows = report.operations.flatMap((o) => o.suggestions.map((s) => ({ ...s, operation: o.operation })));
          ctx.out.list(rows, rows, suggestionColumns);
        } else {
          const rows = report.operations.filter((o) => f.all || o.calls > 0);
          ctx.out.list(rows, rows, operationColumns);
        }
        const { operations: ops, codes } = report.totals;
        process.stdout.write(`operations ${ops.exercised}/${ops.total} (${ops.percent}%), codes ${codes.answered}/${codes.declared} (${codes.percent}%)`
          + `${report.met === undefined ? '' : report.met ? ', thresholds met' : ', thresholds NOT met'}\n`);
      }
      if (report.met === false) {
        const { operations: ops, codes } = report.totals;
        const missed = [
          minOperations !== undefined && ops.percent < minOperations && `operations ${ops.percent}% < ${minOperations}%`,
          minCodes !== undefined && codes.percent < minCodes && `codes ${codes.percent}% < ${minCodes}%`,
        ].filter(Boolean);
        throw new ThresholdsNotMet(`coverage thresholds not met: ${missed.join(', ')}`);
      }
    }));
  coverage.command('clear').description('start counting afresh').action(act(async (ctx) => {
    await ctx.admin.operatorClearCoverage();
    ctx.out.done('coverage counts cleared');
  }));
}
