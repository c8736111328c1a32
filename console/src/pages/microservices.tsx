import { api } from '../api.ts';
import type { CreateMicroserviceBody, RestartMicroserviceParams, UpdateMicroserviceImageBody } from '../api.ts';
import { navigate, usePoll } from '../hooks.ts';
import { Confirm, Field, Form, FormError, Loaded, Page, Status, Submit, num, text } from '../ui.tsx';
import { ContainerMetrics } from './metrics.tsx';
import { listNamespaces, specAlias } from './namespaces.tsx';

/** The spec aliases the server accepts, read from its own OpenAPI document (the create body's enum). */
async function specAliases(): Promise<string[]> {
  const doc = await api((c) => c.openapi());
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (found.length || typeof node !== 'object' || node === null) return;
    const spec = (node as { properties?: { spec_alias?: { enum?: string[] } } }).properties?.spec_alias?.enum;
    if (spec) found.push(...spec);
    else for (const child of Object.values(node)) walk(child);
  };
  walk(doc);
  return found;
}

/** What the create form offers: spec aliases, images, available IPs, volumes and secret keys. */
async function loadChoices() {
  const [specs, [images, ips, volumes, keys]] = await Promise.all([
    specAliases(),
    api((c) => Promise.all([c.listServiceImages(), c.listIps({ type: 'nce', status: 'available' }), c.listCloudVolumes({}), c.listSecretKeys()])),
  ]);
  return { specs, images: [...images.custom_images, ...images.public_images], ips: ips.ips, volumes: volumes.volumes, keys };
}

/** `KEY=VALUE` per line → `[{key, value}]`. */
function envsOf(lines: string | undefined): Array<{ key: string; value: string }> {
  return (lines ?? '').split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
    const eq = l.indexOf('=');
    return eq === -1 ? { key: l, value: '' } : { key: l.slice(0, eq), value: l.slice(eq + 1) };
  });
}

/** The create form: its choices come from the images, IPs, volumes and keys endpoints and the OpenAPI document. */
export function CreateMicroservice({ namespaceId }: { namespaceId: string }) {
  const choices = usePoll(loadChoices, [], false);
  const C = 'service_container_infos[0]';
  return (
    <Page title="New microservice">
      <p><a href={`#/namespaces/${namespaceId}`}>← Namespace</a></p>
      <Loaded data={choices.data} error={choices.error}>
        {(c) => (
          <Form label="New microservice" action={async (values) => {
            const stateful = values.get('service_info.stateful') === '1';
            const port = text(values, 'service_info.port_maps[0].port');
            const ipId = text(values, 'service_info.ip_id');
            const volume = text(values, `${C}.volume`);
            const sshKey = text(values, `${C}.ssh_keys`);
            const body = {
              bill_info: 'default',
              service_info: {
                namespace_id: Number(namespaceId),
                stateful: stateful ? 1 : 0,
                replicas: num(values, 'service_info.replicas'),
                service_name: text(values, 'service_info.service_name') ?? '',
                port_maps: port === undefined ? [] : [{
                  port, target_port: text(values, 'service_info.port_maps[0].target_port') ?? '', protocol: text(values, 'service_info.port_maps[0].protocol'),
                }],
                spec_alias: text(values, 'service_info.spec_alias'),
                ...(ipId && { ip_id: ipId, state_public_net: { used: true, type: 'flow', bandwidth: num(values, 'service_info.state_public_net.bandwidth') ?? 20 } }),
                ...(stateful && !volume && { disk_type: 2 }),
              },
              service_container_infos: [{
                container_name: text(values, `${C}.container_name`) ?? '',
                image_path: text(values, `${C}.image_path`) ?? '',
                command: text(values, `${C}.command`),
                envs: envsOf(text(values, `${C}.envs`)),
                ...(sshKey && { ssh_keys: [sshKey] }),
                ...(volume && { volume_info: { [volume]: text(values, `${C}.mount_path`) ?? '/mnt/' } }),
              }],
            };
            const answer = await api((c) => c.createMicroservice(body as CreateMicroserviceBody));
            navigate(`/microservices/${answer.service_id}`);
          }}>
            <fieldset>
              <legend>Service</legend>
              <Field name="service_info.service_name" label="Name" hint="lower-case letters, digits and -" />
              <Field name="service_info.stateful" label="Kind" type="select" options={[{ value: '0', label: 'stateless' }, { value: '1', label: 'stateful' }]} />
              <Field name="service_info.replicas" label="Replicas" type="number" value="1" hint="stateless 1–5, stateful 1" />
              <Field name="service_info.spec_alias" label="Specification" type="select" value="C1M2S20" options={c.specs.map((s) => ({ value: s }))} />
            </fieldset>
            <fieldset>
              <legend>Port</legend>
              <Field name="service_info.port_maps[0].port" label="Service port" type="number" hint="empty: no port" />
              <Field name="service_info.port_maps[0].target_port" label="Container port" type="number" />
              <Field name="service_info.port_maps[0].protocol" label="Protocol" type="select" options={[{ value: 'TCP' }, { value: 'UDP' }]} />
            </fieldset>
            <fieldset>
              <legend>Container</legend>
              <Field name={`${C}.container_name`} label="Container name" value="main" />
              <Field name={`${C}.image_path`} label="Image" type="select" options={c.images.map((i) => ({ value: i.image_path }))} />
              <Field name={`${C}.command`} label="Command" hint="empty keeps the image's" />
              <Field name={`${C}.envs`} label="Environment" type="textarea" rows={3} hint="KEY=VALUE, one per line" />
            </fieldset>
            <fieldset>
              <legend>Stateful only</legend>
              <Field name="service_info.ip_id" label="Public IP" type="select" options={[{ value: '', label: 'none' }, ...c.ips.map((i) => ({ value: i.id, label: i.ip }))]} />
              <Field name="service_info.state_public_net.bandwidth" label="Bandwidth (Mbps)" type="number" value="20" />
              <Field name={`${C}.ssh_keys`} label="SSH key" type="select" options={[{ value: '', label: 'none' }, ...c.keys.map((k) => ({ value: k.name }))]} />
              <Field name={`${C}.volume`} label="Cloud volume" type="select"
                options={[{ value: '', label: 'none' }, ...c.volumes.map((v) => ({ value: String(v.id), label: `${v.name} (${v.status})` }))]} />
              <Field name={`${C}.mount_path`} label="Mount path" value="/mnt/" />
            </fieldset>
            <FormError />
            <Submit>Create microservice</Submit>
          </Form>
        )}
      </Loaded>
    </Page>
  );
}

function portsOf(portMaps: string): string {
  try {
    return (JSON.parse(portMaps) as Array<{ sourcePort: number; destPort: number; protocol: string }>)
      .map((p) => `${p.sourcePort}→${p.destPort}/${p.protocol}`).join(', ') || 'none';
  } catch {
    return portMaps;
  }
}

export function MicroserviceDetail({ id }: { id: string }) {
  const detail = usePoll(() => api((c) => c.getMicroserviceDetailV2({ id })), [id]);
  const s = detail.data?.service_info;
  return (
    <Page title={s ? `Microservice ${s.service_name}` : 'Microservice'}>
      <Loaded data={detail.data} error={detail.error}>
        {(d) => (
          <>
            <dl class="facts">
              <div><dt>status</dt><dd><Status value={d.service_info.status} /></dd></div>
              <div><dt>kind</dt><dd>{d.service_info.stateful ? 'stateful' : 'stateless'}</dd></div>
              <div><dt>replicas</dt><dd>{d.service_info.replicas}</dd></div>
              <div><dt>spec</dt><dd>{specAlias(d.service_info.spec_info)}</dd></div>
              <div><dt>ports</dt><dd>{portsOf(d.service_info.port_maps)}</dd></div>
              <div><dt>namespace</dt><dd><code>{d.service_info.namespace}</code></dd></div>
              <div><dt>public IP</dt><dd>{d.service_info.pub_ip || 'none'}</dd></div>
            </dl>
            <h2>Containers</h2>
            {d.service_container_infos.map((c) => (
              <article class="card" aria-label={`container ${c.container_name}`}>
                <h3>{c.container_name}</h3>
                <p><code>{c.image_path}</code></p>
                {c.volumes.length ? <p>Volumes: {c.volumes.map((v) => `${v.name} at ${v.mount_path}`).join(', ')}</p> : null}
                {c.ssh_keys.length ? <p>SSH keys: {c.ssh_keys.join(', ')}</p> : null}
                {c.envs.length ? <p>Environment: {c.envs.map((e) => `${e.key}=${e.value}`).join(' ')}</p> : null}
                <div class="table-wrap">
                  <table>
                    <caption>Pods</caption>
                    <thead><tr><th scope="col">pod</th><th scope="col">container id</th><th scope="col">IP</th></tr></thead>
                    <tbody>
                      {c.replicas.map((pod, i) => (
                        <tr><td>{pod}</td><td><code>{c.docker_container_ids[i]?.slice(0, 12)}</code></td><td>{c.lan_ips[i]}</td></tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                {c.replicas[0] ? <ContainerMetrics namespace={d.service_info.namespace} service={d.service_info.service_name} pod={c.replicas[0]} container={c.container_name} /> : null}
                <Form label={`Update the image of ${c.container_name}`} class="form inline" action={async (values) => {
                  await api((client) => client.updateMicroserviceImage({ id }, {
                    container_images: [{ container_id: c.container_id, image_path: text(values, 'container_images[0].image_path') ?? '' }], min_ready_seconds: num(values, 'min_ready_seconds'),
                  } as UpdateMicroserviceImageBody));
                  detail.reload();
                }}>
                  <Field name="container_images[0].image_path" label="New image" value={c.image_path} />
                  <Field name="min_ready_seconds" label="Min ready seconds" type="number" value="10" />
                  <FormError />
                  <Submit>Update image</Submit>
                </Form>
              </article>
            ))}
            <h2>Actions</h2>
            <div class="actions">
              {d.service_info.stateful ? null : (
                <Form label="Scale" class="form inline" action={async (values) => {
                  await api((c) => c.scaleMicroservice({ id, new_replicas: text(values, 'new_replicas') ?? '' }));
                  detail.reload();
                }}>
                  <Field name="new_replicas" label="Replicas" type="number" value={String(d.service_info.replicas)} />
                  <FormError />
                  <Submit>Scale</Submit>
                </Form>
              )}
              <Confirm label="Restart" question={`Restart ${d.service_info.service_name}?`} action={async () => {
                await api((c) => c.restartMicroservice({ id } as RestartMicroserviceParams));
                detail.reload();
              }} />
              <Confirm label="Delete" question={`Delete ${d.service_info.service_name}${d.service_info.pub_ip ? ' and release its IP' : ''}?`} action={async () => {
                await api((c) => c.deleteMicroservice({ id, ...(d.service_info.pub_ip && { free_ip: true }) }));
                const ns = (await listNamespaces()).find((n) => n.namespace === d.service_info.namespace);
                navigate(ns ? `/namespaces/${ns.id}` : '/namespaces');
              }} />
            </div>
          </>
        )}
      </Loaded>
    </Page>
  );
}
