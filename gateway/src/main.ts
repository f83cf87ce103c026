/**
 * `npm run gateway` / `npm start`: configuration from the environment, graceful stop on SIGTERM.
 * `--demo` adds the demo publisher and the demo page, with a throwaway secret when none is set.
 */
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from './config.ts';
import { startGateway } from './gateway.ts';
import { createLogger } from './logger.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig({ ...process.env, ...(process.argv.includes('--demo') ? { DEMO: 'true' } : {}) });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`leadwire gateway: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  if (config.DEMO && !config.AUTH_SECRET) config.AUTH_SECRET = randomBytes(32).toString('hex');
  const gateway = await startGateway(config, logger);
  const demo = config.DEMO ? await (await import('../../demo/server.ts')).installDemo(gateway) : undefined;
  logger.info({ url: gateway.url, log: gateway.log.kind }, 'gateway listening');
  console.log(`\n  Leadwire gateway on ${gateway.url}  (${gateway.log.kind === 'redis' ? 'Redis ' + config.STREAM_KEY : 'in-memory log'})\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await demo?.stop();
    await gateway.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

await main();
