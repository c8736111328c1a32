/** Schemas and reference examples of the beta API's answers (legacy-containers-apps.md). */
import { r } from '../../http/response-schema.ts';

const STATUSES = ['create', 'update', 'resize', 'delete'].flatMap((op) => [`${op.replace(/e$/, '')}ing`, `${op}_succ`, `${op}_fail`, `${op}_timeout`]);
const status = r.enum(STATUSES, 'operation and outcome (overview)');

const image = r.named('LegacyImage', r.object({
  tag: r.string(), desc: r.string(), weight: r.int(), id: r.int('the image_id to send when creating'), name: r.string(),
  constraint: r.nullable(r.object({ min_combo: r.int(), max_combo: r.int(), min_machine_spec: r.int(), max_machine_spec: r.int() })),
}));
const imageExample = { tag: 'latest', desc: '', weight: 3, id: 10005, name: 'centos', constraint: { min_combo: 20, max_combo: 50, min_machine_spec: 10, max_machine_spec: 40 } };
export const imageList = {
  schema: r.object({ custom_images: r.array(image), public_images: r.array(image) }),
  example: { custom_images: [{ tag: 'v1', desc: 'v1', weight: 0, id: 30202, name: 'tomcat2', constraint: null }], public_images: [imageExample] },
};

const container = r.named('LegacyContainer', r.object({
  id: r.int(), name: r.string(), desc: r.string(), status, bandwidth: r.nullable(r.int('Mbps')), replicas: r.int('always 1'),
  charge_type: r.enum([1, 2]), spec_id: r.int(), created_at: r.dateTime(), updated_at: r.dateTime(),
  public_ip: r.nullable(r.string()), private_ip: r.nullable(r.string()), ssh_key_ids: r.array(r.int()),
  network_charge_type: r.nullable(r.enum([1, 2])), image_id: r.int(), use_public_network: r.enum([0, 1]), env_var: r.map(r.string()),
}));
const containerExample = {
  id: 100, name: 'name', desc: 'desc', status: 'create_succ', bandwidth: 100, replicas: 1, charge_type: 1, spec_id: 1,
  created_at: '2016-03-19T05:44:17Z', updated_at: '2016-03-19T05:44:17Z', public_ip: '59.111.1.2', private_ip: '10.180.1.2',
  ssh_key_ids: [1, 2], network_charge_type: 1, image_id: 2, use_public_network: 1, env_var: { key: 'value' },
};
export const containerOne = { schema: container, example: containerExample };
export const containerPage = { schema: r.object({ total: r.int(), containers: r.array(container) }), example: { total: 1, containers: [containerExample] } };
export const containerCreated = { schema: r.object({ id: r.int() }), example: { id: 100 } };
export const imageSaved = { schema: r.object({ image_id: r.string('usable as image_id with image_type 2') }), example: { image_id: '409' } };
export const flow = {
  schema: r.object({ container_up_flow: r.string('megabytes, e.g. "1234.0MB"'), container_down_flow: r.string() }),
  example: { container_up_flow: '1234.0MB', container_down_flow: '111111.0MB' },
};

const member = r.object({ private_ip: r.string(), container_id: r.string('64 hex characters') });
const members = r.array(member);
const app = r.named('LegacyApp', r.object({
  id: r.int(), name: r.string(), desc: r.string(), domain: r.nullable(r.string()), status, replicas: r.int(),
  volumes: r.array(r.object({ name: r.string('32 hex characters'), mount_path: r.string(), readonly: r.boolean() })),
  charge_type: r.enum([2]), spec_id: r.int(), created_at: r.dateTime(), updated_at: r.dateTime(),
  public_ip: r.nullable(r.string()), private_ip: r.nullable(r.string('always null')),
  version_control: r.nullable(r.object({
    type: r.string(), path: r.string(), subdir: r.nullable(r.string()), branch: r.nullable(r.string()), version: r.nullable(r.string()),
    account: r.nullable(r.string()), password: r.nullable(r.string('digest of the password')),
  })),
  custom_docker_file: r.nullable(r.string()), image_id: r.int(), containers: members, env_var: r.map(r.string()), web_hook_url: r.string(),
}));
const memberExample = { private_ip: '10.180.194.16', container_id: '5ae7bfa878b335311434f6aeef60fcfdb55bd8c51c11ed2912b64ad95061efae' };
const appExample = {
  id: 10702, name: 'name', desc: 'desc', domain: 'www.abc.com', status: 'create_succ', replicas: 1,
  volumes: [{ name: 'f9eb1b4428064f15b8aa95aad31e1bc4', mount_path: 'dir1', readonly: false }], charge_type: 2, spec_id: 1,
  created_at: '2016-03-25T04:57:48Z', updated_at: '2016-03-25T04:57:48Z', public_ip: null, private_ip: null,
  version_control: { type: 'git', path: 'http://www.github.com/example/test.git', subdir: 'tomcat', branch: 'online', version: 'xxxx', account: 'example@163.com', password: 'bec55f12a60bf849' },
  custom_docker_file: 'dockfile', image_id: 3, containers: [memberExample], env_var: { key: 'value' },
  web_hook_url: 'https://open.c.163.com/api/v1/hooks/app/e9c80ebe17464f6d90d3e22f6ac77bad',
};
export const appOne = { schema: app, example: appExample };
export const appPage = { schema: r.object({ total: r.int(), apps: r.array(app) }), example: { total: 1, apps: [appExample] } };
export const appCreated = {
  schema: r.object({ id: r.int(), url: r.string('the web hook URL') }),
  example: { id: 1000, url: 'https://open.c.163.com/api/v1/hooks/app/44684185834f47f5bf6b3902b8fb939b' },
};
export const watched = { schema: r.object({ containers: members }), example: { containers: [memberExample] } };

/** The reference's example request bodies (their `//` comments removed). */
export const examples = {
  createContainer: { charge_type: 1, spec_id: 1, image_type: 1, image_id: 2, name: 'name', desc: 'desc', ssh_key_ids: [1, 2], env_var: { key: 'value' }, use_public_network: 1, network_charge_type: 1, bandwidth: 100 },
  updateContainer: { charge_type: 1, desc: 'desc', network_charge_type: 1, bandwidth: 100 },
  saveImage: { repo_name: 'cluster', tag: '1.2.6' },
  createApp: {
    name: 'name', desc: 'desc', domain: 'www.abc.com', image_type: 1, image_id: 3, spec_id: 1, replicas: 2, env_var: { key: 'value' },
    version_control: { type: 'git', path: 'https://github.com/NetEase/c.git', subdir: 'tomcat', branch: 'online', version: 'xxxx', account: 'example@163.com', password: '123456' },
    docker_file_type: 2, custom_docker_file: 'dockfile', log_dirs: ['dir1', 'dir2'],
  },
  updateApp: {
    desc: 'appdesc', env_var: { key: 'value' },
    version_control: { type: 'git', path: 'http://www.github.com/example/test.git', subdir: 'tomcat', branch: 'online', version: 'xxxx', account: 'example@163.com', password: 'xxxx' },
    custom_docker_file: 'dockfile', log_dirs: ['dir1', 'dir2'],
  },
};
