import { api } from '../api.ts';
import type { CreateCloudVolumeBody } from '../api.ts';
import { usePoll } from '../hooks.ts';
import { Field, Form, FormError, Loaded, Page, ResourceTable, Status, Submit, num, text } from '../ui.tsx';

export function Volumes() {
  const list = usePoll(() => api((c) => c.listCloudVolumes({})), []);
  return (
    <Page title="Cloud volumes">
      <Loaded data={list.data} error={list.error} empty={(l) => l.volumes.length === 0}>
        {(l) => (
          <ResourceTable rows={l.volumes} name={['volume', (v) => v.name]} columns={[
            ['name', (v) => v.name],
            ['status', (v) => <Status value={v.status} />],
            ['size (GB)', (v) => v.size],
            ['format', (v) => v.file_system_type],
            ['mounted by', (v) => v.service_name || '—'],
          ]} action={{
            label: 'Delete', question: (v) => `Delete volume ${v.name}?`,
            run: async (v) => {
              await api((c) => c.deleteCloudVolume({ id: v.id }));
              list.reload();
            },
          }} />
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
