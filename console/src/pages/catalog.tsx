import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { routeQuery, usePoll } from '../hooks.ts';
import { Loaded, Page } from '../ui.tsx';

/** A code's family: its 4th and 5th digits (`4000112` → `01`, microservices), as docs/errors.md groups them. */
export const familyOf = (code: number) => String(code).slice(3, 5);

/** The whole error catalog, filtered by a code, a status, words of a message, and a family. */
export function Catalog() {
  const catalog = usePoll(() => api((c) => c.errorCatalog()), [], false);
  const [query, setQuery] = useState(routeQuery().get('q') ?? '');
  const [family, setFamily] = useState('');
  return (
    <Page title="Error catalog">
      <p>Every error is an HTTP status and <code>{'{"code", "message"}'}</code>; the status is the code's first three digits.</p>
      <Loaded data={catalog.data} error={catalog.error}>
        {(entries) => {
          const families = [...new Set(entries.map((e) => familyOf(e.code)))].sort();
          const words = query.trim().toLowerCase();
          const shown = entries.filter((e) => (!family || familyOf(e.code) === family)
            && (!words || `${e.code} ${e.status} ${e.message}`.toLowerCase().includes(words)));
          return (
            <>
              <form class="form inline" role="search" aria-label="Search the catalog" onSubmit={(ev) => ev.preventDefault()}>
                <div class="field">
                  <label for="catalog-q">Code, status or message</label>
                  <input id="catalog-q" type="search" value={query} onInput={(ev) => setQuery(ev.currentTarget.value)} />
                </div>
                <div class="field">
                  <label for="catalog-family">Family</label>
                  <select id="catalog-family" value={family} onChange={(ev) => setFamily(ev.currentTarget.value)}>
                    <option value="">all</option>
                    {families.map((f) => <option value={f}>{f}</option>)}
                  </select>
                </div>
              </form>
              <p role="status" aria-live="polite">{shown.length} of {entries.length} codes</p>
              <div class="table-wrap">
                <table>
                  <thead><tr><th scope="col">code</th><th scope="col">status</th><th scope="col">family</th><th scope="col">message</th></tr></thead>
                  <tbody>
                    {shown.map((e) => (
                      <tr data-code={e.code}>
                        <td><a href={`/_opencomb/docs/errors.md#${e.code}`}><code>{e.code}</code></a></td><td>{e.status}</td><td>{familyOf(e.code)}</td><td>{e.message}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          );
        }}
      </Loaded>
    </Page>
  );
}
