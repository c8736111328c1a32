/** The caller's RDS instances, with their status, and delete. */
import { api } from '../api.ts';
import { usePoll } from '../hooks.ts';
import { Confirm, Loaded, Page, Status } from '../ui.tsx';

export function RdsInstances() {
  const list = usePoll(() => api((c) => c.listRdsInstances({})), []);
  return (
    <Page title="RDS instances">
      <Loaded data={list.data} error={list.error} empty={(l) => l.instances.length === 0}>
        {(l) => (
          <div class="table-wrap">
            <table>
              <thead><tr><th scope="col">name</th><th scope="col">status</th><th scope="col">MySQL</th><th scope="col">size</th><th scope="col">endpoint</th><th scope="col">billing</th><th scope="col"><span class="sr-only">actions</span></th></tr></thead>
              <tbody>
                {l.instances.map((i) => (
                  <tr data-rds={i.instance_name}>
                    <td>{i.instance_name}</td><td><Status value={i.instance_status} /></td><td>{i.engine_version}</td>
                    <td>{i.vcpu} vCPU, {i.memory} MB, {i.disk_size} GB</td><td><code>{i.endpoint.address}:{i.endpoint.port}</code></td><td>{i.charge_type}</td>
                    <td><Confirm label="Delete" question={`Delete instance ${i.instance_name}?`} action={async () => {
                      await api((c) => c.deleteRdsInstance({ instance_name: i.instance_name }));
                      list.reload();
                    }} /></td>
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
