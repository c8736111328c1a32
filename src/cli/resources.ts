/**
 * `comb <resource> <verb>` for the public API: plural resource names with short aliases, `list`/`ls`,
 * `delete`/`rm`. Every operation without a command of its own is reachable through `comb api` (api.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { CreateMicroserviceBody, OpencombClient } from '../client/index.ts';
import { act, collect, int, pairs, readJsonFile, type Ctx } from './context.ts';
import { UsageError } from './output.ts';
import { TIMEOUT_HELP, WAIT_HELP, waitForStatus, type WaitFlags } from './wait.ts';

function resource(program: Command, name: string, alias: string, description: string): Command {
  return program.command(name).alias(alias).description(description);
}

const withWait = (command: Command) => command.option('--wait', WAIT_HELP).option('--timeout <seconds>', TIMEOUT_HELP);

/** A namespace named by id or by name (`shop` or its platform name `shop-alice`). */
async function namespaceId(api: OpencombClient, value: string): Promise<number> {
  if (/^\d+$/.test(value)) return Number(value);
  const { namespaces } = await api.listNamespaces();
  const found = namespaces.find((n) => n.display_name === value || n.namespace === value);
  if (!found) throw new UsageError(`no namespace named ${value}`);
  return found.id;
}

/** Writes a private key readable by its owner only; never over an existing file. */
function writeSecretFile(path: string, text: string): void {
  try {
    writeFileSync(path, text, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    throw new UsageError(`cannot write ${path}: ${(err as Error).message}`);
  }
}

export function namespaceCommands(program: Command): void {
  const ns = resource(program, 'namespaces', 'ns', 'namespaces that group microservices');
  ns.command('create <name>').description('create a namespace').action(act(async (ctx, [name]) => {
    const answer = await ctx.api.createNamespace({ name });
    ctx.out.item(answer, { id: answer.namespace_id, name });
  }));
  ns.command('list').alias('ls').description('list namespaces').action(act(async (ctx) => {
    const answer = await ctx.api.listNamespaces();
    ctx.out.list(answer, answer.namespaces, [['ID', (n) => n.id], ['NAME', (n) => n.display_name], ['NAMESPACE', (n) => n.namespace], ['DELETABLE', (n) => n.deletable]]);
  }));
  ns.command('delete <namespace>').alias('rm').description('delete an empty namespace (id or name)').action(act(async (ctx, [value]) => {
    const id = await namespaceId(ctx.api, value);
    await ctx.api.deleteNamespace({ id });
    ctx.out.done(`deleted namespace ${id}`, { id });
  }));
}

interface CreateMsFlags extends WaitFlags {
  file?: string; namespace?: string; name?: string; image?: string; container?: string; replicas: string; port: string[];
  spec: string; stateful?: boolean; env: string[]; command?: string;
}

/** A create body from flags: one container, ports as `TARGET:PORT[/PROTOCOL]`. */
async function microserviceBody(api: OpencombClient, f: CreateMsFlags): Promise<CreateMicroserviceBody> {
  if (f.file) return readJsonFile(f.file) as CreateMicroserviceBody;
  for (const flag of ['namespace', 'name', 'image'] as const) if (!f[flag]) throw new UsageError(`--${flag} is required (or give the whole body with -f FILE)`);
  const port_maps = f.port.map((p) => {
    const m = /^(\d+):(\d+)(?:\/(tcp|udp))?$/i.exec(p);
    if (!m) throw new UsageError(`--port: TARGET:PORT[/TCP|UDP], not ${p}`);
    return { target_port: Number(m[1]), port: Number(m[2]), protocol: (m[3] ?? 'TCP').toUpperCase() as 'TCP' | 'UDP' };
  });
  if (port_maps.length === 0) throw new UsageError('--port is required (TARGET:PORT, e.g. 80:8080)');
  const image = f.image!;
  return {
    bill_info: 'default',
    service_info: {
      namespace_id: await namespaceId(api, f.namespace!), service_name: f.name!, stateful: f.stateful ? 1 : 0,
      replicas: int(f.replicas, '--replicas'), port_maps, spec_alias: f.spec as never,
    },
    service_container_infos: [{
      image_path: image, container_name: f.container ?? basename(image.split(':')[0]!).replace(/[^a-z0-9-]/g, '-'),
      ...(f.command ? { command: f.command } : {}),
      envs: pairs(f.env, '--env').map(([key, value]) => ({ key, value })), cpu_weight: 100, memory_weight: 100,
    }],
  } as CreateMicroserviceBody;
}

const msStatus = (ctx: Ctx, id: number | string, flags: WaitFlags) =>
  waitForStatus(ctx, flags, `microservice ${id}`, () => ctx.api.getMicroservice({ id }), (m) => m.service_info.status);

export function microserviceCommands(program: Command): void {
  const ms = resource(program, 'microservices', 'ms', 'stateless and stateful microservices');
  withWait(ms.command('create')).description('create a microservice from flags or from a JSON body (-f)')
    .option('-f, --file <body.json>', 'the whole request body (microservices.md), - for stdin')
    .option('-n, --namespace <namespace>', 'namespace id or name').option('--name <name>', 'service name')
    .option('--image <path>', 'image (hub.c.163.com/public/nginx:1.2.1)').option('--container <name>', 'container name (default: from the image)')
    .option('--replicas <n>', 'replicas', '1').option('-p, --port <target:port>', 'port mapping TARGET:PORT[/UDP], repeatable', collect, [])
    .option('--spec <alias>', 'specification', 'C1M2S20').option('--stateful', 'a stateful service (one replica, keeps its disk)')
    .option('-e, --env <key=value>', 'environment variable, repeatable', collect, []).option('--command <command>', 'container command')
    .action(act<CreateMsFlags>(async (ctx, _args, flags) => {
      const answer = await ctx.api.createMicroservice(await microserviceBody(ctx.api, flags));
      if (flags.wait) await msStatus(ctx, answer.service_id, flags);
      ctx.out.item(answer, { id: answer.service_id });
    }));
  ms.command('list').alias('ls').description('list the microservices of a namespace').requiredOption('-n, --namespace <namespace>', 'namespace id or name')
    .action(act(async (ctx, _args, flags) => {
      const answer = await ctx.api.listMicroservices({ id: await namespaceId(ctx.api, flags.namespace) });
      ctx.out.list(answer, answer.microservice_infos, [['ID', (m) => m.id], ['NAME', (m) => m.service_name], ['STATUS', (m) => m.status], ['REPLICAS', (m) => m.replicas], ['STATEFUL', (m) => m.stateful]]);
    }));
  ms.command('get <id>').description('a microservice and its containers').action(act(async (ctx, [id]) => {
    const answer = await ctx.api.getMicroservice({ id });
    const { service_info: s } = answer;
    ctx.out.item(answer, { id: s.id, name: s.service_name, namespace: s.namespace, status: s.status, replicas: s.replicas, spec: s.spec_info, ports: s.port_maps, public_ip: s.pub_ip, containers: answer.service_container_infos.map((c) => `${c.container_id} ${c.container_name} ${c.image_path}`).join('; ') });
  }));
  withWait(ms.command('scale <id> <replicas>')).description('change the number of replicas (stateless)').action(act(async (ctx, [id, replicas], flags) => {
    await ctx.api.scaleMicroservice({ id, new_replicas: int(replicas, 'replicas') });
    if (flags.wait) await msStatus(ctx, id, flags);
    ctx.out.done(`scaling microservice ${id} to ${replicas}`, { id: Number(id), replicas: Number(replicas) });
  }));
  withWait(ms.command('restart <id>')).description('restart every container').option('--hard', 'hard reboot').action(act(async (ctx, [id], flags) => {
    await ctx.api.restartMicroservice({ id, option: flags.hard ? 'hard_reboot' : 'restart' });
    if (flags.wait) await msStatus(ctx, id, flags);
    ctx.out.done(`restarting microservice ${id}`, { id: Number(id) });
  }));
  withWait(ms.command('update-image <id> <image>')).description('roll a container to another tag of its repository')
    .option('--container <name>', 'the container (default: the only one)').option('--min-ready <seconds>', 'min_ready_seconds', '0')
    .action(act(async (ctx, [id, image], flags) => {
      const { service_container_infos: containers } = await ctx.api.getMicroservice({ id });
      const container = flags.container ? containers.find((c) => c.container_name === flags.container || String(c.container_id) === flags.container) : containers.length === 1 ? containers[0] : undefined;
      if (!container) throw new UsageError(flags.container ? `no container ${flags.container} in microservice ${id}` : `microservice ${id} has ${containers.length} containers: name one with --container`);
      await ctx.api.updateMicroserviceImage({ id }, { container_images: [{ container_id: container.container_id, image_path: image }], min_ready_seconds: int(flags.minReady, '--min-ready') });
      if (flags.wait) await msStatus(ctx, id, flags);
      ctx.out.done(`updating microservice ${id} to ${image}`, { id: Number(id), image });
    }));
  ms.command('delete <id>').alias('rm').description('delete a microservice').option('--free-ip', 'also release its public IP').action(act(async (ctx, [id], flags) => {
    await ctx.api.deleteMicroservice({ id, ...(flags.freeIp ? { free_ip: true } : {}) });
    ctx.out.done(`deleted microservice ${id}`, { id: Number(id) });
  }));
  ms.command('images').description('service images: public and your own').action(act(async (ctx) => {
    const answer = await ctx.api.listServiceImages();
    ctx.out.list(answer, [...answer.public_images.map((i) => ({ ...i, kind: 'public' })), ...answer.custom_images.map((i) => ({ ...i, kind: 'custom' }))], [['KIND', (i) => i.kind], ['IMAGE', (i) => i.image_path], ['TAG', (i) => i.tag]]);
  }));
}

export function repositoryCommands(program: Command): void {
  const repo = resource(program, 'repositories', 'repo', 'image repositories and their builds');
  repo.command('create <name>').description('create a repository').option('--public', 'open to everyone').option('--description <text>', 'short description')
    .action(act(async (ctx, [name], flags) => {
      const answer = await ctx.api.createRepository({ repo_name: name, open_level: flags.public ? 1 : 0, ...(flags.description ? { base_desc: flags.description } : {}) });
      ctx.out.item(answer, { id: answer.repo_id, name });
    }));
  repo.command('list').alias('ls').description('list repositories').action(act(async (ctx) => {
    const answer = await ctx.api.listRepositories();
    ctx.out.list(answer, answer.repositories, [['ID', (r) => r.repo_id], ['NAME', (r) => r.repo_name], ['PUBLIC', (r) => r.open_level === 1], ['TAGS', (r) => r.tag_count], ['UPDATED', (r) => r.updated_at]]);
  }));
  repo.command('get <id>').description('a repository and its tags').action(act(async (ctx, [id]) => {
    const answer = await ctx.api.getRepository({ id });
    ctx.out.item(answer);
  }));
  repo.command('build <name> <tag>').description('build a tag from a Dockerfile (the repository is created if needed)')
    .requiredOption('-f, --file <Dockerfile>', 'the Dockerfile').action(act(async (ctx, [name, tag], flags) => {
      const form = new FormData();
      form.append('docker_file', new Blob([new Uint8Array(readFile(flags.file))]), 'Dockerfile');
      await ctx.api.buildImage({ repo_name: name, tag }, form);
      ctx.out.done(`building ${name}:${tag}`, { repo_name: name, tag });
    }));
  repo.command('delete-tag <name> <tag>').description('delete a tag').action(act(async (ctx, [name, tag]) => {
    await ctx.api.deleteRepositoryTag({ repo_name: name, tag });
    ctx.out.done(`deleted ${name}:${tag}`, { repo_name: name, tag });
  }));
}

function readFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as Error).message}`);
  }
}

export function secretKeyCommands(program: Command): void {
  const keys = resource(program, 'secret-keys', 'keys', 'SSH key pairs for stateful services');
  keys.command('create <name>').description('create a key pair and save its private key (mode 0600)')
    .option('--out <file>', 'where to write the private key (default ./<name>.pem)').action(act(async (ctx, [name], flags) => {
      const answer = await ctx.api.createSecretKey({ key_name: name });
      const file = flags.out ?? `${name}.pem`;
      writeSecretFile(file, await ctx.api.getPrivateKey({ id: answer.id }));
      ctx.out.item({ ...answer, file }, { id: answer.id, name: answer.name, fingerprint: answer.fingerprint, file });
    }));
  keys.command('list').alias('ls').description('list key pairs').action(act(async (ctx) => {
    const answer = await ctx.api.listSecretKeys();
    ctx.out.list(answer, answer, [['ID', (k) => k.id], ['NAME', (k) => k.name], ['FINGERPRINT', (k) => k.fingerprint], ['CREATED', (k) => k.created_at]]);
  }));
  keys.command('get <id>').description('the private key (PEM) on stdout, or into a file (mode 0600)').option('--out <file>', 'write it to this file').action(act(async (ctx, [id], flags) => {
    const pem = await ctx.api.getPrivateKey({ id });
    if (flags.out) {
      writeSecretFile(flags.out, pem);
      ctx.out.done(`wrote ${flags.out}`, { id: Number(id), file: flags.out });
    } else if (ctx.out.format === 'json') ctx.out.json({ id: Number(id), private_key: pem });
    else process.stdout.write(pem.endsWith('\n') ? pem : `${pem}\n`);
  }));
  keys.command('delete <id>').alias('rm').description('delete a key pair').action(act(async (ctx, [id]) => {
    await ctx.api.deleteSecretKey({ id });
    ctx.out.done(`deleted secret key ${id}`, { id: Number(id) });
  }));
}

export function volumeCommands(program: Command): void {
  const vol = resource(program, 'volumes', 'vol', 'cloud volumes');
  withWait(vol.command('create <name>')).description('create a volume').requiredOption('--size <GB>', '10 to 1000, a multiple of 10').option('--format <format>', 'Ext4 or Raw')
    .action(act(async (ctx, [name], flags) => {
      const answer = await ctx.api.createCloudVolume({ volume_name: name, size: int(flags.size, '--size'), ...(flags.format ? { format: flags.format } : {}) });
      if (flags.wait) await waitForStatus(ctx, flags, `volume ${answer.id}`, () => ctx.api.getCloudVolume({ id: answer.id }), (v) => v.status);
      ctx.out.item(answer, { id: answer.id, name });
    }));
  vol.command('list').alias('ls').description('list volumes').action(act(async (ctx) => {
    const answer = await ctx.api.listCloudVolumes();
    ctx.out.list(answer, answer.volumes, [['ID', (v) => v.id], ['NAME', (v) => v.name], ['SIZE', (v) => v.size], ['STATUS', (v) => v.status], ['FORMAT', (v) => v.file_system_type], ['SERVICE', (v) => v.service_name]]);
  }));
  vol.command('get <id>').description('a volume').action(act(async (ctx, [id]) => ctx.out.item(await ctx.api.getCloudVolume({ id }))));
  vol.command('resize <id> <size>').description('grow a volume (GB)').action(act(async (ctx, [id, size]) => {
    await ctx.api.resizeCloudVolume({ id, size: int(size, 'size') });
    ctx.out.done(`resized volume ${id} to ${size} GB`, { id: Number(id), size: Number(size) });
  }));
  vol.command('delete <id>').alias('rm').description('delete a volume').action(act(async (ctx, [id]) => {
    await ctx.api.deleteCloudVolume({ id });
    ctx.out.done(`deleted volume ${id}`, { id: Number(id) });
  }));
}

export function ipCommands(program: Command): void {
  const ips = resource(program, 'ips', 'ip', 'public IPs');
  const columns: Array<[string, (i: any) => unknown]> = [['ID', (i) => i.id], ['IP', (i) => i.ip], ['TYPE', (i) => i.type], ['STATUS', (i) => i.status], ['SERVICE', (i) => i.service_name]];
  ips.command('create').description('create public IPs').option('--nce <n>', 'IPs for microservices', '0').option('--nlb <n>', 'IPs for load balancers', '0')
    .action(act(async (ctx, _args, flags) => {
      const answer = await ctx.api.createIps({ nce: int(flags.nce, '--nce'), nlb: int(flags.nlb, '--nlb') });
      ctx.out.list(answer, answer.ips, columns);
    }));
  ips.command('list').alias('ls').description('list public IPs').option('--status <status>', 'available, binding, binded').option('--type <type>', 'nce or nlb')
    .action(act(async (ctx, _args, flags) => {
      const answer = await ctx.api.listIps({ ...(flags.status ? { status: flags.status } : {}), ...(flags.type ? { type: flags.type } : {}) });
      ctx.out.list(answer, answer.ips, columns);
    }));
  ips.command('get <id>').description('a public IP').action(act(async (ctx, [id]) => ctx.out.item(await ctx.api.getIp({ id }))));
  ips.command('quota').description('IP quota and usage').action(act(async (ctx) => ctx.out.item(await ctx.api.getIpQuota())));
  ips.command('cost <id>').description('what an IP has cost').action(act(async (ctx, [id]) => ctx.out.item(await ctx.api.getIpCost({ id }))));
  ips.command('release <id>').alias('rm').description('release a public IP').action(act(async (ctx, [id]) => {
    ctx.out.item(await ctx.api.releaseIp({ id }));
  }));
}

export function loadBalancerCommands(program: Command): void {
  const lb = resource(program, 'loadbalancers', 'lb', 'load balancers, their listeners, and certificates (rules and the rest: comb api)');
  const columns: Array<[string, (l: any) => unknown]> = [['NAME', (l) => l.name], ['NAMESPACE', (l) => l.namespace], ['ADDRESS', (l) => l.address], ['STATUS', (l) => l.status], ['CHARGE', (l) => l.chargeMode]];
  lb.command('create <namespace> <name>').description('create a load balancer on a new nlb IP').option('--charge-mode <mode>', 'netflow or bandwidth')
    .option('--bandwidth <mbps>', 'bandwidth limit, 1-1024').option('--description <text>', 'description')
    .action(act(async (ctx, [namespace, name], f) => {
      const answer = await ctx.api.createLoadBalancer({ namespace }, {
        name, ...(f.chargeMode ? { chargeMode: f.chargeMode } : {}), ...(f.bandwidth ? { bandwidthLimit: int(f.bandwidth, '--bandwidth') } : {}), ...(f.description ? { description: f.description } : {}),
      });
      ctx.out.list(answer, [{ ...answer, namespace }], columns);
    }));
  lb.command('list').alias('ls').description('list load balancers').option('-n, --namespace <namespace>', 'only this namespace (platform name)')
    .action(act(async (ctx, _args, f) => {
      const answer = await ctx.api.listLoadBalancers(f.namespace ? { namespace: f.namespace } : {});
      ctx.out.list(answer, answer, columns);
    }));
  lb.command('get <namespace> <name>').description('a load balancer and its listeners').action(act(async (ctx, [namespace, name]) => ctx.out.item(await ctx.api.getLoadBalancer({ namespace, lb_name: name }))));
  lb.command('listeners <namespace> <name>').description('the listeners of a load balancer').action(act(async (ctx, [namespace, name]) => {
    const answer = await ctx.api.listListeners({ namespace, lb_name: name });
    ctx.out.list(answer, answer, [['NAME', (l) => l.name], ['PORT', (l) => l.listenPort], ['PROTOCOL', (l) => l.protocol], ['RULES', (l) => l.clusters.length]]);
  }));
  lb.command('certs').description('TLS certificates').action(act(async (ctx) => {
    const answer = await ctx.api.listCerts();
    ctx.out.list(answer, answer, [['ID', (c) => c.id], ['NAME', (c) => c.name], ['FINGERPRINT', (c) => c.fingerPrint], ['UPLOADED', (c) => c.createtime]]);
  }));
  lb.command('delete <namespace> <name>').alias('rm').description('delete a load balancer').action(act(async (ctx, [namespace, name]) => {
    await ctx.api.deleteLoadBalancer({ namespace, lb_name: name });
    ctx.out.done(`deleted load balancer ${name}`, { name });
  }));
}

export function rdsCommands(program: Command): void {
  const rds = resource(program, 'rds-instances', 'rds', 'RDS instances, their databases, accounts and snapshots (creating them: comb api)');
  rds.command('list').alias('ls').description('list RDS instances').action(act(async (ctx) => {
    const answer = await ctx.api.listRdsInstances();
    ctx.out.list(answer, answer.instances, [['NAME', (i) => i.instance_name], ['STATUS', (i) => i.instance_status], ['ENGINE', (i) => i.engine_version], ['CHARGE', (i) => i.charge_type]]);
  }));
  rds.command('get <name>').description('an RDS instance').action(act(async (ctx, [name]) => {
    const answer = await ctx.api.listRdsInstances({ instance_name: name });
    const instance = answer.instances.find((i) => i.instance_name === name);
    if (!instance) throw new UsageError(`no RDS instance ${name}`);
    ctx.out.item(instance);
  }));
  rds.command('databases <name>').description('the databases of an instance').action(act(async (ctx, [name]) => {
    const answer = await ctx.api.listRdsDatabases({ instance_name: name });
    ctx.out.list(answer, answer.databases, [['DATABASE', (d) => d]]);
  }));
  rds.command('accounts <name>').description('the accounts of an instance').action(act(async (ctx, [name]) => {
    const answer = await ctx.api.listRdsAccounts({ instance_name: name });
    ctx.out.list(answer, answer.accounts, [['ACCOUNT', (a) => a]]);
  }));
  rds.command('snapshots <name>').description('the snapshots of an instance').action(act(async (ctx, [name]) => {
    const answer = await ctx.api.listRdsSnapshots({ instance_name: name });
    ctx.out.list(answer, answer.dbSnaptshots, [['SNAPSHOT', (s) => s.snapshot_name], ['CREATED', (s) => s.snapshot_create_time], ['TYPE', (s) => s.snapshot_type]]);
  }));
  rds.command('delete <name>').alias('rm').description('delete an RDS instance').action(act(async (ctx, [name]) => {
    await ctx.api.deleteRdsInstance({ instance_name: name });
    ctx.out.done(`deleted RDS instance ${name}`, { name });
  }));
}

/** The beta API (docs/beta.md): containers and apps. Creating them takes a body: comb api … -f body.json. */
export function betaCommands(program: Command): void {
  const containers = resource(program, 'containers', 'ct', 'containers of the beta API (creating one: comb api createLegacyContainer -f body.json)');
  containers.command('list').alias('ls').description('list containers').action(act(async (ctx) => {
    const answer = await ctx.api.listLegacyContainers();
    ctx.out.list(answer, answer.containers, [['ID', (c) => c.id], ['NAME', (c) => c.name], ['STATUS', (c) => c.status], ['PUBLIC IP', (c) => c.public_ip], ['PRIVATE IP', (c) => c.private_ip]]);
  }));
  containers.command('get <id>').description('a container').action(act(async (ctx, [id]) => ctx.out.item(await ctx.api.getLegacyContainer({ containerId: id }))));
  withWait(containers.command('restart <id>')).description('restart a container').action(act(async (ctx, [id], flags) => {
    await ctx.api.restartLegacyContainer({ containerId: id });
    if (flags.wait) await waitForStatus(ctx, flags, `container ${id}`, () => ctx.api.getLegacyContainer({ containerId: id }), (c) => c.status);
    ctx.out.done(`restarting container ${id}`, { id: Number(id) });
  }));
  containers.command('delete <id>').alias('rm').description('delete a container').action(act(async (ctx, [id]) => {
    await ctx.api.deleteLegacyContainer({ containerId: id });
    ctx.out.done(`deleted container ${id}`, { id: Number(id) });
  }));

  const apps = resource(program, 'apps', 'app', 'apps of the beta API (creating one: comb api createLegacyApp -f body.json)');
  apps.command('list').alias('ls').description('list apps').action(act(async (ctx) => {
    const answer = await ctx.api.listLegacyApps();
    ctx.out.list(answer, answer.apps, [['ID', (a) => a.id], ['NAME', (a) => a.name], ['STATUS', (a) => a.status], ['REPLICAS', (a) => a.replicas], ['DOMAIN', (a) => a.domain]]);
  }));
  apps.command('get <id>').description('an app').action(act(async (ctx, [id]) => ctx.out.item(await ctx.api.getLegacyApp({ id }))));
  withWait(apps.command('resize <id> <replicas>')).description('change the number of replicas').action(act(async (ctx, [id, replicas], flags) => {
    await ctx.api.resizeLegacyApp({ id, replicas: int(replicas, 'replicas') });
    if (flags.wait) await waitForStatus(ctx, flags, `app ${id}`, () => ctx.api.getLegacyApp({ id }), (a) => a.status);
    ctx.out.done(`resizing app ${id} to ${replicas}`, { id: Number(id), replicas: Number(replicas) });
  }));
  apps.command('delete <id>').alias('rm').description('delete an app').action(act(async (ctx, [id]) => {
    await ctx.api.deleteLegacyApp({ id });
    ctx.out.done(`deleted app ${id}`, { id: Number(id) });
  }));
}

export function resourceCommands(program: Command): void {
  namespaceCommands(program);
  microserviceCommands(program);
  repositoryCommands(program);
  secretKeyCommands(program);
  volumeCommands(program);
  ipCommands(program);
  loadBalancerCommands(program);
  rdsCommands(program);
  betaCommands(program);
}
