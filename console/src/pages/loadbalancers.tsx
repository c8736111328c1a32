/** The caller's load balancers in every namespace, with their status, and delete. */
import { api } from '../api.ts';
import { usePoll } from '../hooks.ts';
import { Loaded, Page, ResourceTable, Status } from '../ui.tsx';

export function LoadBalancers() {
  const list = usePoll(() => api((c) => c.listLoadBalancers({})), []);
  return (
    <Page title="Load balancers">
      <Loaded data={list.data} error={list.error} empty={(l) => l.length === 0}>
        {(lbs) => (
          <ResourceTable rows={lbs} name={['lb', (lb) => lb.name]} columns={[
            ['name', (lb) => lb.name],
            ['namespace', (lb) => <code>{lb.namespace}</code>],
            ['address', (lb) => lb.address],
            ['status', (lb) => <Status value={lb.status} />],
            ['backends', (lb) => <Status value={lb.instanceStatus} />],
            ['bandwidth', (lb) => <>{lb.bandwidthLimit} Mbps ({lb.chargeMode})</>],
          ]} action={{
            label: 'Delete', question: (lb) => `Delete load balancer ${lb.name}?`,
            run: async (lb) => {
              await api((c) => c.deleteLoadBalancer({ lb_name: lb.name, namespace: lb.namespace }));
              list.reload();
            },
          }} />
        )}
      </Loaded>
    </Page>
  );
}
