/**
 * The server's logger: JSON lines by default, readable lines with `--log-format pretty` (the default on a
 * terminal). Secrets never reach a log line at any level: fields that carry them are censored by name, and
 * a URL's query is kept as its parameter names only (a client may put anything in it).
 */
import { pino, type Logger, type LoggerOptions } from 'pino';
import { createRequire } from 'node:module';
import type PinoPretty from 'pino-pretty';
import type { Config } from './config.ts';

const CENSOR = '[redacted]';

/** Field names that carry secrets, at the top of a log object and one level down (e.g. `req.headers`). */
const SECRET_FIELDS = ['authorization', 'cookie', 'app_secret', 'access_secret', 'secret', 'token', 'password', 'private_key', 'master_key', 'query', 'search'];
const REDACT_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${f}`),
  ...SECRET_FIELDS.map((f) => `*.headers.${f}`),
];

/** `/a/b?key=value&k2=v2` → `/a/b?key=[redacted]&k2=[redacted]`: the shape stays readable, the values do not. */
export function redactQuery(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const names = url.slice(q + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    return eq === -1 ? CENSOR : `${pair.slice(0, eq)}=${CENSOR}`;
  });
  return `${url.slice(0, q)}?${names.join('&')}`;
}

export function loggerOptions(level: Config['logLevel']): LoggerOptions {
  return {
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: CENSOR },
    formatters: {
      // Any field holding a URL or a request target keeps its path and loses its query values.
      log(object) {
        for (const key of ['url', 'path', 'target', 'href']) {
          if (typeof object[key] === 'string') object[key] = redactQuery(object[key] as string);
        }
        return object;
      },
    },
  };
}

export function createLogger(config: Pick<Config, 'logLevel' | 'logFormat'>): Logger {
  const options = loggerOptions(config.logLevel);
  if (config.logFormat === 'json') return pino(options);
  // Loaded only for this format (it costs a tenth of a second of start-up).
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
  // Synchronous, so the last lines before an exit are not lost; one line per entry, like the JSON form.
  return pino(options, pretty({ sync: true, singleLine: true, colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }));
}
