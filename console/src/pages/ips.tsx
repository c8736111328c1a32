import { api } from '../api.ts';
import type { CreateIpsBody } from '../api.ts';
import { usePoll } from '../hooks.ts';
import { Confirm, Field, Form, FormError, Loaded, Page, Status, Submit, num } from '../ui.tsx';

export function PublicIps() {
  const list = usePoll(() => api((c) => Promise.all([c.listIps({}), c.getIpQuota()])), []);
  return (
    <Page title="Public IPs">
      <Loaded data={list.data} error={list.error}>
        {([l, quota]) => (
          <>
            <p>Quota: {quota.quotas.map((q) => `${q.type} ${q.used} of ${q.quota}`).join(', ')}</p>
            {l.ips.length === 0 ? <p class="muted">None yet.</p> : (
              <div class="table-wrap">
                <table>
                  <thead><tr><th scope="col">address</th><th scope="col">type</th><th scope="col">status</th><th scope="col">service</th><th scope="col"><span class="sr-only">actions</span></th></tr></thead>
                  <tbody>
                    {l.ips.map((ip) => (
                      <tr data-ip={ip.ip}>
                        <td>{ip.ip}</td><td>{ip.type}</td><td><Status value={ip.status} /></td><td>{ip.service_name || '—'}</td>
                        <td><Confirm label="Release" question={`Release ${ip.ip}?`} action={async () => {
                          await api((c) => c.releaseIp({ id: ip.id }));
                          list.reload();
                        }} /></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
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
