import { api, recentFailures } from '../api.ts';
import { usePoll } from '../hooks.ts';
import { Loaded, Page } from '../ui.tsx';

const loadCounts = () => api(async (c) => {
  const [ns, repos, keys, volumes, ips] = await Promise.all([
    c.listNamespaces(), c.listRepositories({}), c.listSecretKeys(), c.listCloudVolumes({}), c.getIpQuota(),
  ]);
  const services = await Promise.all(ns.namespaces.map((n) => c.listMicroservices({ id: n.id })));
  return {
    namespaces: ns.namespaces.length, microservices: services.reduce((sum, s) => sum + s.total, 0),
    repositories: repos.total, secretKeys: keys.length, volumes: volumes.volumes.length, ips,
  };
});

export function Overview() {
  const counts = usePoll(loadCounts, [], 3000);
  return (
    <Page title="Overview">
      <Loaded data={counts.data} error={counts.error}>
        {(c) => (
          <dl class="tiles">
            <div><dt><a href="#/namespaces">Namespaces</a></dt><dd>{c.namespaces}</dd></div>
            <div><dt>Microservices</dt><dd>{c.microservices}</dd></div>
            <div><dt><a href="#/repositories">Repositories</a></dt><dd>{c.repositories}</dd></div>
            <div><dt><a href="#/secret-keys">Secret keys</a></dt><dd>{c.secretKeys}</dd></div>
            <div><dt><a href="#/volumes">Cloud volumes</a></dt><dd>{c.volumes}</dd></div>
            <div><dt><a href="#/ips">Public IPs</a> (used / quota)</dt><dd>{c.ips.used} / {c.ips.total}</dd></div>
          </dl>
        )}
      </Loaded>
      <h2>Recent failures</h2>
      {recentFailures.length === 0 ? <p class="muted">No failed request in this tab.</p> : (
        <div class="table-wrap">
          <table>
            <caption class="sr-only">The last failed requests of this tab, newest first</caption>
            <thead><tr><th scope="col">time</th><th scope="col">request</th><th scope="col">status</th><th scope="col">code</th><th scope="col">message</th></tr></thead>
            <tbody>
              {recentFailures.map((f) => (
                <tr>
                  <td>{f.at.slice(11, 19)}</td><td><code>{f.method} {f.path}</code></td><td>{f.status}</td>
                  <td><a href={`#/catalog?q=${f.code}`}>{f.code}</a></td><td>{f.message}{f.param ? ` (${f.param})` : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
