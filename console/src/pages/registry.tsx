import { api } from '../api.ts';
import type { CreateRepositoryBody } from '../api.ts';
import { usePoll } from '../hooks.ts';
import { Confirm, Field, Form, FormError, Loaded, Page, Status, Submit, num, text } from '../ui.tsx';

/** A tag's build status as a word (keys-and-registry.md: 0 initializing, 1 building, 2 succeeded, 3 failed). */
const BUILD_STATUS = ['initializing', 'building', 'build_succ', 'build_fail'];

export function Repositories() {
  const list = usePoll(() => api((c) => c.listRepositories({})), []);
  return (
    <Page title="Repositories">
      <Loaded data={list.data} error={list.error} empty={(l) => l.total === 0}>
        {(l) => (
          <div class="table-wrap">
            <table>
              <thead><tr><th scope="col">name</th><th scope="col">visibility</th><th scope="col">tags</th><th scope="col">description</th><th scope="col">updated</th></tr></thead>
              <tbody>
                {l.repositories.map((r) => (
                  <tr data-repository={r.repo_name}>
                    <td><a href={`#/repositories/${r.repo_id}`}>{r.repo_name}</a></td>
                    <td>{r.open_level ? 'public' : 'private'}</td><td>{r.tag_count}</td><td>{r.base_desc}</td><td>{r.updated_at}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
      <h2>New repository</h2>
      <Form label="New repository" action={async (values, form) => {
        // Values go as typed, so the server judges them (and names the field); hence the cast.
        await api((c) => c.createRepository({ repo_name: text(values, 'repo_name'), open_level: num(values, 'open_level'), base_desc: text(values, 'base_desc') } as CreateRepositoryBody));
        form.reset();
        list.reload();
      }}>
        <Field name="repo_name" label="Name" />
        <Field name="open_level" label="Visibility" type="select" options={[{ value: '0', label: 'private' }, { value: '1', label: 'public' }]} />
        <Field name="base_desc" label="Description" />
        <FormError />
        <Submit>Create repository</Submit>
      </Form>
    </Page>
  );
}

export function Repository({ id }: { id: string }) {
  const repo = usePoll(() => api((c) => c.getRepository({ id })), [id]);
  const name = repo.data?.repo_name;
  return (
    <Page title={name ? `Repository ${name}` : 'Repository'}>
      <p><a href="#/repositories">← Repositories</a></p>
      <Loaded data={repo.data} error={repo.error}>
        {(r) => (
          <>
            <p>{r.base_desc}</p>
            <p>Pull: <code>{r.download_url ?? 'no successful build yet'}</code></p>
            <h2>Tags</h2>
            {r.tags.length === 0 ? <p class="muted">None yet.</p> : (
              <div class="table-wrap">
                <table>
                  <thead><tr><th scope="col">tag</th><th scope="col">build</th><th scope="col">size</th><th scope="col"><span class="sr-only">actions</span></th></tr></thead>
                  <tbody>
                    {r.tags.map((t) => (
                      <tr data-tag={t.name}>
                        <td>{t.name}</td><td><Status value={BUILD_STATUS[t.status] ?? String(t.status)} /></td><td>{t.size}</td>
                        <td><Confirm label="Delete" question={`Delete tag ${t.name}?`} action={async () => {
                          await api((c) => c.deleteRepositoryTag({ repo_name: r.repo_name, tag: t.name }));
                          repo.reload();
                        }} /></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <h2>Build a tag</h2>
            <Form label="Build a tag" action={async (values) => {
              const form = new FormData();
              form.set('docker_file', new Blob([text(values, 'docker_file') ?? ''], { type: 'text/plain' }), 'Dockerfile');
              await api((c) => c.buildImage({ repo_name: r.repo_name, tag: text(values, 'tag') ?? '' }, form));
              repo.reload();
            }}>
              <Field name="tag" label="Tag" value="latest" />
              <Field name="docker_file" label="Dockerfile" type="textarea" rows={4} value="FROM hub.c.163.com/public/ubuntu:14.04" />
              <FormError />
              <Submit>Build</Submit>
            </Form>
          </>
        )}
      </Loaded>
    </Page>
  );
}
