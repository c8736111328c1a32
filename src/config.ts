import { parseArgs } from 'node:util';
import { FLAGS } from './flags.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Everything the server can be told at start, from flags first, then the environment, then defaults. */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** `postgres://...` selects PostgreSQL; otherwise SQLite at `<dataDir>/opencomb.db` (or this path). */
  db: string | undefined;
  /** `redis://…`: rate limits, the clock and operator state are shared with every replica on the same store. */
  redis: string | undefined;
  /** Prefix of every key and channel this deployment uses in Redis. */
  redisPrefix: string;
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
  /**
   * The window a rate counts over (core.md §6: one second). Not a flag: tests widen it so that "N
   * simultaneous requests" stay within one window however slowly a busy machine sends them.
   */
  rateWindowMs: number;
  /** Client must send headers and body within this time (core.md §8: 30 s). */
  clientTimeoutMs: number;
  /** A synchronous handler step must finish within this time (core.md §8: 60 s). */
  handlerDeadlineMs: number;
  bodyLimitBytes: number;
  /** How often due work (async transitions, billing) is checked in real time. */
  tickMs: number;
  logLevel: LogLevel;
  /** `json` (one object per line) or `pretty` (readable; the default when stdout is a terminal). */
  logFormat: LogFormat;
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
    redis: undefined,
    redisPrefix: 'opencomb:',
    tlsCert: undefined,
    tlsKey: undefined,
    operatorToken: undefined,
    faultInjection: false,
    bootstrap: { user: 'admin', accessKey: undefined, accessSecret: undefined },
    limits: { perUser: 300, privateKey: 300, perIp: 20 },
    rateWindowMs: 1000,
    clientTimeoutMs: 30_000,
    handlerDeadlineMs: 60_000,
    bodyLimitBytes: 1_048_576,
    tickMs: 1000,
    logLevel: 'info',
    logFormat: 'json',
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

/** A value a person gave that cannot be used: one line naming the flag (or variable) and the accepted form; exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** What `configFromArgs` found: a configuration to run, or a request for `--help` / `--version`. */
export type Invocation = { action: 'run'; config: Config } | { action: 'help' } | { action: 'version' };

/**
 * Flags first, then the environment, then defaults (`flags.ts` lists them all). Every value is checked here
 * and a bad one throws a `UsageError`; what needs the file system or the network is checked at start.
 */
export function configFromArgs(argv: string[], env: NodeJS.ProcessEnv, stdoutIsTty = false): Invocation {
  const values = parseFlags(argv);
  if (values.help) return { action: 'help' };
  if (values.version) return { action: 'version' };

  /** The raw value of a flag and the name to quote when it is bad: the flag's, or its variable's. */
  const raw = (name: string): { value: string; source: string } | undefined => {
    const flag = FLAGS.find((f) => f.name === name)!;
    const given = values[name];
    if (typeof given === 'string') return { value: given, source: `--${name}` };
    if (given === true) return { value: '1', source: `--${name}` };
    const fromEnv = flag.env ? env[flag.env] : undefined;
    return fromEnv === undefined || fromEnv === '' ? undefined : { value: fromEnv, source: flag.env! };
  };
  const read = <T>(name: string, parse: (value: string) => T | undefined, fallback: T): T => {
    const r = raw(name);
    if (!r) return fallback;
    const parsed = parse(r.value);
    if (parsed === undefined) throw new UsageError(`${r.source} must be ${FLAGS.find((f) => f.name === name)!.accepts}, got "${r.value}"`);
    return parsed;
  };

  const base = defaultConfig();
  const tlsCert = read('tls-cert', nonEmpty, undefined);
  const tlsKey = read('tls-key', nonEmpty, undefined);
  if ((tlsCert === undefined) !== (tlsKey === undefined)) throw new UsageError('--tls-cert and --tls-key go together: give both files (certificate and private key, PEM)');
  const masterKey = env.OPENCOMB_MASTER_KEY;
  if (masterKey && !/^[0-9a-f]{64}$/i.test(masterKey)) throw new UsageError('OPENCOMB_MASTER_KEY must be 64 hex characters (32 bytes), e.g. from `openssl rand -hex 32`');

  const redis = raw('redis');
  const redisUrl = read('redis', redisLocation, base.redis);
  const db = read('db', dbLocation, base.db);
  if (redis && !(db && /^postgres(ql)?:\/\//.test(db))) throw new UsageError(`${redis.source} needs a PostgreSQL store (--db postgres://…): replicas share the store, and SQLite is one process's`);
  // Access Secrets are verified under the master key: replicas with keys of their own would refuse each other's pairs.
  if (redis && !masterKey) throw new UsageError(`${redis.source} needs OPENCOMB_MASTER_KEY: every replica must hold the same master key (e.g. from \`openssl rand -hex 32\`)`);

  const config: Config = {
    ...base,
    host: read('host', nonEmpty, base.host),
    port: read('port', (v) => integer(v, 0, 65_535), base.port),
    dataDir: read('data', nonEmpty, base.dataDir),
    db,
    redis: redisUrl,
    redisPrefix: env.OPENCOMB_REDIS_PREFIX || base.redisPrefix,
    tlsCert,
    tlsKey,
    operatorToken: env.OPENCOMB_OPERATOR_TOKEN || undefined,
    faultInjection: read('fault-injection', boolean, base.faultInjection),
    bootstrap: {
      user: env.OPENCOMB_USER || base.bootstrap.user,
      accessKey: env.OPENCOMB_ACCESS_KEY || undefined,
      accessSecret: env.OPENCOMB_ACCESS_SECRET || undefined,
    },
    limits: {
      perUser: read('rate-user', (v) => integer(v, 0), base.limits.perUser),
      privateKey: read('rate-private-key', (v) => integer(v, 0), base.limits.privateKey),
      perIp: read('rate-ip', (v) => integer(v, 0), base.limits.perIp),
    },
    clientTimeoutMs: read('client-timeout-ms', (v) => integer(v, 1), base.clientTimeoutMs),
    logLevel: read('log-level', (v) => oneOf(v, LOG_LEVELS), base.logLevel),
    logFormat: read('log-format', (v) => oneOf(v, LOG_FORMATS), stdoutIsTty ? 'pretty' : 'json'),
    registryHost: read('registry-host', (v) => (/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?$/.test(v) ? v : undefined), base.registryHost),
  };
  return { action: 'run', config };
}

function parseFlags(argv: string[]): Record<string, string | boolean | undefined> {
  const options = Object.fromEntries(FLAGS.filter((f) => f.name).map((f) => [f.name, { type: f.arg ? 'string' as const : 'boolean' as const }]));
  // `--port -1` reads as "--port with no value" to parseArgs; give a value that starts with a dash to its flag,
  // so that the flag's own check answers (`--port must be …, got "-1"`).
  const args = [...argv];
  for (let i = 0; i + 1 < args.length; i++) {
    const flag = FLAGS.find((f) => f.arg && args[i] === `--${f.name}`);
    if (flag && /^-[^-]/.test(args[i + 1]!)) args.splice(i, 2, `${args[i]}=${args[i + 1]}`);
  }
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError(usageMessage(err as NodeJS.ErrnoException));
  }
}

function usageMessage(err: NodeJS.ErrnoException): string {
  const option = /'(-[^' ]+)/.exec(err.message)?.[1];
  const flag = FLAGS.find((f) => `--${f.name}` === option);
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown flag ${option ?? ''} (opencomb --help lists them all)`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${/'([^']*)'/.exec(err.message)?.[1] ?? ''}: every value follows its flag, e.g. --port 8080 (opencomb --help lists them all)`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (flag?.arg) return `${option} needs a value: ${option} ${flag.arg}`;
      if (flag) return `${option} takes no value`;
  }
  return err.message;
}

function nonEmpty(v: string): string | undefined {
  return v.trim() === '' ? undefined : v;
}

function integer(v: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (!/^\d+$/.test(v)) return undefined;
  const n = Number(v);
  return n >= min && n <= max ? n : undefined;
}

function boolean(v: string): boolean | undefined {
  return ({ '1': true, true: true, on: true, '0': false, false: false, off: false } as Record<string, boolean>)[v.toLowerCase()];
}

function oneOf<T extends string>(v: string, allowed: readonly T[]): T | undefined {
  return (allowed as readonly string[]).includes(v) ? (v as T) : undefined;
}

/** `postgres://…`, `:memory:` or an SQLite file path; any other scheme is a mistake, not a file name. */
function dbLocation(v: string): string | undefined {
  if (v === ':memory:') return v;
  if (/^postgres(ql)?:\/\//.test(v)) {
    try {
      return new URL(v).hostname ? v : undefined;
    } catch {
      return undefined;
    }
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(v) && !/^[A-Za-z]:[\\/]/.test(v)) return undefined;
  return nonEmpty(v);
}

/** `redis://…` or `rediss://…` with a host. */
function redisLocation(v: string): string | undefined {
  if (!/^rediss?:\/\//.test(v)) return undefined;
  try {
    return new URL(v).hostname ? v : undefined;
  } catch {
    return undefined;
  }
}
