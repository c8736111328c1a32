import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { usePoll } from '../hooks.ts';
import { ErrorText, Field, Form, FormError, Loaded, Page, ResourceTable, Submit, text } from '../ui.tsx';

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
          <ResourceTable rows={keys} name={['key', (k) => k.name]} columns={[
            ['name', (k) => k.name],
            ['fingerprint', (k) => <code>{k.fingerprint}</code>],
            ['created', (k) => k.created_at],
          ]} action={{
            label: 'Delete', question: (k) => `Delete key ${k.name}?`,
            run: async (k) => {
              await api((c) => c.deleteSecretKey({ id: k.id }));
              list.reload();
            },
          }} />
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
