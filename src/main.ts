import { configFromArgs } from './config.ts';
import { startServer } from './app.ts';

/** `npm start -- [--host H] [--port P] [--data DIR] [--db URL] [--tls-cert F --tls-key F] [--fault-injection]` */
async function main(): Promise<void> {
  const config = configFromArgs(process.argv.slice(2), process.env);
  const server = await startServer(config);
  if (server.bootstrap.created) {
    const c = server.bootstrap.created;
    // Printed once, on the first start of an empty store: the secret is not stored in clear anywhere.
    process.stdout.write(`created user ${c.user_name}: OPENCOMB_ACCESS_KEY=${c.app_key} OPENCOMB_ACCESS_SECRET=${c.app_secret}\n`);
  }
  process.stdout.write(`listening on ${server.url} (store ${server.services.store.where})\n`);
  const stop = (signal: string) => {
    server.services.log.info({ signal }, 'shutting down');
    server.close().then(() => process.exit(0), (err) => {
      server.services.log.error({ err }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`opencomb failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
