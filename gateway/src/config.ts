/**
 * Configuration from the environment, validated once at start-up. A bad value stops the
 * gateway with a message that names the variable and what is wrong with it.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { z } from 'zod';
import { thresholdsSchema } from './monitor/checks.ts';
import { checkOrigins, isLoopback } from './origins.ts';

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);
const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

export const configSchema = z.object({
  PORT: int(0, 65_535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Unset → the embedded in-memory log (demo, quick starts). */
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' })
    .optional(),
  /** PEM CA certificate(s) to trust for a `rediss://` REDIS_URL (a private CA); unset = the system's CAs. */
  REDIS_TLS_CA_FILE: z.string().min(1).optional(),
  /** Consecutive Redis failures (refused, timed out) that open the circuit breaker. */
  REDIS_BREAKER_FAILURES: int(1, 10_000).default(5),
  /** How long the open breaker refuses calls before one probe may close it. */
  REDIS_BREAKER_COOLDOWN_MS: int(100, 600_000).default(5_000),
  /** A Redis command unanswered this long fails (the tail's blocking read excepted). */
  REDIS_COMMAND_TIMEOUT_MS: int(100, 600_000).default(5_000),
  STREAM_KEY: z.string().min(1).default('leadwire:events'),
  DEAD_LETTER_KEY: z.string().min(1).default('leadwire:dead'),
  /** Retention: keep about this many entries (XTRIM MAXLEN ~). */
  RETENTION_MAXLEN: int(1_000).default(1_000_000),
  /** Retention: also drop entries older than this many ms (XTRIM MINID ~); 0 = no age bound. */
  RETENTION_MAX_AGE_MS: int(0).default(7 * 24 * 3600 * 1000),
  RETENTION_TRIM_INTERVAL_MS: int(100).default(10_000),
  /** HS256 secret for browser tokens; at least 32 characters. */
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Per-connection send buffer; a client that falls this far behind is closed as lagging. */
  SEND_BUFFER_BYTES: int(16 * 1024).default(4 * 1024 * 1024),
  /** Longest a non-critical event waits to be coalesced with others when a connection is busy. */
  BATCH_MAX_WAIT_MS: int(0, 1_000).default(10),
  /** High-priority events wait at most this long instead (critical ones never wait). */
  BATCH_HIGH_WAIT_MS: int(0, 1_000).default(5),
  /** Low-priority events may wait this long instead. */
  BATCH_LOW_WAIT_MS: int(0, 5_000).default(50),
  /**
   * Events per second a connection must receive before its non-critical events wait to be
   * coalesced; below it each event is written at once. Default: one event per window.
   */
  BATCH_BUSY_RATE: int(0, 1_000_000).optional(),
  HEARTBEAT_MS: int(1_000).default(25_000),
  MAX_FRAME_BYTES: int(256, 16 * 1024 * 1024).default(64 * 1024),
  /** How many entries one replay read fetches. */
  REPLAY_PAGE: int(10, 100_000).default(1_000),
  /** Live events buffered for a connection while its replay runs; beyond this it is lagging. */
  REPLAY_LIVE_BUFFER: int(100).default(50_000),
  /** The same bound in bytes of event JSON. */
  REPLAY_LIVE_BUFFER_BYTES: int(16 * 1024).default(16 * 1024 * 1024),
  /** Recent events held in memory per gateway, so resumes within them read no log (0 = off). */
  REPLAY_MEMORY_EVENTS: int(0, 10_000_000).default(50_000),
  /** A replaying client whose send buffer stays over half full this long is closed as lagging. */
  REPLAY_STALL_MS: int(100).default(30_000),
  TAIL_BLOCK_MS: int(10, 60_000).default(2_000),
  TAIL_COUNT: int(1, 100_000).default(1_000),
  SHUTDOWN_RETRY_MAX_MS: int(0).default(5_000),
  /** How long a closed peer gets to answer the closing handshake before its socket is dropped. */
  CLOSE_GRACE_MS: int(100, 120_000).default(2_000),
  // ---- operations (docs/gateway.md) ----------------------------------------------------------
  /** Pub/sub bridge: bots `PUBLISH <prefix>:<tenant> <envelope>`; the gateway PSUBSCRIBEs `<prefix>:*`. */
  PUBSUB_PREFIX: z.string().min(1).default('leadwire:pub'),
  /** Bridge pub/sub into the stream (Redis only). */
  PUBSUB_BRIDGE: bool.default(true),
  /** How long an envelope id is remembered to drop duplicates (pub/sub and HTTP ingest). */
  DEDUPE_TTL_S: int(1, 30 * 24 * 3600).default(24 * 3600),
  /** Keys for `POST /v1/events`, comma-separated; unset = HTTP ingest refuses everyone. */
  PUBLISHER_KEYS: z
    .string()
    .transform((v) => v.split(',').map((k) => k.trim()).filter(Boolean))
    .pipe(z.array(z.string().min(16, 'each key must be at least 16 characters')))
    .optional(),
  /** Most envelopes one `POST /v1/events` may carry. */
  INGEST_MAX_BATCH: int(1, 10_000).default(1_000),
  /** Period of the `system.health` event each gateway writes into the log; 0 = never. */
  METRICS_HEALTH_INTERVAL_MS: int(0).default(10_000),
  /** Period of the gateway's own checks (docs/gateway.md, alerts); 0 = no checks, no alerts. */
  MONITOR_INTERVAL_MS: int(0).default(5_000),
  /** Thresholds as JSON, e.g. `{"cpu":{"warn":60,"crit":80}}`; checks not named keep their defaults. */
  MONITOR_THRESHOLDS: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not JSON' });
        return z.NEVER;
      }
    })
    .pipe(thresholdsSchema)
    .optional(),
  /** A level is left once a reading is this share below its threshold (no flapping at the edge). */
  MONITOR_HYSTERESIS: z.coerce.number().min(0).max(0.5).default(0.1),
  /** Where the gateway writes; its disk use is checked. Unset: the working directory. */
  MONITOR_DISK_PATH: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** PEM certificate (chain) and private key: set both and the gateway serves https: and wss: itself. */
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),

  // ---- rollout of widget versions (docs/rollout.md) -----------------------------------------
  /** Redis key of the rollout state (with REDIS_URL), shared by every gateway and leadwire-rollout. */
  ROLLOUT_KEY: z.string().min(1).default('leadwire:rollout'),
  /** Without REDIS_URL: a JSON file holding the rollout state (unset = this process's memory). */
  ROLLOUT_FILE: z.string().min(1).optional(),
  /** Published widget versions, one directory each (a copy of components/dist); unset = none served. */
  ROLLOUT_VERSIONS_DIR: z.string().min(1).optional(),
  /** How often the gateway re-reads the rollout state and judges the candidate's health. */
  ROLLOUT_CHECK_MS: int(50, 3_600_000).default(5_000),
  /** Roll back when the candidate's failure rate exceeds the stable's by more than this (0–1). */
  ROLLOUT_MARGIN: z.coerce.number().min(0).max(1).default(0.05),
  /** Loads of the candidate reported before its health is judged. */
  ROLLOUT_MIN_SAMPLE: int(1).default(50),
  /** How often an open page asks whether its version was withdrawn. */
  ROLLOUT_RECHECK_MS: int(1_000).default(5 * 60_000),
  /** Largest telemetry report body (POST /v1/telemetry). */
  TELEMETRY_MAX_BYTES: int(256, 64 * 1024).default(2_048),
  /** Telemetry reports per minute per location (token bucket; burst = this). */
  TELEMETRY_PER_MINUTE: int(1).default(30),

  // ---- trust (docs/gateway-trust.md) -----------------------------------------------------
  /** `off` = development only: no token checks, loopback HOST required. */
  AUTH: z.enum(['on', 'off']).default('on'),
  /** JWKS for RS256/ES256 tokens (fetched on demand, cached, re-fetched on an unknown kid). */
  AUTH_JWKS_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  AUTH_JWKS_CACHE_MS: int(0).default(10 * 60_000),
  /** Least time between two JWKS fetches (an unknown kid cannot make the gateway hammer the IdP). */
  AUTH_JWKS_COOLDOWN_MS: int(0).default(30_000),
  AUTH_AUDIENCE: z.string().min(1).optional(),
  AUTH_ISSUER: z.string().min(1).optional(),
  /** Comma-separated origins, `https://*.example.com` for subdomains, `*` for any. */
  ALLOWED_ORIGINS: z.string().optional(),
  /** Proxies in front of the gateway whose X-Forwarded-For entries are trusted (0 = none). */
  TRUST_PROXY_HOPS: int(0, 10).default(0),
  MAX_CONNECTIONS_PER_IP: int(1).default(256),
  MAX_CONNECTIONS_PER_TENANT: int(1).default(2_000),
  /** New connections per second per client IP (token bucket; burst = five times this). */
  MAX_CONNECTS_PER_SECOND_PER_IP: int(1).default(20),
  /** Client frames per second per connection (token bucket; burst = twice this). */
  MAX_FRAMES_PER_SECOND: int(1).default(20),
  /** Largest HTTP ingest body (POST /v1/events). */
  INGEST_MAX_BYTES: int(1_024, 64 * 1024 * 1024).default(1024 * 1024),
  /** HTTP requests per second per client IP (token bucket; burst = HTTP_RATE_BURST). */
  HTTP_RATE_PER_SECOND: int(1).default(10),
  HTTP_RATE_BURST: int(1).default(60),
});

export type Config = z.output<typeof configSchema>;

/** Never echoed back in error messages. */
const SECRETS = new Set(['AUTH_SECRET', 'PUBLISHER_KEYS']);

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the variables this gateway knows from `env`; throws ConfigError naming each bad one. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.fromEntries(
    Object.keys(configSchema.shape)
      .filter((key) => env[key] !== undefined && env[key] !== '')
      .map((key) => [key, env[key]]),
  );
  const result = configSchema.safeParse(known);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      const value = SECRETS.has(name) ? '(hidden)' : JSON.stringify(env[name]);
      return `  ${name}=${value}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  assertTrustable(result.data);
  return result.data;
}

// ---- trust
/** Settings zod cannot judge alone; loadConfig and the gateway (at start) both check. */
export function assertTrustable(config: Config): void {
  const problems: string[] = [];
  if (config.AUTH === 'off' && !isLoopback(config.HOST)) {
    problems.push(`AUTH=off: only allowed when HOST is a loopback address (127.0.0.1, ::1, localhost), not ${JSON.stringify(config.HOST)}`);
  }
  try {
    checkOrigins(config);
  } catch (error) {
    problems.push(`ALLOWED_ORIGINS=${JSON.stringify(config.ALLOWED_ORIGINS)}: ${(error as Error).message}`);
  }
  problems.push(...tlsProblems(config));
  if (config.REDIS_TLS_CA_FILE !== undefined && !config.REDIS_URL?.startsWith('rediss://')) {
    problems.push('REDIS_TLS_CA_FILE is set but REDIS_URL is not a rediss:// URL: the CA is only used for Redis over TLS');
  }
  if (problems.length) throw new ConfigError(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
}

/** TLS_CERT_FILE and TLS_KEY_FILE: both or neither; they and REDIS_TLS_CA_FILE files this process can read. */
function tlsProblems(config: Config): string[] {
  const files = { TLS_CERT_FILE: config.TLS_CERT_FILE, TLS_KEY_FILE: config.TLS_KEY_FILE };
  const set = Object.entries(files).filter(([, path]) => path !== undefined) as Array<[string, string]>;
  if (set.length === 1) {
    const [[name]] = set;
    const other = name === 'TLS_CERT_FILE' ? 'TLS_KEY_FILE' : 'TLS_CERT_FILE';
    return [`${name} is set but ${other} is not: set both (PEM files) to serve https: and wss:, or neither`];
  }
  if (config.REDIS_TLS_CA_FILE !== undefined) set.push(['REDIS_TLS_CA_FILE', config.REDIS_TLS_CA_FILE]);
  return set.flatMap(([name, path]) => {
    try {
      accessSync(path, constants.R_OK);
      return statSync(path).isFile() ? [] : [`${name}=${JSON.stringify(path)}: not a file`];
    } catch (error) {
      return [`${name}=${JSON.stringify(path)}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`];
    }
  });
}

/** Config for code and tests: defaults overlaid with typed overrides, validated the same way. */
export function makeConfig(overrides: Partial<Config> = {}): Config {
  return { ...configSchema.parse({}), ...overrides };
}
