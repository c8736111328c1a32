import { api } from '../api.ts';
import { usePoll } from '../hooks.ts';
import { Confirm, Field, Form, FormError, Loaded, Page, Status, Submit, text } from '../ui.tsx';

export const listNamespaces = () => api((c) => c.listNamespaces()).then((a) => a.namespaces);

export function Namespaces() {
  const list = usePoll(listNamespaces, []);
  return (
    <Page title="Namespaces">
      <Loaded data={list.data} error={list.error} empty={(l) => l.length === 0}>
        {(namespaces) => (
          <div class="table-wrap">
            <table>
              <thead><tr><th scope="col">name</th><th scope="col">namespace</th><th scope="col">id</th><th scope="col"><span class="sr-only">actions</span></th></tr></thead>
              <tbody>
                {namespaces.map((n) => (
                  <tr data-namespace={n.display_name}>
                    <td><a href={`#/namespaces/${n.id}`}>{n.display_name}</a></td>
                    <td><code>{n.namespace}</code></td>
                    <td>{n.id}</td>
                    <td>{n.deletable ? (
                      <Confirm label="Delete" question={`Delete namespace ${n.display_name}?`} action={async () => {
                        await api((c) => c.deleteNamespace({ id: n.id }));
                        list.reload();
                      }} />
                    ) : <span class="muted">not deletable</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
      <h2>New namespace</h2>
      <Form label="New namespace" class="form inline" action={async (values, form) => {
        await api((c) => c.createNamespace({ name: text(values, 'name') ?? '' }));
        form.reset();
        list.reload();
      }}>
        <Field name="name" label="Name" />
        <FormError />
        <Submit>Create namespace</Submit>
      </Form>
    </Page>
  );
}

export function NamespaceServices({ id }: { id: string }) {
  const namespaces = usePoll(listNamespaces, [], false);
  const services = usePoll(() => api((c) => c.listMicroservices({ id })), [id]);
  const name = namespaces.data?.find((n) => String(n.id) === id)?.display_name ?? id;
  return (
    <Page title={`Namespace ${name}`} actions={<a class="button primary" href={`#/namespaces/${id}/new`}>New microservice</a>}>
      <p><a href="#/namespaces">← Namespaces</a></p>
      <h2>Microservices</h2>
      <Loaded data={services.data} error={services.error} empty={(s) => s.total === 0}>
        {(s) => (
          <div class="table-wrap">
            <table>
              <thead><tr><th scope="col">name</th><th scope="col">status</th><th scope="col">kind</th><th scope="col">replicas</th><th scope="col">spec</th><th scope="col">ports</th></tr></thead>
              <tbody>
                {s.microservice_infos.map((m) => (
                  <tr data-service={m.service_name}>
                    <td><a href={`#/microservices/${m.id}`}>{m.service_name}</a></td>
                    <td><Status value={m.status} /></td>
                    <td>{m.stateful ? 'stateful' : 'stateless'}</td>
                    <td>{m.replicas}</td>
                    <td>{specAlias(m.spec_info)}</td>
                    <td>{m.port_maps.map((p) => `${p.port}→${p.target_port}/${p.protocol}`).join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
    </Page>
  );
}

/** `spec_info` is a JSON document inside a string, as the original API sent it. */
export function specAlias(specInfo: string): string {
  try {
    return (JSON.parse(specInfo) as { spec_alias?: string }).spec_alias ?? '';
  } catch {
    return '';
  }
}
