/** The caller's RDS instances, with their status, and delete. */
import { api } from '../api.ts';
import { usePoll } from '../hooks.ts';
import { Loaded, Page, ResourceTable, Status } from '../ui.tsx';

export function RdsInstances() {
  const list = usePoll(() => api((c) => c.listRdsInstances({})), []);
  return (
    <Page title="RDS instances">
      <Loaded data={list.data} error={list.error} empty={(l) => l.instances.length === 0}>
        {(l) => (
          <ResourceTable rows={l.instances} name={['rds', (i) => i.instance_name]} columns={[
            ['name', (i) => i.instance_name],
            ['status', (i) => <Status value={i.instance_status} />],
            ['MySQL', (i) => i.engine_version],
            ['size', (i) => <>{i.vcpu} vCPU, {i.memory} MB, {i.disk_size} GB</>],
            ['endpoint', (i) => <code>{i.endpoint.address}:{i.endpoint.port}</code>],
            ['billing', (i) => i.charge_type],
          ]} action={{
            label: 'Delete', question: (i) => `Delete instance ${i.instance_name}?`,
            run: async (i) => {
              await api((c) => c.deleteRdsInstance({ instance_name: i.instance_name }));
              list.reload();
            },
          }} />
        )}
      </Loaded>
    </Page>
  );
}
