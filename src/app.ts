import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { Clock } from './clock.ts';
import { joinCluster } from './cluster/index.ts';
import { createLogger } from './logging.ts';
import type { Config } from './config.ts';
import { RequestDeadlinePlugin } from './http/deadline.ts';
import { createListener, RouteTable } from './http/pipeline.ts';
import { installProtocolAnswers } from './http/protocol.ts';
import { authenticate } from './identity/auth.ts';
import { bootstrapIdentity, type BootstrapResult } from './identity/bootstrap.ts';
import { identityModule } from './identity/index.ts';
import { Sealer } from './identity/sealer.ts';
import { IdentityStore } from './identity/store.ts';
import { TokenCache } from './identity/token-cache.ts';
import type { Module, ModuleFactory } from './module.ts';
import { operatorModule } from './operator/index.ts';
import { metaRoutes } from './operator/meta.ts';
import { consoleRoutes } from './operator/console.ts';
import { createObservation, type Observation } from './observe/index.ts';
import { QueryTimingPlugin } from './observe/query-timing.ts';
import { RedisCounts } from './observe/redis-counts.ts';
import type { Services } from './services.ts';
import { ClockStore } from './store/clock.ts';
import { openStore, sqliteFile } from './store/db.ts';
import { lockSqliteStore } from './store/locks.ts';
import type { Resources } from './domains/contracts.ts';
import { keysModule } from './domains/keys/index.ts';
import { registryModule } from './domains/registry/index.ts';
import { billingModule } from './domains/billing/index.ts';
import { volumesModule } from './domains/volumes/index.ts';
import { ipsModule } from './domains/ips/index.ts';
import { microservicesModule } from './domains/microservices/index.ts';
import { monitoringModule } from './domains/monitoring/index.ts';
import { rdsModule } from './domains/rds/index.ts';
import { loadBalancersModule } from './domains/loadbalancers/index.ts';
import { legacyModule } from './domains/legacy/index.ts';

export const VERSION = '0.1.0';

/**
 * The server, module by module. The order is the order of the routes (and of the OpenAPI document) and
 * of the due tasks on each clock tick; a module may use, when it is built, the contracts of the modules
 * listed before it. A new domain is one folder under src/domains and one line here.
 */
const MODULES: readonly ModuleFactory[] = [
  identityModule,
  keysModule,
  registryModule,
  billingModule, // before everything that is metered
  volumesModule,
  ipsModule,
  microservicesModule, // consumes keys, images, volumes, IPs and billing
  monitoringModule, // reads the microservices' workloads
  rdsModule,
  loadBalancersModule, // consumes IPs, billing and the microservices' directory
  legacyModule, // the beta containers and apps: consume keys and images
  operatorModule, // last: its reset runs after every domain's
];

/** Every contract of domains/contracts.ts: a server whose modules leave one unprovided does not start. */
const CONTRACTS: Record<keyof Resources, true> = { keys: true, images: true, volumes: true, ips: true, billing: true, workloads: true, directory: true, loadBalancers: true };

export interface RunningServer {
  url: string;
  port: number;
  services: Services;
  modules: readonly Module[];
  /** Every route the server answers (tests check each error answer against its route's declared codes). */
  routes: RouteTable;
  bootstrap: BootstrapResult;
  /** Coverage and metrics of this server (src/observe). */
  observation: Observation;
  close(): Promise<void>;
}

/** Opens the store, builds the services and the route table, and listens. */
export async function startServer(config: Config, logger?: Logger): Promise<RunningServer> {
  const log = logger ?? createLogger(config);
  // SQLite is one process's: its lock is taken before the store is opened (store/locks.ts).
  const file = sqliteFile(config.db, config.dataDir);
  const unlock = file ? lockSqliteStore(file) : () => undefined;
  const store = await openStore(config.db, config.dataDir).catch((err: unknown) => {
    unlock();
    throw err;
  });
  // Queries of a request whose handler deadline passed are refused, so a 4080001 never leaves state behind.
  store.db = store.db.withPlugin(new RequestDeadlinePlugin());
  // `--db :memory:` writes nothing to disk: its master key lives as long as the process, like its data.
  const sealer = config.db === ':memory:' ? Sealer.inMemory(process.env.OPENCOMB_MASTER_KEY) : Sealer.fromDataDir(config.dataDir, process.env.OPENCOMB_MASTER_KEY);
  // Replicas (docs/deploy.md): shared rate limits, the bus, due work one pass at a time; or one process alone.
  const cluster = await joinCluster(config, store, log).catch(async (err: unknown) => {
    await store.close();
    unlock();
    throw err;
  });
  const table = new RouteTable();
  // Coverage and metrics (src/observe): fed by the pipeline's observer, the store's query timing and the due
  // tasks. Replicas count coverage in the Redis they share.
  const coverageCounts = cluster.redis && new RedisCounts(cluster.redis.commands, cluster.redis.prefix, cluster.bus, log);
  const observation = createObservation(() => table.routes, { faultInjection: config.faultInjection, counts: coverageCounts });
  store.db = store.db.withPlugin(new QueryTimingPlugin((kind, ms) => observation.metrics.query(kind, ms)));
  // The test clock resumes where it was: its offset is kept in the store (and shared by replicas).
  const clock = new Clock(new ClockStore(store.db, store.dialect), cluster.peers);
  await clock.load();
  // Authorized requests find their caller here; IdentityStore tells it of every change (forgetUser/forgetAll).
  // A change to a user or a key pair reaches the token cache of every replica before its call answers.
  const tokens = new TokenCache();
  cluster.bus.on('tokens-forget', (userId) => tokens.forgetUser(userId as number));
  const identity = new IdentityStore(store.db, sealer, {
    forgetUser: (userId) => cluster.bus.broadcast('tokens-forget', userId),
    forgetAll: () => tokens.forgetAll(), // only on storeChanged, which the bus already runs on every replica
  });
  const resources = {} as Resources; // filled by the modules' `provides`, in list order
  const services: Services = { config, clock, store, sealer, identity, limiter: cluster.limiter, bus: cluster.bus, health: cluster.health, redis: cluster.redis, gate: cluster.gate, log, resources, resetHooks: [], storeChangedHooks: [] };

  const modules: Module[] = [];
  for (const build of MODULES) {
    const module = build(services);
    modules.push(module);
    Object.assign(resources, module.provides);
    table.add(module.routes);
    for (const task of module.dueTasks ?? []) clock.onDue(task.name, observation.metrics.dueTask(task.name, task.run));
    if (module.reset) services.resetHooks.push(() => module.reset!());
    if (module.storeChanged) services.storeChangedHooks.push(() => module.storeChanged!());
  }
  const missing = Object.keys(CONTRACTS).filter((name) => !(name in resources));
  if (missing.length) throw new Error(`no module provides ${missing.join(', ')}`);
  table.add(metaRoutes(() => table.routes, VERSION));
  table.add(consoleRoutes());
  table.add(observation.routes);
  // Operator reset starts coverage afresh; it runs after every module's reset.
  services.resetHooks.push(() => observation.coverage().clear());
  // What an operator action changed on one replica is taken up by every replica (cluster/bus.ts).
  cluster.bus.on('clock', () => clock.load());
  cluster.bus.on('store-changed', () => {
    for (const hook of services.storeChangedHooks) hook();
  });
  // Replicas starting at once on an empty database create the start-up identity once.
  let bootstrap: BootstrapResult = {};
  await cluster.once(async () => {
    bootstrap = await bootstrapIdentity(config, identity, store, clock);
  });
  await store.durable(); // the start-up line prints a created pair: it must outlive a crash

  const operator = modules.find((m) => m.name === 'operator') as ReturnType<typeof operatorModule>;
  const listener = createListener(table, services, {
    authenticate: (req) => authenticate(req, identity, tokens, () => clock.now().toISOString(), config.quotas),
    faults: operator.faults,
    observe: observation.observe,
  });

  const server = config.tlsCert && config.tlsKey
    // node:https (and TLS) are loaded only when asked for: a tenth of every plain start otherwise.
    ? (await import('node:https')).createServer({ cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey), requireHostHeader: false }, listener)
    : http.createServer({ requireHostHeader: false }, listener);
  // Headers must arrive within the client timeout; the body deadline is enforced by the pipeline itself.
  server.headersTimeout = config.clientTimeoutMs;
  server.requestTimeout = 0;
  (server as unknown as { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.min(1000, config.clientTimeoutMs);
  installProtocolAnswers(server, table, listener, log, observation.observe);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  // Due work in real time holds the store gate like a request, so it never overlaps a reset or restore.
  // Replicas reload the clock's offset on every tick, in case an announcement of a change was lost.
  clock.start(config.tickMs, (err) => log.error({ err }, 'due work failed'), observation.metrics.duePass((run) => services.gate.run(false, run)), config.redis !== undefined);
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `${config.tlsCert ? 'https' : 'http'}://${host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url, port, services, modules, routes: table, bootstrap, observation,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          // In-flight requests finish; a keep-alive connection is closed as soon as it is idle, not at the
          // end of its keep-alive timeout (which would hold a shutdown for seconds).
          const sweep = setInterval(() => server.closeIdleConnections(), 50);
          server.close(() => {
            clearInterval(sweep);
            resolve();
          });
          server.closeIdleConnections();
        });
        await clock.stop();
        await coverageCounts?.close();
        await cluster.close();
        await store.close();
        unlock();
      })();
      return closing;
    },
  };
}
