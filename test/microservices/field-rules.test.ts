/** Table-driven unit tests of the pure field rules (microservices.md §2.10), without a server. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isApiError } from '../../src/catalog/index.ts';
import {
  checkWeights, normaliseLogDir, parseCreate, parseEnvs, parsePortMaps, parseSpecChoice, parseUpdateImage, parseUpdatePort,
  parseUpdatePublicNet, parseUpdateStateless, samePortMaps, splitImagePath, toBool, toInt, validMountPath,
} from '../../src/domains/microservices/rules.ts';
import { specByAlias, specByLegacyId, specInfo, hourlyPrice, SPECS } from '../../src/domains/microservices/specs.ts';

function codeOf(work: () => unknown): number | 'ok' {
  try {
    work();
    return 'ok';
  } catch (err) {
    if (isApiError(err)) return err.code;
    throw err;
  }
}

const IMG = 'hub.c.163.com/public/ubuntu:14.04';
function base(): any {
  return {
    bill_info: 'default',
    service_info: { namespace_id: '51616', stateful: 0, replicas: 3, service_name: 'ubuntu', port_maps: [{ target_port: '80', port: '8080', protocol: 'TCP' }], spec_alias: 'C1M2S20', disk_type: 2 },
    service_container_infos: [{ image_path: IMG, container_name: 'c1', command: '', envs: [{ key: 'a', value: 'b' }], log_dirs: ['/var/log/'], cpu_weight: 100, memory_weight: 100 }],
  };
}
function stateful(): any {
  const b = base();
  b.service_info = { ...b.service_info, stateful: 1, replicas: 1, state_public_net: { used: true, type: 'flow', bandwidth: 20 }, disk_type: 0, ip_id: 'cef9069c-d97d-42b1-a86c-f815f748820c' };
  b.service_container_infos[0] = { ...b.service_container_infos[0], ssh_keys: ['k1', 'k2'], volume_info: { 163: '/mnt/' } };
  return b;
}
const two = (b: any, a: Record<string, unknown> = {}, c: Record<string, unknown> = {}) => {
  b.service_container_infos = [
    { image_path: IMG, container_name: 'a', cpu_weight: 50, memory_weight: 30, ...a },
    { image_path: IMG, container_name: 'b', cpu_weight: 50, memory_weight: 70, ...c },
  ];
  return b;
};

type Case = [string, () => any, number | 'ok'];
const si = (patch: Record<string, unknown>, from = base) => () => { const b = from(); b.service_info = { ...b.service_info, ...patch }; return b; };
const c0 = (patch: Record<string, unknown>, from = base) => () => { const b = from(); b.service_container_infos[0] = { ...b.service_container_infos[0], ...patch }; return b; };
const del = (path: 'si' | 'c0', key: string, from = base) => () => { const b = from(); delete (path === 'si' ? b.service_info : b.service_container_infos[0])[key]; return b; };

const CREATE_CASES: Case[] = [
  ['documented stateless example', base, 'ok'],
  ['documented stateful example', stateful, 'ok'],
  ['bill_info not a string', () => ({ ...base(), bill_info: 5 }), 4000113],
  ['bill_info absent means default', () => { const b = base(); delete b.bill_info; return b; }, 'ok'],
  ['service_info absent', () => ({ ...base(), service_info: undefined }), 4000112],
  ['service_info not an object', () => ({ ...base(), service_info: [1] }), 4000113],
  ['namespace_id absent', del('si', 'namespace_id'), 4000112],
  ['namespace_Id spelling accepted', () => { const b = base(); b.service_info.namespace_Id = b.service_info.namespace_id; delete b.service_info.namespace_id; return b; }, 'ok'],
  ['namespace_id not numeric', si({ namespace_id: 'abc' }), 4000113],
  ['stateful absent', del('si', 'stateful'), 4000112],
  ['stateful 2', si({ stateful: 2 }), 4000113],
  ['stateful "true"', si({ stateful: true, replicas: 1 }), 'ok'],
  ['replicas absent means 1', del('si', 'replicas'), 'ok'],
  ['replicas 6 stateless', si({ replicas: 6 }), 4000117],
  ['replicas 0', si({ replicas: '0' }), 4000117],
  ['replicas 1.5', si({ replicas: 1.5 }), 4000117],
  ['replicas 2 stateful', si({ replicas: 2 }, stateful), 4000117],
  ['service_name absent', del('si', 'service_name'), 4000112],
  ['service_name upper case', si({ service_name: 'Ubuntu' }), 4000115],
  ['service_name 25 chars', si({ service_name: 'a'.repeat(25) }), 4000115],
  ['service_name 24 chars', si({ service_name: 'a'.repeat(24) }), 'ok'],
  ['service_name ends with -', si({ service_name: 'ab-' }), 4000115],
  ['service_name number', si({ service_name: 5 }), 4000115],
  ['port_maps absent', del('si', 'port_maps'), 4000112],
  ['port_maps empty', si({ port_maps: [] }), 'ok'],
  ['port_maps not array', si({ port_maps: {} }), 4000134],
  ['21 port maps', si({ port_maps: Array.from({ length: 21 }, (_, i) => ({ target_port: i + 1, port: i + 1 })) }), 4000139],
  ['21 port maps, bad entries: size first', si({ port_maps: Array.from({ length: 21 }, () => 'x') }), 4000139],
  ['port 0', si({ port_maps: [{ target_port: 80, port: 0 }] }), 4000134],
  ['port 65536', si({ port_maps: [{ target_port: 65536, port: 80 }] }), 4000134],
  ['protocol SCTP', si({ port_maps: [{ target_port: 80, port: 80, protocol: 'SCTP' }] }), 4000134],
  ['protocol udp lower case', si({ port_maps: [{ target_port: 80, port: 80, protocol: 'udp' }] }), 'ok'],
  ['duplicate container port', si({ port_maps: [{ target_port: 80, port: 80 }, { target_port: 80, port: 81 }] }), 4000134],
  ['duplicate service port', si({ port_maps: [{ target_port: 80, port: 80 }, { target_port: 81, port: 80 }] }), 4000134],
  ['same port, other protocol', si({ port_maps: [{ target_port: 80, port: 80 }, { target_port: 80, port: 80, protocol: 'UDP' }] }), 'ok'],
  ['legacy dest_port/source_port', si({ port_maps: [{ dest_port: 80, source_port: 8080 }] }), 'ok'],
  ['spec absent', del('si', 'spec_alias'), 4000112],
  ['spec malformed', si({ spec_alias: 'big' }), 4000119],
  ['spec not a string', si({ spec_alias: 12 }), 4000119],
  ['legacy spec_id', () => { const b = base(); delete b.service_info.spec_alias; b.service_info.spec_id = '3'; return b; }, 'ok'],
  ['legacy spec_id not an integer', () => { const b = base(); delete b.service_info.spec_alias; b.service_info.spec_id = 'x'; return b; }, 4000119],
  ['stateless used: true', si({ state_public_net: { used: true, type: 'flow', bandwidth: 2 } }), 4000135],
  ['stateless used: false accepted', si({ state_public_net: { used: false } }), 'ok'],
  ['state_public_net not an object', si({ state_public_net: 'yes' }, stateful), 4000135],
  ['stateful type invalid', si({ state_public_net: { used: true, type: 'x', bandwidth: 2 } }, stateful), 4000135],
  ['stateful bandwidth 101', si({ state_public_net: { used: true, type: 'flow', bandwidth: 101 } }, stateful), 4000135],
  ['stateful bandwidth 0', si({ state_public_net: { used: true, type: 'bandwidth', bandwidth: 0 } }, stateful), 4000135],
  ['stateful without ip_id', del('si', 'ip_id', stateful), 4000135],
  ['stateful state_public_net absent', () => { const b = stateful(); delete b.service_info.state_public_net; return b; }, 'ok'],
  ['disk_type 1 (legacy local disk)', si({ disk_type: 1 }), 4000137],
  ['disk_type 3', si({ disk_type: 3 }), 4000137],
  ['stateless disk_type 0', si({ disk_type: 0 }), 4000137],
  ['disk_type 2 with volumes', si({ disk_type: 2 }, stateful), 4000137],
  ['disk_type absent with volumes', del('si', 'disk_type', stateful), 'ok'],
  ['containers absent', () => ({ ...base(), service_container_infos: undefined }), 4000112],
  ['containers empty', () => ({ ...base(), service_container_infos: [] }), 4000112],
  ['containers not array', () => ({ ...base(), service_container_infos: {} }), 4000113],
  ['11 containers', () => ({ ...base(), service_container_infos: Array.from({ length: 11 }, (_, i) => ({ image_path: IMG, container_name: `c${i}` })) }), 4000113],
  ['container entry not object', () => ({ ...base(), service_container_infos: ['x'] }), 4000113],
  ['image_path absent', del('c0', 'image_path'), 4000112],
  ['image_path not a string', c0({ image_path: 7 }), 4000113],
  ['container_name absent', del('c0', 'container_name'), 4000112],
  ['container_name bad', c0({ container_name: '1abc' }), 4000121],
  ['container_name 64 chars', c0({ container_name: 'a'.repeat(64) }), 4000121],
  ['container_desc 256 chars', c0({ container_desc: 'x'.repeat(256) }), 4000120],
  ['container_desc number', c0({ container_desc: 1 }), 4000120],
  ['command 1025 chars', c0({ command: 'x'.repeat(1025) }), 4000126],
  ['command number', c0({ command: 5 }), 4000126],
  ['envs string', c0({ envs: 'a=b' }), 4000123],
  ['51 envs', c0({ envs: Array.from({ length: 51 }, (_, i) => ({ key: `K${i}`, value: '' })) }), 4000123],
  ['envs object map', c0({ envs: { A: '1', B: 2 } }), 'ok'],
  ['env without key', c0({ envs: [{ value: 'x' }] }), 4000124],
  ['env key starts with digit', c0({ envs: [{ key: '1A', value: 'x' }] }), 4000124],
  ['env key repeated', c0({ envs: [{ key: 'A' }, { key: 'A' }] }), 4000124],
  ['env value object', c0({ envs: [{ key: 'A', value: {} }] }), 4000125],
  ['env value null', c0({ envs: [{ key: 'A', value: null }] }), 4000125],
  ['env value NUL', c0({ envs: [{ key: 'A', value: 'a\u0000' }] }), 4000125],
  ['env value 4097 chars', c0({ envs: [{ key: 'A', value: 'x'.repeat(4097) }] }), 4000125],
  ['log_dirs not array', c0({ log_dirs: '/var/log' }), 4000127],
  ['11 log dirs', c0({ log_dirs: Array.from({ length: 11 }, (_, i) => `/l${i}/`) }), 4000127],
  ['log dir 256 chars', c0({ log_dirs: ['/' + 'a'.repeat(255)] }), 4000128],
  ['log dir relative', c0({ log_dirs: ['var/log'] }), 4000113],
  ['log dir root', c0({ log_dirs: ['/'] }), 4000113],
  ['log dir with ..', c0({ log_dirs: ['/var/../etc'] }), 4000113],
  ['log dir not a string', c0({ log_dirs: [5] }), 4000113],
  ['log dir duplicate after normalisation', c0({ log_dirs: ['/var/log', '/var/log/'] }), 4090138],
  ['single container weight 99', c0({ cpu_weight: 99 }), 4000130],
  ['single container memory weight 50', c0({ memory_weight: 50 }), 4000131],
  ['single container weights absent', () => { const b = base(); delete b.service_container_infos[0].cpu_weight; delete b.service_container_infos[0].memory_weight; return b; }, 'ok'],
  ['cpu_weight not an integer', c0({ cpu_weight: 'x' }), 4000130],
  ['two containers fine', () => two(base()), 'ok'],
  ['two containers cpu sum 99', () => two(base(), { cpu_weight: 49 }), 4000130],
  ['two containers cpu missing', () => two(base(), { cpu_weight: undefined }), 4000130],
  ['two containers memory 100 + 0', () => two(base(), { memory_weight: 100 }, { memory_weight: 0 }), 4000131],
  ['ssh_keys on stateless', c0({ ssh_keys: ['k'] }), 4000136],
  ['ssh_keys empty on stateless', c0({ ssh_keys: [] }), 'ok'],
  ['6 ssh keys', c0({ ssh_keys: ['a', 'b', 'c', 'd', 'e', 'f'] }, stateful), 4000136],
  ['duplicate ssh keys', c0({ ssh_keys: ['a', 'a'] }, stateful), 4000136],
  ['ssh key 65 chars', c0({ ssh_keys: ['a'.repeat(65)] }, stateful), 4000136],
  ['ssh_keys not array', c0({ ssh_keys: 'a' }, stateful), 4000136],
  ['volume_info on stateless (disk_type 2 given: the disk type fails first)', c0({ volume_info: { 1: '/mnt/' } }), 4000137],
  ['volume_info on stateless (disk_type absent)', () => { const b = c0({ volume_info: { 1: '/mnt/' } })(); delete b.service_info.disk_type; return b; }, 4000133],
  ['volume_info {} on stateless', c0({ volume_info: {} }), 'ok'],
  ['volume key not numeric', c0({ volume_info: { abc: '/mnt/' } }, stateful), 4000133],
  ['volume key 0', c0({ volume_info: { 0: '/mnt/' } }, stateful), 4000133],
  ['reserved mount path', c0({ volume_info: { 163: '/etc/' } }, stateful), 4000133],
  ['relative mount path', c0({ volume_info: { 163: 'mnt' } }, stateful), 4000133],
  ['mount path with ..', c0({ volume_info: { 163: '/mnt/../x' } }, stateful), 4000133],
  ['volume_info not an object', c0({ volume_info: [1] }, stateful), 4000133],
  ['disk_type 0 without volumes', c0({ volume_info: {} }, stateful), 4000133],
  ['5 volumes', c0({ volume_info: { 1: '/a', 2: '/b', 3: '/c', 4: '/d', 5: '/e' } }, stateful), 4000133],
  ['4 volumes', c0({ volume_info: { 1: '/a', 2: '/b', 3: '/c', 4: '/d' } }, stateful), 'ok'],
  ['local_disk_info non-empty', c0({ local_disk_info: [{ size: 10 }] }), 4000137],
  ['local_disk_info empty', c0({ local_disk_info: [] }), 'ok'],
  ['duplicate container names', () => two(base(), {}, { container_name: 'a' }), 4090122],
  ['same mount path twice in a container', c0({ volume_info: { 1: '/data', 2: '/data/' } }, stateful), 4090132],
  ['same volume in two containers', () => { const b = two(stateful(), { volume_info: { 7: '/a' } }, { volume_info: { 7: '/b' } }); return b; }, 4090132],
  // Order of checks: the first failing field in table order decides.
  ['service_name before replicas? no: replicas first', si({ replicas: 9, service_name: 'BAD' }), 4000117],
  ['port maps before spec', si({ port_maps: 'x', spec_alias: 'bad' }), 4000134],
  ['service_info fields before containers', () => ({ ...si({ service_name: 'BAD' })(), service_container_infos: [] }), 4000115],
];

describe('microservices rules: create (microservices.md §2.10, table order)', () => {
  for (const [name, body, expected] of CREATE_CASES) {
    it(`${name} → ${expected}`, () => assert.equal(codeOf(() => parseCreate(body())), expected));
  }
  it('normalises: numbers as strings, protocol and alias case, log dirs, envs map, command ""', () => {
    const b = base();
    b.service_info.spec_alias = 'c1m2s20';
    b.service_info.port_maps = [{ dst_port: '80', src_port: '8080', protocol: 'udp' }];
    b.service_container_infos[0].log_dirs = ['/var/log'];
    b.service_container_infos[0].envs = { B: 2, A: true };
    const out = parseCreate(b);
    assert.deepEqual(out.spec, { alias: 'C1M2S20' });
    assert.deepEqual(out.port_maps, [{ protocol: 'UDP', port: 8080, target_port: 80 }]);
    assert.deepEqual(out.containers[0]!.log_dirs, ['/var/log/']);
    assert.deepEqual(out.containers[0]!.envs, [{ key: 'B', value: '2' }, { key: 'A', value: 'true' }]);
    assert.equal(out.containers[0]!.command, null);
    assert.equal(out.namespace_id, 51616);
    assert.equal(out.disk_type, 2);
    const s = parseCreate(stateful());
    assert.deepEqual(s.public_net, { used: true, type: 'flow', bandwidth: 20 });
    assert.deepEqual(s.containers[0]!.volumes, [{ volume_id: 163, mount_path: '/mnt/' }]);
  });
});

describe('microservices rules: parts', () => {
  const cases: Array<[string, () => unknown, number | 'ok']> = [
    ['toInt digits', () => assert.equal(toInt('-12'), -12), 'ok'],
    ['update-stateless: absent list', () => parseUpdateStateless({}), 4000112],
    ['update-stateless: empty list', () => parseUpdateStateless({ container_infos: [] }), 4000112],
    ['update-stateless: not array', () => parseUpdateStateless({ container_infos: {} }), 4000113],
    ['update-stateless: entry not object', () => parseUpdateStateless({ container_infos: [1] }), 4000113],
    ['update-stateless: no container_id', () => parseUpdateStateless({ container_infos: [{ envs: [] }] }), 4000112],
    ['update-stateless: container_id repeated', () => parseUpdateStateless({ container_infos: [{ container_id: 1 }, { container_id: '1' }] }), 4000113],
    ['update-stateless: container_id not int', () => parseUpdateStateless({ container_infos: [{ container_id: 'x' }] }), 4000113],
    ['update-stateless: env key bad', () => parseUpdateStateless({ container_infos: [{ container_id: 1, envs: [{ key: '-' }] }] }), 4000124],
    ['update-stateless: log dir bad', () => parseUpdateStateless({ container_infos: [{ container_id: 1, log_dirs: ['x'] }] }), 4000113],
    ['update-stateless: weight not int', () => parseUpdateStateless({ container_infos: [{ container_id: 1, memory_weight: 'x' }] }), 4000131],
    ['update-image: absent', () => parseUpdateImage({ min_ready_seconds: 1 }), 4000112],
    ['update-image: no image_path', () => parseUpdateImage({ container_images: [{ container_id: 1 }], min_ready_seconds: 1 }), 4000112],
    ['update-image: image_path number', () => parseUpdateImage({ container_images: [{ container_id: 1, image_path: 1 }], min_ready_seconds: 1 }), 4000113],
    ['update-image: min_ready absent', () => parseUpdateImage({ container_images: [{ container_id: 1, image_path: IMG }] }), 4000112],
    ['update-image: min_ready 0', () => parseUpdateImage({ container_images: [{ container_id: 1, image_path: IMG }], min_ready_seconds: 0 }), 4000150],
    ['update-image: min_ready 601', () => parseUpdateImage({ container_images: [{ container_id: 1, image_path: IMG }], min_ready_seconds: '601' }), 4000150],
    ['update-image: min_ready 600', () => parseUpdateImage({ container_images: [{ container_id: 1, image_path: IMG }], min_ready_seconds: '600' }), 'ok'],
    ['update-port: absent', () => parseUpdatePort({}), 4000112],
    ['update-port: empty list ok', () => parseUpdatePort({ port_maps: [] }), 'ok'],
    ['update-port: not array', () => parseUpdatePort({ port_maps: 3 }), 4000134],
    ['update-stateful: absent', () => parseUpdatePublicNet(undefined), 4000112],
    ['update-stateful: not object', () => parseUpdatePublicNet('x'), 4000135],
    ['update-stateful: bandwidth absent', () => parseUpdatePublicNet({ type: 'flow', used: true }), 4000112],
    ['update-stateful: type absent', () => parseUpdatePublicNet({ bandwidth: 5, used: true }), 4000112],
    ['update-stateful: used absent', () => parseUpdatePublicNet({ bandwidth: 5, type: 'flow' }), 4000112],
    ['update-stateful: bandwidth "50" ok', () => parseUpdatePublicNet({ bandwidth: '50', type: 'FLOW', used: 'true' }), 'ok'],
    ['update-stateful: used "maybe"', () => parseUpdatePublicNet({ bandwidth: 5, type: 'flow', used: 'maybe' }), 4000135],
    ['spec: neither', () => parseSpecChoice(undefined, ''), 4000112],
    ['spec: alias wins', () => assert.deepEqual(parseSpecChoice('c2m4s20', 'x'), { alias: 'C2M4S20' }), 'ok'],
    ['weights: 3 × 33 + 1', () => checkWeights([33, 33, 34], 'MICROSERVICE_CPU_WEIGHT_INVALID'), 'ok'],
    ['weights: 3 × 33', () => checkWeights([33, 33, 33], 'MICROSERVICE_CPU_WEIGHT_INVALID'), 4000130],
    ['envs: 50 entries ok', () => parseEnvs(Array.from({ length: 50 }, (_, i) => ({ key: `K${i}` }))), 'ok'],
    ['port maps: 20 ok', () => parsePortMaps(Array.from({ length: 20 }, (_, i) => ({ target_port: i + 1, port: i + 1 }))), 'ok'],
  ];
  for (const [name, work, expected] of cases) it(`${name} → ${expected}`, () => assert.equal(codeOf(work), expected));

  it('booleans, log dir normalisation, mount paths, repositories, port-map sets', () => {
    assert.deepEqual(['true', 'FALSE', 1, '0', true, 'yes', 2].map(toBool), [true, false, true, false, true, undefined, undefined]);
    assert.equal(normaliseLogDir('/var/log'), '/var/log/');
    assert.equal(validMountPath('/usr'), false);
    assert.equal(validMountPath('/usr/local'), true);
    assert.deepEqual(splitImagePath('hub.c.163.com/nce2/mariadb'), { repo: 'hub.c.163.com/nce2/mariadb', tag: 'latest' });
    assert.deepEqual(splitImagePath('hub.c.163.com/a/b/c:v1'), { repo: 'hub.c.163.com/a/b/c', tag: 'v1' });
    assert.ok(samePortMaps([{ protocol: 'TCP', port: 1, target_port: 2 }, { protocol: 'UDP', port: 1, target_port: 2 }], [{ protocol: 'UDP', port: 1, target_port: 2 }, { protocol: 'TCP', port: 1, target_port: 2 }]));
  });
});

describe('microservices specs (microservices.md §2.3)', () => {
  it('18 aliases with exact spec_info strings', () => {
    assert.equal(SPECS.length, 18);
    assert.equal(specInfo('C2M2S20'), '{"cpu":2000,"disk_type":"SSD","memory":2147483648,"spec_alias":"C2M2S20","storage":20}');
    assert.equal(specInfo('C32M128S20'), '{"cpu":32000,"disk_type":"SSD","memory":137438953472,"spec_alias":"C32M128S20","storage":20}');
    assert.equal(specInfo('C1M1S20'), '{"cpu":1000,"disk_type":"SSD","memory":1073741824,"spec_alias":"C1M1S20","storage":20}');
    assert.equal(specByAlias('c4m16s20')?.alias, 'C4M16S20');
    assert.equal(specByAlias('C3M3S20'), undefined);
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map((i) => specByLegacyId(i)?.alias), ['C1M1S20', 'C1M1S20', 'C2M2S20', 'C2M4S20', 'C4M8S20', 'C8M16S20', 'C16M64S20']);
    assert.equal(specByLegacyId(8), undefined);
  });
  it('hourly price: replicas × spec, plus bandwidth 0.03 for the first 5 Mbps and 0.10 beyond', () => {
    assert.equal(hourlyPrice('C1M2S20', 3, { used: false, type: 'flow', bandwidth: 0 }), 0.42);
    assert.equal(hourlyPrice('C2M2S20', 1, { used: true, type: 'flow', bandwidth: 20 }), 0.19);
    assert.equal(hourlyPrice('C2M2S20', 1, { used: true, type: 'bandwidth', bandwidth: 7 }), 0.54);
  });
});
