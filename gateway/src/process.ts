/**
 * Runs one gateway as a process: configuration from the environment (a bad value stops it with
 * exit code 2 and a message naming the variable), the URL printed once listening, and a graceful
 * stop on SIGTERM/SIGINT. `npm run gateway` runs it as is; programs built on the gateway (the
 * demo) pass hooks to adjust the configuration and to add their own parts.
 */
import { ConfigError, loadConfig, type Config } from './config.ts';
import { startGateway, type Gateway } from './gateway.ts';
import { createLogger } from './logger.ts';

export interface ProcessHooks {
  /** Adjusts the configuration read from the environment before the gateway starts. */
  configure?(config: Config): void;
  /** Called once the gateway listens; what it returns is stopped before the gateway on exit. */
  started?(gateway: Gateway): Promise<{ stop(): Promise<void> } | void>;
}

export async function runGateway(env: Record<string, string | undefined>, hooks: ProcessHooks = {}): Promise<Gateway> {
  const refuse = (error: unknown): never => {
    if (error instanceof ConfigError) {
      console.error(`leadwire gateway: ${error.message}`);
      process.exit(2);
    }
    throw error;
  };
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    return refuse(error);
  }
  hooks.configure?.(config);
  const logger = createLogger(config.LOG_LEVEL);
  const gateway = await startGateway(config, logger).catch(refuse);
  const extra = (await hooks.started?.(gateway)) ?? undefined;
  logger.info({ url: gateway.url, log: gateway.log.kind }, 'gateway listening');
  console.log(`\n  Leadwire gateway on ${gateway.url}  (${gateway.log.kind === 'redis' ? 'Redis ' + config.STREAM_KEY : 'in-memory log'})\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await extra?.stop();
    await gateway.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  return gateway;
}
