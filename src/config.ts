import { parseArgs } from 'node:util';

/** Everything the server can be told at start, from flags first, then the environment, then defaults. */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** `postgres://...` selects PostgreSQL; otherwise SQLite at `<dataDir>/opencomb.db` (or this path). */
  db: string | undefined;
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  operatorToken: string | undefined;
  faultInjection: boolean;
  bootstrap: { user: string; accessKey: string | undefined; accessSecret: string | undefined };
  limits: {
    /** Requests per second per user over all authorized endpoints (0 disables). */
    perUser: number;
    /** Requests per second per user to `GET /api/v1/secret-keys/{id}` (documented: 300). */
    privateKey: number;
    /** Requests per second per client IP over unauthorized endpoints. */
    perIp: number;
  };
  /** Client must send headers and body within this time (core.md §8: 30 s). */
  clientTimeoutMs: number;
  /** A synchronous handler step must finish within this time (core.md §8: 60 s). */
  handlerDeadlineMs: number;
  bodyLimitBytes: number;
  /** How often due work (async transitions, billing) is checked in real time. */
  tickMs: number;
  logLevel: string;
  /** Host used in image addresses (`download_url`, `image_path`). */
  registryHost: string;
  /** Seconds from accepting an image build to its final tag status (keys-and-registry.md: default 1). */
  registryBuildSeconds: number;
  /** Public IP address pool as CIDR (volumes-and-ips.md Part B; network and broadcast addresses excluded). */
  ipPool: string;
  /** Seconds an `nlb` IP taken by a new load balancer stays `binding` before `binded` (spec: default 1). */
  ipBindingDelaySeconds: number;
  quotas: Quotas;
  /** Seconds a new cloud volume stays `creating` before `create_succ` (volumes-and-ips.md: default 1). */
  volumeCreateDelaySeconds: number;
  /** Seconds a microservice stays busy (`creating`, `updating`, …) in the simulated runtime (microservices.md §2.7: default 2). */
  microserviceBusySeconds: number;
  /** Seconds a changed load-balancer listener stays pending (4000455; load-balancers.md: default 0, never). */
  listenerPendingSeconds: number;
}

/** Per-user limits; the operator API can override any of them for one user (`PATCH /_opencomb/users/{name}`). */
export interface Quotas {
  secret_keys: number;
  [name: string]: number;
}

export const defaultQuotas: Quotas = {
  secret_keys: 20,
  repositories: 10,
  tags_per_repository: 100,
  ips_nce: 20,
  ips_nlb: 10,
  namespaces: 20,
  services: 20,
  replicas: 50,
  containers: 100,
  // RDS (rds.md "Quotas"): per user, then per instance.
  rds_instances: 2,
  rds_storage_gb: 1000,
  rds_memory_gb: 64,
  rds_ecu: 16,
  rds_snapshots: 10,
  rds_databases: 100,
  rds_accounts: 50,
};

export function defaultConfig(overrides: Partial<Config> = {}): Config {
  return {
    host: '127.0.0.1',
    port: 8163,
    dataDir: './.opencomb',
    db: undefined,
    tlsCert: undefined,
    tlsKey: undefined,
    operatorToken: undefined,
    faultInjection: false,
    bootstrap: { user: 'admin', accessKey: undefined, accessSecret: undefined },
    limits: { perUser: 300, privateKey: 300, perIp: 20 },
    clientTimeoutMs: 30_000,
    handlerDeadlineMs: 60_000,
    bodyLimitBytes: 1_048_576,
    tickMs: 1000,
    logLevel: 'info',
    registryHost: 'hub.c.163.com',
    registryBuildSeconds: 1,
    ipPool: '59.111.0.0/16',
    ipBindingDelaySeconds: 1,
    quotas: { ...defaultQuotas },
    volumeCreateDelaySeconds: 1,
    microserviceBusySeconds: 2,
    listenerPendingSeconds: 0,
    ...overrides,
  };
}

function num(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${value}"`);
  return n;
}

export function configFromArgs(argv: string[], env: NodeJS.ProcessEnv): Config {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      data: { type: 'string' },
      db: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'fault-injection': { type: 'boolean' },
      'rate-user': { type: 'string' },
      'rate-private-key': { type: 'string' },
      'rate-ip': { type: 'string' },
      'client-timeout-ms': { type: 'string' },
      'log-level': { type: 'string' },
      'registry-host': { type: 'string' },
    },
    strict: true,
  });
  const base = defaultConfig();
  const tlsCert = values['tls-cert'] ?? env.OPENCOMB_TLS_CERT;
  const tlsKey = values['tls-key'] ?? env.OPENCOMB_TLS_KEY;
  if ((tlsCert === undefined) !== (tlsKey === undefined)) throw new Error('--tls-cert and --tls-key go together');
  return {
    ...base,
    host: values.host ?? env.OPENCOMB_HOST ?? base.host,
    port: num(values.port ?? env.PORT, 'port') ?? base.port,
    dataDir: values.data ?? env.OPENCOMB_DATA ?? base.dataDir,
    db: values.db ?? env.OPENCOMB_DB ?? base.db,
    tlsCert,
    tlsKey,
    operatorToken: env.OPENCOMB_OPERATOR_TOKEN || undefined,
    faultInjection: values['fault-injection'] ?? env.OPENCOMB_FAULT_INJECTION === '1',
    bootstrap: {
      user: env.OPENCOMB_USER || base.bootstrap.user,
      accessKey: env.OPENCOMB_ACCESS_KEY || undefined,
      accessSecret: env.OPENCOMB_ACCESS_SECRET || undefined,
    },
    limits: {
      perUser: num(values['rate-user'] ?? env.OPENCOMB_RATE_USER, 'rate-user') ?? base.limits.perUser,
      privateKey: num(values['rate-private-key'] ?? env.OPENCOMB_RATE_PRIVATE_KEY, 'rate-private-key') ?? base.limits.privateKey,
      perIp: num(values['rate-ip'] ?? env.OPENCOMB_RATE_IP, 'rate-ip') ?? base.limits.perIp,
    },
    clientTimeoutMs: num(values['client-timeout-ms'] ?? env.OPENCOMB_CLIENT_TIMEOUT_MS, 'client-timeout-ms') ?? base.clientTimeoutMs,
    logLevel: values['log-level'] ?? env.OPENCOMB_LOG_LEVEL ?? base.logLevel,
    registryHost: values['registry-host'] ?? env.OPENCOMB_REGISTRY_HOST ?? base.registryHost,
  };
}
