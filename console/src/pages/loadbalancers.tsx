/** The caller's load balancers in every namespace, with their status, and delete. */
import { api } from '../api.ts';
import { usePoll } from '../hooks.ts';
import { Confirm, Loaded, Page, Status } from '../ui.tsx';

export function LoadBalancers() {
  const list = usePoll(() => api((c) => c.listLoadBalancers({})), []);
  return (
    <Page title="Load balancers">
      <Loaded data={list.data} error={list.error} empty={(l) => l.length === 0}>
        {(lbs) => (
          <div class="table-wrap">
            <table>
              <thead><tr><th scope="col">name</th><th scope="col">namespace</th><th scope="col">address</th><th scope="col">status</th><th scope="col">backends</th><th scope="col">bandwidth</th><th scope="col"><span class="sr-only">actions</span></th></tr></thead>
              <tbody>
                {lbs.map((lb) => (
                  <tr data-lb={lb.name}>
                    <td>{lb.name}</td><td><code>{lb.namespace}</code></td><td>{lb.address}</td><td><Status value={lb.status} /></td>
                    <td><Status value={lb.instanceStatus} /></td><td>{lb.bandwidthLimit} Mbps ({lb.chargeMode})</td>
                    <td><Confirm label="Delete" question={`Delete load balancer ${lb.name}?`} action={async () => {
                      await api((c) => c.deleteLoadBalancer({ lb_name: lb.name, namespace: lb.namespace }));
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
