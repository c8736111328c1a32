/** `comb login`: checks an Access Key pair against the server, then saves it as a profile (mode 0600). */
import type { Command } from 'commander';
import { OpencombClient } from '../client/index.ts';
import { configPath, DEFAULT_ENDPOINT, readConfig, writeConfig } from './config.ts';
import { act } from './context.ts';
import { UsageError } from './output.ts';

export function loginCommand(program: Command): void {
  program.command('login').description(`check an Access Key pair and save it as a profile in ${configPath().replace(process.env.HOME ?? '\0', '~')}`)
    .option('--app-key <key>', 'Access Key (default COMB_APP_KEY)').option('--app-secret <secret>', 'Access Secret (default COMB_APP_SECRET)')
    .option('--operator-token <token>', 'operator token for comb admin (default COMB_OPERATOR_TOKEN)')
    .action(act(async (ctx, _args, flags) => {
      const appKey = flags.appKey ?? process.env.COMB_APP_KEY;
      const appSecret = flags.appSecret ?? process.env.COMB_APP_SECRET;
      if (!appKey || !appSecret) throw new UsageError('give --app-key and --app-secret (or COMB_APP_KEY and COMB_APP_SECRET)');
      const name = flags.profile ?? process.env.COMB_PROFILE ?? 'default';
      const config = readConfig();
      const endpoint = (flags.endpoint ?? process.env.COMB_ENDPOINT ?? config.profiles[name]?.endpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
      await new OpencombClient({ endpoint }).createToken({ app_key: appKey, app_secret: appSecret });
      const operatorToken = flags.operatorToken ?? process.env.COMB_OPERATOR_TOKEN;
      config.profiles[name] = { endpoint, app_key: appKey, app_secret: appSecret, ...(operatorToken ? { operator_token: operatorToken } : {}) };
      config.current = name;
      writeConfig(config);
      ctx.out.done(`logged in to ${endpoint} as ${appKey} (profile ${name}, saved in ${configPath()})`, { profile: name, endpoint, app_key: appKey, file: configPath() });
    }));
}
