/**
 * Where `comb` finds its server and credentials: flags, then `COMB_*` variables, then the profile saved by
 * `comb login` in `$XDG_CONFIG_HOME/comb/config.json` (default `~/.config/comb/config.json`). The file
 * holds secrets: it is written with mode 0600 in a 0700 folder.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { UsageError } from './output.ts';

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:8163';

export interface Profile {
  endpoint?: string;
  app_key?: string;
  app_secret?: string;
  operator_token?: string;
}

export interface ConfigFile {
  /** The profile used when none is named (`--profile`, `COMB_PROFILE`). */
  current: string;
  profiles: Record<string, Profile>;
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'comb', 'config.json');
}

export function readConfig(path = configPath()): ConfigFile {
  if (!existsSync(path)) return { current: 'default', profiles: {} };
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<ConfigFile>;
    return { current: parsed.current ?? 'default', profiles: parsed.profiles ?? {} };
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as Error).message}`);
  }
}

/** Written whole to a temporary file then renamed, so a crash never leaves half a file. */
export function writeConfig(config: ConfigFile, path = configPath()): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600); // the mode of writeFileSync is masked by the umask
  renameSync(temp, path);
}

export interface Settings {
  endpoint: string;
  appKey?: string;
  appSecret?: string;
  operatorToken?: string;
  profile: string;
}

/** The settings of one run: a flag wins over its variable, a variable over the profile. */
export function resolveSettings(flags: { endpoint?: string; profile?: string }, env: NodeJS.ProcessEnv = process.env): Settings {
  const config = readConfig(configPath(env));
  const profileName = flags.profile ?? env.COMB_PROFILE ?? config.current;
  const profile = config.profiles[profileName] ?? {};
  if ((flags.profile || env.COMB_PROFILE) && !config.profiles[profileName]) throw new UsageError(`no profile ${profileName} in ${configPath(env)} (comb login --profile ${profileName})`);
  return {
    profile: profileName,
    endpoint: (flags.endpoint ?? env.COMB_ENDPOINT ?? profile.endpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, ''),
    appKey: env.COMB_APP_KEY ?? profile.app_key,
    appSecret: env.COMB_APP_SECRET ?? profile.app_secret,
    operatorToken: env.COMB_OPERATOR_TOKEN ?? profile.operator_token,
  };
}
