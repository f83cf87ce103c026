/**
 * What the gateway checks about itself, against which thresholds, and what an operator should
 * do when a check fails. Levels move with hysteresis: a check enters a level after `raiseAfter`
 * readings at or over its threshold, and leaves it only once a reading falls below the
 * threshold less the hysteresis margin, so a value hovering at a threshold does not flap.
 */
import { z } from 'zod';

export type Level = 'ok' | 'warning' | 'critical';
const RANK: Record<Level, number> = { ok: 0, warning: 1, critical: 2 };

/** One reading of everything the checks look at; null where there is nothing to read. */
export interface Sample {
  cpuPercent: number;
  memoryPercent: number;
  eventLoopLagMs: number;
  /** 1 when the backing Redis does not answer, 0 when it does; null with the in-memory log. */
  redisDown: number | null;
  redisRttMs: number | null;
  /** Not a check with thresholds: reported with each round (an open breaker also reads as Redis down). */
  redisBreaker?: 'closed' | 'open' | 'half-open';
  /** Rejected share of what came in over the last minute, in %. */
  errorRatePercent: number;
  deliveryLatencyP95Ms: number | null;
  httpResponseP95Ms: number | null;
  diskUsedPercent: number | null;
}

export interface Thresholds {
  warn: number;
  crit: number;
}

export interface CheckSpec {
  name: string;
  title: string;
  unit: string;
  read: (sample: Sample) => number | null;
  /** Consecutive readings over a threshold before the level is entered (a spike is not an alert). */
  raiseAfter: number;
  action: string;
  /** A yes/no reading (1 = failing): no hysteresis margin. */
  binary?: boolean;
}

/** The seed's production thresholds; latency ones where ordinary traffic is far below them. */
export const DEFAULT_THRESHOLDS: Record<string, Thresholds> = {
  cpu: { warn: 70, crit: 85 },
  memory: { warn: 75, crit: 90 },
  eventLoopLag: { warn: 500, crit: 2_000 },
  redis: { warn: 1, crit: 1 },
  redisLatency: { warn: 100, crit: 500 },
  errorRate: { warn: 5, crit: 15 },
  deliveryLatency: { warn: 1_000, crit: 5_000 },
  httpResponseTime: { warn: 1_000, crit: 5_000 },
  disk: { warn: 80, crit: 90 },
};

export const CHECKS: readonly CheckSpec[] = [
  { name: 'cpu', title: 'CPU', unit: '%', read: (s) => s.cpuPercent, raiseAfter: 3, action: 'Add gateway instances or cores; look for a publisher flooding the log.' },
  { name: 'memory', title: 'Memory', unit: '%', read: (s) => s.memoryPercent, raiseAfter: 3, action: 'Raise the memory limit or lower REPLAY_MEMORY_BYTES / SEND_BUFFER_BYTES (docs/gateway.md, sizing).' },
  { name: 'eventLoopLag', title: 'Event-loop lag', unit: 'ms', read: (s) => s.eventLoopLagMs, raiseAfter: 3, action: 'The process is saturated: add instances, or find the slow handler in a CPU profile.' },
  { name: 'redis', title: 'Redis unreachable', unit: '', read: (s) => s.redisDown, raiseAfter: 1, binary: true, action: 'Check that Redis runs and is reachable from the gateway (REDIS_URL, network, password, TLS). Events are delayed until it is back.' },
  { name: 'redisLatency', title: 'Redis latency', unit: 'ms', read: (s) => s.redisRttMs, raiseAfter: 3, action: 'Check Redis load (SLOWLOG, INFO) and the network between gateway and Redis.' },
  { name: 'errorRate', title: 'Rejected events', unit: '%', read: (s) => s.errorRatePercent, raiseAfter: 2, action: 'A publisher sends invalid events: read the reasons in the dead-letter stream (XREVRANGE leadwire:dead).' },
  { name: 'deliveryLatency', title: 'Delivery latency p95', unit: 'ms', read: (s) => s.deliveryLatencyP95Ms, raiseAfter: 3, action: 'Check event-loop lag and Redis latency; check publishers\' clocks (NTP): latency is measured from their ts.' },
  { name: 'httpResponseTime', title: 'HTTP response time p95', unit: 'ms', read: (s) => s.httpResponseP95Ms, raiseAfter: 3, action: 'Check Redis latency (ingest writes to it) and CPU; add instances.' },
  { name: 'disk', title: 'Disk used', unit: '%', read: (s) => s.diskUsedPercent, raiseAfter: 2, action: 'Free disk space where the gateway writes (MONITOR_DISK_PATH), e.g. rotate logs.' },
];

/** `MONITOR_THRESHOLDS`: JSON like `{"cpu":{"warn":60,"crit":80}}`; unnamed checks keep their defaults. */
export const thresholdsSchema = z
  .partialRecord(
    z.enum(Object.keys(DEFAULT_THRESHOLDS) as [string, ...string[]]),
    z.object({ warn: z.number().nonnegative(), crit: z.number().nonnegative() }).refine((t) => t.warn <= t.crit, 'warn must not exceed crit'),
  )
  .transform((overrides) => ({ ...DEFAULT_THRESHOLDS, ...overrides }) as Record<string, Thresholds>);

export interface Reading {
  value: number | null;
  level: Level;
}

/** One check's level over time, with hysteresis. */
export class CheckState {
  level: Level = 'ok';
  private streak: Level = 'ok';
  private streakLength = 0;

  constructor(
    readonly spec: CheckSpec,
    readonly thresholds: Thresholds,
    private readonly hysteresis: number,
  ) {}

  /** The level after this reading; a value of null (nothing to read) leaves the level as it is. */
  update(value: number | null): Level {
    if (value === null) return this.level;
    const { warn, crit } = this.thresholds;
    const raw: Level = value >= crit ? 'critical' : value >= warn ? 'warning' : 'ok';
    if (RANK[raw] > RANK[this.level]) {
      this.streakLength = raw === this.streak ? this.streakLength + 1 : 1;
      this.streak = raw;
      if (this.streakLength >= this.spec.raiseAfter) this.level = raw;
      return this.level;
    }
    this.streak = raw;
    this.streakLength = 0;
    // Down only once clearly below the threshold of the current level.
    const margin = (threshold: number) => (this.spec.binary ? threshold : threshold * (1 - this.hysteresis));
    if (this.level === 'critical' && value < margin(crit)) this.level = value >= warn ? 'warning' : 'ok';
    if (this.level === 'warning' && value < margin(warn)) this.level = 'ok';
    return this.level;
  }
}

export function levelRank(level: Level): number {
  return RANK[level];
}
