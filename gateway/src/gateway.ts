/**
 * The composition root: builds one gateway's shared services — the log and its tail, the token
 * checks, connection limits, counters, the one way into the log, fan-out, replay, admission and
 * the client protocol — and hands each part only what it needs, then serves Express routes and
 * the WebSocket endpoint on one HTTP server. Nothing else constructs these services.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { CloseCode, type Cursor } from '../../protocol/index.ts';
import { Admission } from './admission.ts';
import { Authenticator } from './auth.ts';
import { Clients } from './clients.ts';
import { makeConfig, type Config } from './config.ts';
import { Decoder } from './decode.ts';
import { History } from './history.ts';
import { Hub } from './hub.ts';
import { auditRoute } from './ingest/audit.ts';
import { ingestRouter } from './ingest/http.ts';
import { PubSubBridge } from './ingest/pubsub.ts';
import { LogWriter } from './ingest/writer.ts';
import { ConnectionLimits, httpRateLimit } from './limits.ts';
import type { EventLog } from './log/log.ts';
import { MemoryLog } from './log/memory.ts';
import { RedisLog } from './log/redis.ts';
import { createLogger, type Logger } from './logger.ts';
import { Metrics } from './metrics/metrics.ts';
import { metricsRoutes } from './metrics/routes.ts';
import { DeliveryStats, SampleWindow } from './metrics/stats.ts';
import { DEFAULT_THRESHOLDS } from './monitor/checks.ts';
import { Monitor } from './monitor/monitor.ts';
import { monitorRoute, registerCheckLevels } from './monitor/routes.ts';
import { corsMiddleware } from './origins.ts';
import { RecentEvents } from './recent.ts';
import { Replayer } from './replay.ts';
import { VersionHealth } from './rollout/health.ts';
import { rolloutRoutes } from './rollout/routes.ts';
import { Rollout } from './rollout/service.ts';
import { openRolloutStore } from './rollout/store.ts';
import { Tail } from './tail.ts';
import { loadRedisTls, loadTls } from './tls.ts';
import { historyHandler, HISTORY_PATH } from './transports/history.ts';
import { pollHandler, POLL_PATH } from './transports/poll.ts';
import { sseHandler, SSE_PATH } from './transports/sse.ts';
import { attachWebSocket } from './transports/ws.ts';

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
  /** Token checks; `auth.failures` counts refusals by reason. */
  auth: Authenticator;
  /** Connection and rate limits; `limits.refused` counts refusals by limit. */
  limits: ConnectionLimits;
  /** Delivery counters (events in and out, replays, lagging closes, latency). */
  stats: DeliveryStats;
  /** The one way into the log (validation, dedupe, dead letters) and its counters. */
  writer: LogWriter;
  /** The gateway's own checks and the alerts they raised. */
  monitor: Monitor;
  /** Which widget version each location loads, and the judge of the candidate. */
  rollout: Rollout;
  /** The widgets' telemetry counters per version. */
  versionHealth: VersionHealth;
  /** Validates a publisher envelope and appends it to the log. */
  append(envelope: unknown): Promise<Cursor>;
  /** Graceful stop: no new connections, clients told to reconnect elsewhere, store closed. */
  close(): Promise<void>;
}

export async function startGateway(overrides: Partial<Config> = {}, logger?: Logger): Promise<Gateway> {
  const config = makeConfig(overrides);
  const tls = loadTls(config); // before anything starts: a bad certificate stops here
  const redisTls = loadRedisTls(config);
  logger ??= createLogger(config.LOG_LEVEL);
  // First, as it refuses an untrustworthy configuration before anything is opened.
  const auth = new Authenticator(config, logger);
  const log = await openLog(config, logger, redisTls);

  const limits = new ConnectionLimits(config);
  const stats = new DeliveryStats();
  const writer = new LogWriter(log, logger, config.DEDUPE_TTL_S, config.MAX_FRAME_BYTES);
  const decoder = new Decoder(config.MAX_FRAME_BYTES);
  const recent = new RecentEvents(config.REPLAY_MEMORY_EVENTS);
  const hub = new Hub({
    decoder,
    recent,
    stats,
    rejectEntry: (entry, reason) => void writer.deadLetter('stream', entry, reason, { entry: entry.id }),
  });
  const replayer = new Replayer({ config, log, decoder, recent, stats, logger });
  const history = new History({ log, decoder });
  const admission = new Admission(limits, logger);
  const clients = new Clients({ config, auth, admission, limits, hub, replayer, history, stats, logger });

  const tail = new Tail(log, (entries) => hub.fanOut(entries), logger, {
    count: config.TAIL_COUNT,
    blockMs: config.TAIL_BLOCK_MS,
    // What this gateway holds of a wiped log is void; its sessions resume and learn recovered:false.
    onReplaced: () => {
      decoder.clear();
      recent.clear();
      hub.position = undefined;
      hub.closeAll(CloseCode.Lagging, () => 'the event log was replaced: resume from your last cursor');
    },
  });
  tail.start();
  const trimTimer = setInterval(() => {
    log.trim().catch((error: Error) => logger.warn({ err: error.message }, 'retention trim failed'));
  }, config.RETENTION_TRIM_INTERVAL_MS);
  trimTimer.unref();

  const metrics = new Metrics({ stats, ingest: writer.stats, sessions: hub.sessions, log, authFailures: auth.failures, limitRefusals: limits.refused });
  const bridge =
    config.REDIS_URL && config.PUBSUB_BRIDGE
      ? new PubSubBridge(writer, logger, { url: config.REDIS_URL, prefix: config.PUBSUB_PREFIX, maxBytes: config.MAX_FRAME_BYTES, tls: redisTls })
      : undefined;
  await bridge?.start().catch((error: Error) => logger.warn({ err: error.message }, 'pub/sub bridge not subscribed yet; will keep trying'));
  const httpTimes = new SampleWindow(2_048);
  const thresholds = { ...DEFAULT_THRESHOLDS, ...config.MONITOR_THRESHOLDS };
  const monitor = new Monitor({
    gatewayId: metrics.gatewayId,
    intervalMs: config.MONITOR_INTERVAL_MS,
    thresholds,
    hysteresis: config.MONITOR_HYSTERESIS,
    diskPath: config.MONITOR_DISK_PATH ?? process.cwd(),
    stats,
    ingest: writer.stats,
    http: httpTimes,
    log,
    append: (envelope) => writer.appendOwn(envelope),
    broadcast: (envelope) => hub.broadcast(envelope),
    logger,
  });
  monitor.start();
  registerCheckLevels(metrics.registry, monitor);
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

  const versionHealth = new VersionHealth();
  versionHealth.register(metrics.registry);
  const rollout = new Rollout({
    config,
    store: openRolloutStore(config),
    health: versionHealth,
    logger,
    appendOnce: (envelope) => writer.appendOwnOnce(envelope),
  });
  await rollout.start();

  const app = express();
  app.disable('x-powered-by');
  // Response times of the routes that answer at once (a stream or a held poll is not slow).
  app.use((req, res, next) => {
    if (req.path === SSE_PATH || req.path === POLL_PATH) return next();
    const start = performance.now();
    res.on('finish', () => httpTimes.add(performance.now() - start, Date.now()));
    next();
  });
  // Every /v1 route answers browsers of allowed origins only, within the HTTP rate limit.
  app.use('/v1', corsMiddleware(config), httpRateLimit(config, () => limits.refused.http++));
  app.use(auditRoute({ verify: (token, origin) => auth.authenticate(token, { origin }), append: (envelope) => writer.appendOwn(envelope) }));
  app.get(SSE_PATH, sseHandler({ config, clients, limits }));
  app.get(POLL_PATH, pollHandler({ clients, hub }));
  app.get(HISTORY_PATH, historyHandler({ clients, history, logger }));
  app.use(ingestRouter(config, writer, logger));
  app.use(metricsRoutes({ metrics, auth, log, tail, versions: () => versionHealth.summary() }));
  app.use(monitorRoute({ monitor, thresholds, intervalMs: config.MONITOR_INTERVAL_MS, auth }));
  app.use(rolloutRoutes({ config, auth, rollout, health: versionHealth, onRateLimited: () => limits.refused.http++ }));

  const server = tls ? createTlsServer(tls, app) : createServer(app);
  const wss = attachWebSocket(server, { config, clients, limits, logger });
  async function stop(): Promise<void> {
    clearInterval(trimTimer);
    clearInterval(healthTimer);
    monitor.close();
    server.close();
    clients.shutdown(config.SHUTDOWN_RETRY_MAX_MS);
    wss.close();
    await tail.stop().catch(() => {});
    await bridge?.close();
    metrics.close();
    await rollout.stop();
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
  const url = `${tls ? 'https' : 'http'}://${host}:${port}`;

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
    auth,
    limits,
    stats,
    writer,
    monitor,
    rollout,
    versionHealth,
    append: (envelope) => writer.append(envelope),
    close() {
      closing ??= stop();
      return closing;
    },
  };
}

/** The Redis Stream when REDIS_URL is set, else the in-memory log; a Redis still away is retried, not fatal. */
async function openLog(config: Config, logger: Logger, tls: { ca: Buffer } | undefined): Promise<EventLog> {
  const retention = { maxLen: config.RETENTION_MAXLEN, maxAgeMs: config.RETENTION_MAX_AGE_MS };
  if (!config.REDIS_URL) return new MemoryLog(retention);
  // Each distinct connection error once (a wrong CA, a refused port), not once per retry.
  let lastError: string | undefined;
  const onError = (error: Error) => {
    if (error.message !== lastError) logger.error({ err: error.message }, 'redis connection failed');
    lastError = error.message;
  };
  const breaker = {
    failures: config.REDIS_BREAKER_FAILURES,
    cooldownMs: config.REDIS_BREAKER_COOLDOWN_MS,
    onChange: (state: string, cause?: string) => logger.warn({ state, cause }, `redis circuit breaker ${state}`),
  };
  const log = new RedisLog({
    ...{ url: config.REDIS_URL, streamKey: config.STREAM_KEY, deadLetterKey: config.DEAD_LETTER_KEY, retention, tls, onError },
    ...{ breaker, commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS },
  });
  log.redis.on('ready', () => (lastError = undefined));
  await log.ready().catch((error: Error) => logger.warn({ err: error.message }, 'redis not reachable yet; will keep trying'));
  return log;
}
