import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { usePoll } from '../hooks.ts';
import { Confirm, ErrorText, Field, Form, FormError, Loaded, Page, Submit, text } from '../ui.tsx';

interface SecretKey {
  id: number;
  name: string;
  fingerprint: string;
  created_at: string;
}

/** Hands the browser a file to save, from text already in memory. */
function saveFile(name: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: 'application/x-pem-file' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Secret keys: a new key's private key is offered for download once, right after it is created; the
 * console does not keep it (the API still serves it to the owner, as the original did).
 */
export function SecretKeys() {
  const list = usePoll(() => api((c) => c.listSecretKeys()), []);
  const [fresh, setFresh] = useState<SecretKey>();
  const [downloadError, setDownloadError] = useState<Error>();
  return (
    <Page title="Secret keys">
      <Loaded data={list.data} error={list.error} empty={(l) => l.length === 0}>
        {(keys) => (
          <div class="table-wrap">
            <table>
              <thead><tr><th scope="col">name</th><th scope="col">fingerprint</th><th scope="col">created</th><th scope="col"><span class="sr-only">actions</span></th></tr></thead>
              <tbody>
                {keys.map((k) => (
                  <tr data-key={k.name}>
                    <td>{k.name}</td><td><code>{k.fingerprint}</code></td><td>{k.created_at}</td>
                    <td><Confirm label="Delete" question={`Delete key ${k.name}?`} action={async () => {
                      await api((c) => c.deleteSecretKey({ id: k.id }));
                      list.reload();
                    }} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
      {fresh ? (
        <div class="notice" role="status">
          <p>Key <strong>{fresh.name}</strong> was created. Download its private key now: the console offers it only once.</p>
          <button type="button" class="primary" onClick={async () => {
            try {
              const pem = await api((c) => c.getPrivateKey({ id: fresh.id }));
              saveFile(`${fresh.name}.pem`, pem);
              setFresh(undefined);
            } catch (err) {
              setDownloadError(err as Error);
            }
          }}>Download {fresh.name}.pem</button>
          {downloadError ? <ErrorText error={downloadError} /> : null}
        </div>
      ) : null}
      <h2>New secret key</h2>
      <Form label="New secret key" class="form inline" action={async (values, form) => {
        const key = await api((c) => c.createSecretKey({ key_name: text(values, 'key_name') ?? '' }));
        form.reset();
        setFresh(key);
        setDownloadError(undefined);
        list.reload();
      }}>
        <Field name="key_name" label="Name" />
        <FormError />
        <Submit>Create key</Submit>
      </Form>
    </Page>
  );
}
