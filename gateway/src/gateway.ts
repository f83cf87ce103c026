/**
 * Wires one gateway: the log (Redis Stream or in-memory), its tail, the hub, and one HTTP
 * server carrying Express routes and the WebSocket endpoint on the same port.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import type { Cursor } from '../../protocol/index.ts';
import { makeConfig, type Config } from './config.ts';
import { Hub } from './hub.ts';
import { MemoryLog } from './log/memory.ts';
import { RedisLog } from './log/redis.ts';
import type { EventLog } from './log/log.ts';
import { createLogger, type Logger } from './logger.ts';
import { Tail } from './tail.ts';
import { attachWebSocket } from './transports/ws.ts';
import { sseHandler, SSE_PATH } from './transports/sse.ts';
import { pollHandler, POLL_PATH } from './transports/poll.ts';
import { ingestRouter } from './ingest/http.ts';
import { PubSubBridge } from './ingest/pubsub.ts';
import { Metrics } from './metrics/metrics.ts';
import { metricsRoutes } from './metrics/routes.ts';
import { auditRoute } from './ingest/audit.ts';
import { LogWriter } from './ingest/writer.ts';
import { corsMiddleware } from './origins.ts';
import { httpRateLimit } from './limits.ts';

export interface Gateway {
  url: string;
  port: number;
  config: Config;
  app: Express;
  server: Server;
  hub: Hub;
  log: EventLog;
  tail: Tail;
  logger: Logger;
  metrics: Metrics;
  /** The one way into the log (validation, dedupe, dead letters) and its counters. */
  writer: LogWriter;
  /** Validates a publisher envelope and appends it to the log. */
  append(envelope: unknown): Promise<Cursor>;
  /** Graceful stop: no new connections, clients told to reconnect elsewhere, store closed. */
  close(): Promise<void>;
}

export async function startGateway(overrides: Partial<Config> = {}, logger?: Logger): Promise<Gateway> {
  const config = makeConfig(overrides);
  logger ??= createLogger(config.LOG_LEVEL);
  const retention = { maxLen: config.RETENTION_MAXLEN, maxAgeMs: config.RETENTION_MAX_AGE_MS };
  const log: EventLog = config.REDIS_URL
    ? new RedisLog({ url: config.REDIS_URL, streamKey: config.STREAM_KEY, deadLetterKey: config.DEAD_LETTER_KEY, retention })
    : new MemoryLog(retention);
  if (log instanceof RedisLog) {
    await log.ready().catch((error: Error) => logger.warn({ err: error.message }, 'redis not reachable yet; will keep trying'));
  }

  const writer = new LogWriter(log, logger, config.DEDUPE_TTL_S);
  const hub = new Hub(config, log, logger, (entry, reason) => void writer.deadLetter('stream', entry, reason, { entry: entry.id }));
  const tail = new Tail(log, (entries) => hub.ingest(entries), logger, { count: config.TAIL_COUNT, blockMs: config.TAIL_BLOCK_MS });
  tail.start();
  const trimTimer = setInterval(() => {
    log.trim().catch((error: Error) => logger.warn({ err: error.message }, 'retention trim failed'));
  }, config.RETENTION_TRIM_INTERVAL_MS);
  trimTimer.unref();

  const metrics = new Metrics({ stats: hub.stats, ingest: writer.stats, sessions: hub.sessions, log, authFailures: hub.auth.failures, limitRefusals: hub.limits.refused });
  const bridge =
    config.REDIS_URL && config.PUBSUB_BRIDGE
      ? new PubSubBridge(writer, logger, { url: config.REDIS_URL, prefix: config.PUBSUB_PREFIX, maxBytes: config.MAX_FRAME_BYTES })
      : undefined;
  await bridge?.start().catch((error: Error) => logger.warn({ err: error.message }, 'pub/sub bridge not subscribed yet; will keep trying'));
  const healthTimer =
    config.METRICS_HEALTH_INTERVAL_MS > 0
      ? setInterval(() => {
          metrics
            .healthEvent()
            .then((event) => writer.appendOwn(event))
            .catch((error: Error) => logger.warn({ err: error.message }, 'system.health event not written'));
        }, config.METRICS_HEALTH_INTERVAL_MS)
      : undefined;
  healthTimer?.unref();

  const app = express();
  app.disable('x-powered-by');
  // Every /v1 route answers browsers of allowed origins only, within the HTTP rate limit.
  app.use('/v1', corsMiddleware(config), httpRateLimit(config, () => hub.limits.refused.http++));
  app.use(auditRoute({ verify: (token, origin) => hub.auth.authenticate(token, { origin }), append: (envelope) => writer.appendOwn(envelope) }));
  app.get(SSE_PATH, sseHandler(hub, config));
  app.get(POLL_PATH, pollHandler(hub));
  app.use(ingestRouter(config, writer, logger));
  app.use(metricsRoutes({ metrics, auth: hub.auth, log, tail }));

  const server = createServer(app);
  const wss = attachWebSocket(server, hub, config, logger);
  async function stop(): Promise<void> {
    clearInterval(trimTimer);
    clearInterval(healthTimer);
    server.close();
    hub.closeAll(config.SHUTDOWN_RETRY_MAX_MS);
    wss.close();
    await tail.stop().catch(() => {});
    await bridge?.close();
    metrics.close();
    await log.close();
    server.closeAllConnections();
  }

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.PORT, config.HOST, () => resolve());
    });
  } catch (error) {
    // A port in use must not leave a tail, timers and Redis connections running.
    await stop();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  const url = `http://${host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    config,
    app,
    server,
    hub,
    log,
    tail,
    logger,
    metrics,
    writer,
    append: (envelope) => writer.append(envelope),
    close() {
      closing ??= stop();
      return closing;
    },
  };
}
