import { createApp } from './app';
import { startBanner } from './banner';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';

// Entry point for `npm start`: validate the environment, build the app, listen, and shut down
// cleanly on SIGINT/SIGTERM.
async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = createLogger(config);
  const app = await createApp(config, { logger });
  const { url } = await app.listen();
  logger.info(
    { url, database: config.database.kind, media: config.media.listenIps },
    'Livedesk is listening',
  );
  console.log(startBanner(config, url, app.demoLogins));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  console.error('Livedesk failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
