#!/usr/bin/env -S node --max-semi-space-size=8
/**
 * `opencomb [flags]` (`npm start -- [flags]`, `npx opencomb`): reads flags and environment, starts the server,
 * logs the start-up lines, and stops cleanly on SIGTERM/SIGINT. `opencomb --help` lists every flag.
 */
import { configFromArgs, UsageError } from './config.ts';
import { helpText } from './flags.ts';
import { startServer, VERSION } from './app.ts';
import { createLogger } from './logging.ts';
import { checkFiles, explainStartFailure } from './startup.ts';

async function main(): Promise<void> {
  const invocation = configFromArgs(process.argv.slice(2), process.env, process.stdout.isTTY === true);
  if (invocation.action === 'help') return void process.stdout.write(helpText(VERSION));
  if (invocation.action === 'version') return void process.stdout.write(`opencomb ${VERSION}\n`);
  const { config } = invocation;
  checkFiles(config, process.env);
  const log = createLogger(config);
  const server = await startServer(config, log).catch((err: unknown) => {
    throw explainStartFailure(err, config) ?? err;
  });
  // The start-up lines are shown at any level: the generated pair is printed only once, and with --port 0
  // the line is the only way to learn the port. Tools read the URL up to the first space.
  const startup = log.child({}, { level: 'info' });
  if (server.bootstrap.created) {
    const c = server.bootstrap.created;
    // The secret is not stored in clear anywhere: this line is the only copy.
    startup.info(`created user ${c.user_name}: OPENCOMB_ACCESS_KEY=${c.app_key} OPENCOMB_ACCESS_SECRET=${c.app_secret}`);
  }
  startup.info(`listening on ${server.url} (store ${server.services.store.where})`);
  const stop = (signal: string) => {
    startup.info({ signal }, 'shutting down');
    server.close().then(() => process.exit(0), (err: unknown) => {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

function fail(err: unknown): never {
  if (err instanceof UsageError) {
    process.stderr.write(`opencomb: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`opencomb failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
}

main().catch((err: unknown) => fail(err));
