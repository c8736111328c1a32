/**
 * Start-up checks that need the file system, and the translation of a failed start into one line a person
 * can act on. Both end in a `UsageError` (exit code 2): the setting is wrong, not the server.
 */
import { accessSync, constants, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError, type Config } from './config.ts';
import { RedisUnreachable } from './cluster/redis.ts';
import { AnotherProcess } from './store/locks.ts';

const isPostgres = (db: string | undefined): db is string => db !== undefined && /^postgres(ql)?:\/\//.test(db);

/** Fails fast, with the path, when a directory the server will write to cannot be written. */
export function checkFiles(config: Config, env: NodeJS.ProcessEnv): void {
  if (config.db === ':memory:') return; // the CI mode writes nothing to disk
  const sqliteFile = isPostgres(config.db) ? undefined : (config.db ?? join(config.dataDir, 'opencomb.db'));
  if (!env.OPENCOMB_MASTER_KEY || config.db === undefined) checkWritableDir(config.dataDir, '--data');
  if (sqliteFile && config.db !== undefined) checkWritableDir(dirname(sqliteFile), '--db');
  for (const [flag, file] of [['--tls-cert', config.tlsCert], ['--tls-key', config.tlsKey]] as const) {
    if (file === undefined) continue;
    try {
      accessSync(file, constants.R_OK);
    } catch (err) {
      throw new UsageError(`${flag} ${file}: cannot read the file (${(err as NodeJS.ErrnoException).code})`);
    }
  }
}

function checkWritableDir(dir: string, flag: string): void {
  const shown = resolve(dir);
  let isDir: boolean | undefined;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // absent: created below
  }
  if (isDir === false) throw new UsageError(`${flag} ${shown} is not a directory: give a directory the server may write to`);
  try {
    mkdirSync(dir, { recursive: true });
    // A real write: permission bits say nothing for root, a read-only mount or a full disk.
    const probe = join(dir, `.opencomb-write-check-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (err) {
    throw new UsageError(`${flag} ${shown} is not writable (${(err as NodeJS.ErrnoException).code}): give a directory the server may write to`);
  }
}

/** The one line for a start that failed because of a setting, or undefined when the failure is ours. */
export function explainStartFailure(err: unknown, config: Config): UsageError | undefined {
  for (let e = err as (NodeJS.ErrnoException & { hostname?: string; port?: number }) | undefined; e; e = e.cause as typeof e) {
    if (e instanceof UsageError) return e;
    if (e.syscall === 'listen' || (e.syscall === 'getaddrinfo' && e.hostname === config.host)) {
      if (e.code === 'EADDRINUSE') return new UsageError(`--port ${config.port}: the port is already in use on ${config.host} (choose another, or 0 for a free one)`);
      if (e.code === 'EACCES') return new UsageError(`--port ${config.port}: permission denied on ${config.host} (ports below 1024 need privileges)`);
      return new UsageError(`--host ${config.host}: cannot listen on this address (${e.code}); use an address of this machine, e.g. 127.0.0.1 or 0.0.0.0`);
    }
    if (isPostgres(config.db)) {
      const url = new URL(config.db);
      url.password = '';
      const where = `--db ${url.toString()}`;
      const database = decodeURIComponent(url.pathname.slice(1)) || url.username || 'postgres';
      if (e.code === 'ECONNREFUSED' || e.code === 'ETIMEDOUT' || e.code === 'EHOSTUNREACH') {
        return new UsageError(`${where}: no PostgreSQL answers at ${url.host} (${e.code}); start it, or check host and port`);
      }
      if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return new UsageError(`${where}: unknown host ${url.hostname}`);
      if (e.code === '3D000') {
        return new UsageError(`${where}: database "${database}" does not exist; create it first: createdb -h ${url.hostname} -p ${url.port || 5432} -U ${url.username || 'postgres'} ${database}`);
      }
      if (e instanceof AnotherProcess) return new UsageError(`${where}: another opencomb process serves this database; several replicas need --redis too (docs/deploy.md)`);
      if (e.code === '28P01' || e.code === '28000') return new UsageError(`${where}: PostgreSQL refused the login (${e.message}); check the user and password in the URL`);
    } else if (e.code === 'SQLITE_BUSY') {
      const file = resolve(config.db ?? join(config.dataDir, 'opencomb.db'));
      return new UsageError(`${config.db ? '--db' : '--data'} ${file}: another opencomb process is using this SQLite store; stop it first (several replicas need --db postgres://… and --redis: docs/deploy.md)`);
    } else if (e.code === 'SQLITE_CANTOPEN' || e.code === 'SQLITE_NOTADB') {
      const file = resolve(config.db ?? join(config.dataDir, 'opencomb.db'));
      return new UsageError(`${config.db ? '--db' : '--data'} ${file}: ${e.code === 'SQLITE_NOTADB' ? 'not an SQLite database' : 'cannot open the SQLite file'}`);
    }
    if (e instanceof RedisUnreachable && config.redis) {
      const url = new URL(config.redis);
      url.password = '';
      return new UsageError(`--redis ${url.toString()}: ${e.message}; start it, or check host and port`);
    }
    if (typeof e.code === 'string' && e.code.startsWith('ERR_OSSL')) {
      return new UsageError(`--tls-cert/--tls-key: not a usable PEM certificate and key (${e.message})`);
    }
  }
  return undefined;
}
