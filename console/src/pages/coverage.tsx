/**
 * Error-path coverage (`GET /_opencomb/coverage`, docs/coverage.md): which operations this server answered
 * and with which of their declared codes; for a code never answered, the fault rule that would produce it,
 * installed with one click.
 */
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import type { OperatorAddFaultBody, OperatorCoverageResult } from '../api.ts';
import { usePoll } from '../hooks.ts';
import { Confirm, ErrorText, Loaded, Page } from '../ui.tsx';

type OperationReport = OperatorCoverageResult['operations'][number];
type Suggestion = OperationReport['suggestions'][number];

/** Less often than the resource pages: the report is large and only moves when a client calls. */
const COVERAGE_POLL_MS = 2000;

const ratio = (part: number, whole: number, percent: number) => `${part} / ${whole} (${percent}%)`;

export function Coverage() {
  const report = usePoll(() => api((c) => c.operatorCoverage()), [], COVERAGE_POLL_MS);
  const [onlyCalled, setOnlyCalled] = useState(true);
  return (
    <Page title="Error-path coverage" actions={
      <Confirm label="Clear the counts" question="Start counting from zero?" confirmLabel="Yes, clear" action={async () => {
        await api((c) => c.operatorClearCoverage());
        report.reload();
      }} />
    }>
      <p>Each operation of the public API with the answers it gave since the start or the last clear, and every code it declares.
        A code never answered comes with the fault rule that would produce it.</p>
      <Loaded data={report.data} error={report.error}>
        {(r) => {
          const shown = onlyCalled ? r.operations.filter((o) => o.calls > 0) : r.operations;
          return (
            <>
              <dl class="tiles coverage-totals">
                <div><dt>Operations exercised</dt><dd data-testid="operations-exercised">{ratio(r.totals.operations.exercised, r.totals.operations.total, r.totals.operations.percent)}</dd></div>
                <div><dt>Declared codes answered</dt><dd data-testid="codes-answered">{ratio(r.totals.codes.answered, r.totals.codes.declared, r.totals.codes.percent)}</dd></div>
              </dl>
              {r.fault_injection ? null : <p class="notice">Fault injection is off on this server: start it with <code>--fault-injection</code> to apply the suggested rules.</p>}
              <div class="field field-check">
                <label for="coverage-only-called">Only operations called</label>
                <input id="coverage-only-called" type="checkbox" checked={onlyCalled} onChange={(ev) => setOnlyCalled(ev.currentTarget.checked)} />
              </div>
              <p class="muted" role="status">{shown.length} of {r.operations.length} operations shown</p>
              {shown.map((o) => <OperationCoverage key={`${o.method} ${o.path}`} op={o} faultInjection={r.fault_injection} reload={report.reload} />)}
              {r.unrouted.calls > 0 ? (
                <p>Requests that reached no operation: {r.unrouted.calls} ({r.unrouted.codes.map((c) => `${c.code}×${c.count}`).join(', ')})</p>
              ) : null}
            </>
          );
        }}
      </Loaded>
    </Page>
  );
}

function OperationCoverage({ op, faultInjection, reload }: { op: OperationReport; faultInjection: boolean; reload: () => void }) {
  const suggestions = new Map(op.suggestions.map((s) => [s.code, s]));
  const headingId = `op-${op.operation}`;
  return (
    <article class="card" aria-labelledby={headingId} data-operation={op.operation}>
      <h2 id={headingId}>{op.operation} <code class="muted">{op.method} {op.path}</code></h2>
      <p><span data-testid="calls">{op.calls}</span> calls · <span data-testid="successes">{op.successes}</span> successes</p>
      <div class="table-wrap">
        <table>
          <caption class="sr-only">Declared codes of {op.operation}</caption>
          <thead><tr><th scope="col">code</th><th scope="col">message</th><th scope="col">count</th><th scope="col">injected</th><th scope="col">fault rule</th></tr></thead>
          <tbody>
            {op.codes.map((c) => {
              const suggestion = suggestions.get(c.code);
              return (
                <tr key={c.code} data-code={c.code} class={c.count === 0 ? 'never' : undefined}>
                  <td>{c.code}</td>
                  <td>{c.message}</td>
                  <td data-testid="count">{c.count === 0 ? <span class="zero" title="never answered">0<span class="sr-only"> (never answered)</span></span> : c.count}</td>
                  <td>{c.injected}</td>
                  <td>{suggestion ? <ApplySuggestion op={op} suggestion={suggestion} enabled={faultInjection} reload={reload} /> : null}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p data-testid="undeclared">Undeclared codes answered: {op.undeclared.length === 0 ? 'none' : (
        <strong class="error">{op.undeclared.map((c) => `${c.code}×${c.count}`).join(', ')}</strong>
      )}</p>
    </article>
  );
}

/** The suggested rule, and a button that installs it (`POST /_opencomb/faults`): the next matching call answers the code. */
function ApplySuggestion({ op, suggestion, enabled, reload }: { op: OperationReport; suggestion: Suggestion; enabled: boolean; reload: () => void }) {
  const [installed, setInstalled] = useState<number>();
  const [error, setError] = useState<Error>();
  const { fault } = suggestion;
  return (
    <span class="suggestion">
      <code>{fault.method} {fault.path} → {fault.code} ×{fault.count}</code>
      {suggestion.also_matches?.length ? <small class="hint"> also matches {suggestion.also_matches.join(', ')}: make this call first</small> : null}
      {' '}
      {installed !== undefined ? <span role="status">Rule {installed} installed: make the call.</span> : enabled ? (
        <button type="button" aria-label={`Apply the fault rule for ${fault.code} on ${op.operation}`} onClick={async () => {
          setError(undefined);
          try {
            const rule = await api((c) => c.operatorAddFault(fault as OperatorAddFaultBody));
            setInstalled(rule.id);
            reload();
          } catch (err) {
            setError(err as Error);
          }
        }}>Apply</button>
      ) : null}
      {error ? <ErrorText error={error} /> : null}
    </span>
  );
}
