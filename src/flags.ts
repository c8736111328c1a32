/**
 * Every setting a person can give at start: its flag, its environment variable, its default and the form it
 * accepts. `--help` is printed from this list, `config.ts` reads and checks values by it, and a test holds
 * the README's table to it.
 */
export interface Flag {
  /** Without the leading `--`; empty for settings read from the environment only (secrets stay off `ps`). */
  name: string;
  env?: string;
  /** Placeholder of the value in `--help`; absent for a switch. */
  arg?: string;
  default: string;
  /** The accepted form, quoted in the one-line answer to a bad value ("--port must be <accepts>, got …"). */
  accepts: string;
  help: string;
}

export const FLAGS: Flag[] = [
  { name: 'host', env: 'OPENCOMB_HOST', arg: 'ADDRESS', default: '127.0.0.1', accepts: 'an address to listen on, e.g. 0.0.0.0', help: 'listen address' },
  { name: 'port', env: 'PORT', arg: 'PORT', default: '8163', accepts: 'an integer from 0 to 65535', help: '0 picks a free port (printed)' },
  { name: 'data', env: 'OPENCOMB_DATA', arg: 'DIR', default: './.opencomb', accepts: 'a writable directory', help: 'SQLite file and the master key' },
  {
    name: 'db', env: 'OPENCOMB_DB', arg: 'URL|FILE', default: '<data>/opencomb.db',
    accepts: 'postgres://USER@HOST:PORT/DATABASE, :memory: or an SQLite file path',
    help: 'postgres://… selects PostgreSQL; :memory: keeps everything in memory and writes nothing to disk (the CI mode)',
  },
  {
    name: 'redis', env: 'OPENCOMB_REDIS', arg: 'URL', default: '–', accepts: 'redis://[USER:PASSWORD@]HOST:PORT[/DB] (or rediss://)',
    help: 'shared rate limits, clock and operator state: with a postgres:// --db, any number of replicas (docs/deploy.md)',
  },
  { name: '', env: 'OPENCOMB_REDIS_PREFIX', default: 'opencomb:', accepts: '', help: 'prefix of every Redis key and channel (several deployments on one Redis)' },
  { name: 'tls-cert', env: 'OPENCOMB_TLS_CERT', arg: 'FILE', default: '–', accepts: 'a PEM certificate file', help: 'serve HTTPS (with --tls-key)' },
  { name: 'tls-key', env: 'OPENCOMB_TLS_KEY', arg: 'FILE', default: '–', accepts: 'a PEM private key file', help: 'serve HTTPS (with --tls-cert)' },
  { name: 'fault-injection', env: 'OPENCOMB_FAULT_INJECTION', default: 'off', accepts: '1 or 0 (true/false, on/off)', help: 'honour X-Opencomb-Fault: <code>' },
  { name: 'rate-user', env: 'OPENCOMB_RATE_USER', arg: 'N', default: '300', accepts: 'a non-negative integer (0 = off)', help: 'requests per second per user' },
  { name: 'rate-private-key', env: 'OPENCOMB_RATE_PRIVATE_KEY', arg: 'N', default: '300', accepts: 'a non-negative integer (0 = off)', help: 'requests per second per user to GET /api/v1/secret-keys/{id}' },
  { name: 'rate-ip', env: 'OPENCOMB_RATE_IP', arg: 'N', default: '20', accepts: 'a non-negative integer (0 = off)', help: 'requests per second per client IP to public endpoints' },
  { name: 'client-timeout-ms', env: 'OPENCOMB_CLIENT_TIMEOUT_MS', arg: 'MS', default: '30000', accepts: 'a positive integer (milliseconds)', help: 'time a client has to send headers and body (4080001 after)' },
  { name: 'log-level', env: 'OPENCOMB_LOG_LEVEL', arg: 'LEVEL', default: 'info', accepts: 'one of fatal, error, warn, info, debug, trace, silent', help: 'info logs one line per request' },
  { name: 'log-format', env: 'OPENCOMB_LOG_FORMAT', arg: 'FORMAT', default: 'json (pretty on a terminal)', accepts: 'json or pretty', help: 'log lines as JSON objects or readable text' },
  { name: 'registry-host', env: 'OPENCOMB_REGISTRY_HOST', arg: 'HOST', default: 'hub.c.163.com', accepts: 'a host name, optionally with :PORT', help: 'host in image addresses (download_url, image_path)' },
  { name: 'help', default: '', accepts: '', help: 'print this help and exit' },
  { name: 'version', default: '', accepts: '', help: 'print the version and exit' },
  { name: '', env: 'OPENCOMB_ACCESS_KEY', default: '–', accepts: '', help: 'with OPENCOMB_ACCESS_SECRET: make sure this pair exists at start' },
  { name: '', env: 'OPENCOMB_ACCESS_SECRET', default: '–', accepts: '', help: 'the secret of that pair' },
  { name: '', env: 'OPENCOMB_USER', default: 'admin', accepts: '', help: 'the user who owns that pair' },
  { name: '', env: 'OPENCOMB_OPERATOR_TOKEN', default: '–', accepts: '', help: 'guards /_opencomb/* (open when unset)' },
  { name: '', env: 'OPENCOMB_MASTER_KEY', default: '<data>/master.key', accepts: '', help: '64 hex characters; seals secrets at rest' },
];

/** `opencomb --help`: every flag with its variable and default, then the variables that have no flag. */
export function helpText(version: string): string {
  const left = (f: Flag) => `--${f.name}${f.arg ? ` ${f.arg}` : ''}`;
  const withFlag = FLAGS.filter((f) => f.name);
  const envOnly = FLAGS.filter((f) => !f.name);
  const width = Math.max(...withFlag.map((f) => left(f).length), ...envOnly.map((f) => f.env!.length)) + 2;
  const line = (head: string, f: Flag) => {
    const details = [f.env && f.name ? `env ${f.env}` : '', f.default ? `default ${f.default}` : ''].filter(Boolean).join(', ');
    return `  ${head.padEnd(width)}${f.help}${details ? ` (${details})` : ''}`;
  };
  return [
    `opencomb ${version}: a server for the CloudComb (蜂巢) OpenAPI`,
    '',
    'Usage: opencomb [flags]        (from a clone: npm start -- [flags])',
    '',
    'Flags (a flag wins over its environment variable):',
    ...withFlag.map((f) => line(left(f), f)),
    '',
    'Environment only:',
    ...envOnly.map((f) => line(f.env!, f)),
    '',
    'Exit codes: 0 after a clean shutdown (SIGTERM, SIGINT), 2 for a bad flag or setting, 1 for any other failure.',
    '',
  ].join('\n');
}
