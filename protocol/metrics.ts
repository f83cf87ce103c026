/**
 * The JSON summary at `GET /v1/metrics` (token scope `system:read`) that feeds <health-panel>.
 * Rates and percentiles are over the last minute; counters are since the gateway started.
 */
export interface MetricsSummary {
  /** Gateway clock when the summary was taken (epoch ms). */
  ts: number;
  gateway: {
    status: 'up' | 'degraded' | 'down';
    instance: string;
    version: string;
    uptimeS: number;
  };
  store: {
    kind: 'redis' | 'memory';
    connected: boolean;
    /** Round-trip of a PING, null when unreachable (or for the in-memory log). */
    rttMs: number | null;
    /** The gateway's circuit breaker around Redis (absent for the in-memory log). */
    breaker?: 'closed' | 'open' | 'half-open';
  };
  connections: { total: number; ws: number; sse: number; poll: number };
  subscriptions: number;
  rates: { eventsInPerS: number; eventsOutPerS: number };
  /** Delivery latency: event `ts` → written to the client. */
  latencyMs: Percentiles;
  /** Ingest lag: event `ts` → seen by the gateway's tail. */
  pipelineLagMs: Percentiles;
  errors: {
    schemaRejects: number;
    authFailures: number;
    laggingDisconnects: number;
    rateLimited: number;
    /** Rejected share of what came in over the last minute, 0–1. */
    errorRate: number;
  };
  process: {
    /** Share of one core used over the last interval, 0–100 (can exceed 100 on several cores). */
    cpuPercent: number;
    /** Resident memory as a share of the configured or system limit, 0–100. */
    memoryPercent: number;
    rssBytes: number;
    /** Event-loop delay p99 over the last interval. */
    eventLoopLagMs: number;
  };
}

/** Over the samples of the last minute; each figure is null when there were none. */
export interface Percentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  samples: number;
}
