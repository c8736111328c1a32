import { api } from '../api.ts';
import type { CreateCloudVolumeBody } from '../api.ts';
import { usePoll } from '../hooks.ts';
import { Confirm, Field, Form, FormError, Loaded, Page, Status, Submit, num, text } from '../ui.tsx';

export function Volumes() {
  const list = usePoll(() => api((c) => c.listCloudVolumes({})), []);
  return (
    <Page title="Cloud volumes">
      <Loaded data={list.data} error={list.error} empty={(l) => l.volumes.length === 0}>
        {(l) => (
          <div class="table-wrap">
            <table>
              <thead><tr><th scope="col">name</th><th scope="col">status</th><th scope="col">size (GB)</th><th scope="col">format</th><th scope="col">mounted by</th><th scope="col"><span class="sr-only">actions</span></th></tr></thead>
              <tbody>
                {l.volumes.map((v) => (
                  <tr data-volume={v.name}>
                    <td>{v.name}</td><td><Status value={v.status} /></td><td>{v.size}</td><td>{v.file_system_type}</td><td>{v.service_name || '—'}</td>
                    <td><Confirm label="Delete" question={`Delete volume ${v.name}?`} action={async () => {
                      await api((c) => c.deleteCloudVolume({ id: v.id }));
                      list.reload();
                    }} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
      <h2>New cloud volume</h2>
      <Form label="New cloud volume" class="form inline" action={async (values, form) => {
        await api((c) => c.createCloudVolume({ volume_name: text(values, 'volume_name'), format: text(values, 'format'), size: num(values, 'size') } as CreateCloudVolumeBody));
        form.reset();
        list.reload();
      }}>
        <Field name="volume_name" label="Name" />
        <Field name="format" label="Format" type="select" options={[{ value: 'Ext4' }, { value: 'Raw' }]} />
        <Field name="size" label="Size (GB)" type="number" value="10" hint="a multiple of 10" />
        <FormError />
        <Submit>Create volume</Submit>
      </Form>
    </Page>
  );
}
