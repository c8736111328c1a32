/**
 * `comb admin coverage`: the error-path coverage report (docs/coverage.md) as a table or `--output json`,
 * the fault rules that would close its gaps (`--suggestions`), and thresholds a CI job can hold: under
 * them the report is still printed, and the exit code is 1.
 */
import type { Command } from 'commander';
import type { OperatorCoverageResult } from '../client/api.ts';
import { act } from './context.ts';
import { UsageError, type Column } from './output.ts';

type Report = OperatorCoverageResult;
type OperationRow = Report['operations'][number];
type SuggestionRow = OperationRow['suggestions'][number] & { operation: string };

/** A threshold refused: the report was printed, the command fails (exit code 1). */
export class ThresholdsNotMet extends Error {}

function percent(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) > 100) throw new UsageError(`${flag}: a percent from 0 to 100, not ${value}`);
  return Number(value);
}

const operationColumns: Column<OperationRow>[] = [
  ['OPERATION', (o) => o.operation], ['METHOD', (o) => o.method], ['PATH', (o) => o.path], ['CALLS', (o) => o.calls], ['SUCCESSES', (o) => o.successes],
  ['CODES ANSWERED', (o) => `${o.codes.filter((c) => c.count > 0).length}/${o.codes.length}`],
  ['NEVER ANSWERED', (o) => o.codes.filter((c) => c.count === 0).map((c) => c.code).join(' ')],
];
const suggestionColumns: Column<SuggestionRow>[] = [
  ['OPERATION', (s) => s.operation], ['CODE', (s) => s.code], ['MESSAGE', (s) => s.message], ['FAULT RULE (POST /_opencomb/faults)', (s) => s.fault],
];

export function coverageCommand(admin: Command): void {
  admin.command('coverage').description('which operations and declared error codes were answered (docs/coverage.md); exit code 1 under the thresholds')
    .option('--min-operations <percent>', 'fail unless at least this percent of the operations were called')
    .option('--min-codes <percent>', 'fail unless at least this percent of the called operations\' error codes were answered')
    .option('--all', 'also list the operations never called')
    .option('--suggestions', 'list the fault rule that produces each code never answered, instead of the operations')
    .option('--clear', 'start counting afresh (prints nothing else)')
    .action(act(async (ctx, _args, f) => {
      if (f.clear) {
        await ctx.admin.operatorClearCoverage();
        return ctx.out.done('coverage counts cleared');
      }
      const minOperations = percent(f.minOperations, '--min-operations');
      const minCodes = percent(f.minCodes, '--min-codes');
      const report = await ctx.admin.operatorCoverage({
        ...(minOperations !== undefined ? { min_operations: minOperations } : {}), ...(minCodes !== undefined ? { min_codes: minCodes } : {}),
      });
      if (ctx.out.format === 'json') ctx.out.json(report);
      else {
        const { operations, codes } = report.totals;
        process.stdout.write(`operations called: ${operations.exercised} of ${operations.total} (${operations.percent}%)\n`
          + `declared error codes answered on them: ${codes.answered} of ${codes.declared} (${codes.percent}%)\n`);
        if (f.suggestions) {
          const rows = report.operations.flatMap((o) => o.suggestions.map((s) => ({ ...s, operation: o.operation })));
          ctx.out.list(rows, rows, suggestionColumns);
        } else {
          const rows = report.operations.filter((o) => f.all || o.calls > 0);
          ctx.out.list(rows, rows, operationColumns);
        }
      }
      if (report.met === false) {
        const { operations, codes } = report.totals;
        const missed = [
          minOperations !== undefined && operations.percent < minOperations && `operations ${operations.percent}% < ${minOperations}%`,
          minCodes !== undefined && codes.percent < minCodes && `codes ${codes.percent}% < ${minCodes}%`,
        ].filter(Boolean);
        throw new ThresholdsNotMet(`coverage thresholds not met: ${missed.join(', ')}`);
      }
    }));
}
