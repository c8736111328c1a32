import { api } from '../api.ts';
import type { CreateIpsBody } from '../api.ts';
import { usePoll } from '../hooks.ts';
import { Field, Form, FormError, Loaded, Page, ResourceTable, Status, Submit, num } from '../ui.tsx';

export function PublicIps() {
  const list = usePoll(() => api((c) => Promise.all([c.listIps({}), c.getIpQuota()])), []);
  return (
    <Page title="Public IPs">
      <Loaded data={list.data} error={list.error}>
        {([l, quota]) => (
          <>
            <p>Quota: {quota.quotas.map((q) => `${q.type} ${q.used} of ${q.quota}`).join(', ')}</p>
            {l.ips.length === 0 ? <p class="muted">None yet.</p> : (
              <ResourceTable rows={l.ips} name={['ip', (ip) => ip.ip]} columns={[
                ['address', (ip) => ip.ip],
                ['type', (ip) => ip.type],
                ['status', (ip) => <Status value={ip.status} />],
                ['service', (ip) => ip.service_name || '—'],
              ]} action={{
                label: 'Release', question: (ip) => `Release ${ip.ip}?`,
                run: async (ip) => {
                  await api((c) => c.releaseIp({ id: ip.id }));
                  list.reload();
                },
              }} />
            )}
          </>
        )}
      </Loaded>
      <h2>New public IPs</h2>
      <Form label="New public IPs" class="form inline" action={async (values) => {
        await api((c) => c.createIps({ [String(values.get('type'))]: num(values, 'count') } as CreateIpsBody));
        list.reload();
      }}>
        <Field name="type" label="Type" type="select" options={[{ value: 'nce', label: 'nce (services)' }, { value: 'nlb', label: 'nlb (load balancers)' }]} />
        <Field name="count" label="How many" type="number" value="1" />
        <FormError />
        <Submit>Allocate</Submit>
      </Form>
    </Page>
  );
}
