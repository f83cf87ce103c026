/**
 * The gateway as its own monitor: every MONITOR_INTERVAL_MS it reads CPU, memory, event-loop
 * lag, Redis reachability and latency, the rejected share, delivery latency, HTTP response
 * time and disk use, moves each check's level (checks.ts), keeps the last 100 rounds, and
 * raises or clears alerts as `system.alert` events in the log, so every panel and subscriber
 * (a bot, a webhook relay) sees them whether or not a browser is open. While the log cannot be
 * written (Redis away), an alert goes straight to the open sessions and is written to the log
 * once it is back, with the same id.
 */
import { statfsSync } from 'node:fs';
import { ALL_TENANTS, type Cursor, type Envelope } from '../../../protocol/index.ts';
import type { EventLog } from '../log/log.ts';
import type { Logger } from '../logger.ts';
import { Probes } from '../metrics/probes.ts';
import type { DeliveryStats, IngestStats, SampleWindow } from '../metrics/stats.ts';
import { errorRate, memoryPercent } from '../metrics/summary.ts';
import { CHECKS, CheckState, levelRank, type Level, type Sample, type Thresholds } from './checks.ts';

export const HISTORY_SIZE = 100;
const WINDOW_MS = 60_000;

export interface MonitorDeps {
  gatewayId: string;
  intervalMs: number;
  thresholds: Record<string, Thresholds>;
  hysteresis: number;
  /** Where the gateway writes (its disk use is checked); undefined = not checked. */
  diskPath: string | undefined;
  stats: Pick<DeliveryStats, 'startedAt' | 'inRate' | 'latency'>;
  ingest: Pick<IngestStats, 'rejectRate'>;
  /** Response times of the HTTP routes that answer at once (not SSE streams or held polls). */
  http: SampleWindow;
  log: Pick<EventLog, 'kind' | 'ping'>;
  append(envelope: Envelope): Promise<Cursor>;
  /** Delivers an event to the open sessions without the log (used while the log is unreachable). */
  broadcast(envelope: Envelope): void;
  logger: Logger;
}

export interface Round {
  ts: number;
  /** The circuit breaker around Redis after this round's ping (Redis only). */
  redisBreaker?: 'closed' | 'open' | 'half-open';
  checks: Record<string, { value: number | null; level: Level }>;
}

export interface ActiveAlert {
  check: string;
  level: Level;
  since: number;
  value: number | null;
  threshold: number;
  action: string;
}

export class Monitor {
  readonly history: Round[] = [];
  readonly active = new Map<string, ActiveAlert>();
  private readonly states: CheckState[];
  private readonly probes: Probes;
  /** Alerts not in the log yet, oldest first; those already sent straight to the sessions are in `broadcasted`. */
  private readonly unwritten: Envelope[] = [];
  private readonly broadcasted = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private sequence = 0;

  constructor(private readonly deps: MonitorDeps) {
    this.states = CHECKS.map((spec) => new CheckState(spec, deps.thresholds[spec.name], deps.hysteresis));
    this.probes = new Probes(deps.log);
  }

  start(): void {
    if (this.deps.intervalMs <= 0) return;
    this.probes.tick();
    this.timer = setInterval(() => void this.check(), this.deps.intervalMs);
    this.timer.unref();
  }

  /** One round: read, move the levels, raise or clear alerts. Rounds never overlap. */
  check(now = Date.now()): Promise<void> {
    this.running ??= this.round(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async round(now: number): Promise<void> {
    const sample = await this.sample(now);
    const round: Round = { ts: now, checks: {}, ...(sample.redisBreaker ? { redisBreaker: sample.redisBreaker } : {}) };
    for (const state of this.states) {
      const value = state.spec.read(sample);
      const before = state.level;
      const level = state.update(value);
      round.checks[state.spec.name] = { value, level };
      if (level !== before) this.transition(state, before, value, now);
    }
    this.history.push(round);
    if (this.history.length > HISTORY_SIZE) this.history.shift();
    await this.flushUnwritten();
  }

  private async sample(now: number): Promise<Sample> {
    const { stats, ingest, http } = this.deps;
    this.probes.tick();
    const redis = await this.probes.redis();
    const inPerS = stats.inRate.perSecond(now, stats.startedAt);
    const rejectsPerS = ingest.rejectRate.perSecond(now, stats.startedAt);
    return {
      cpuPercent: this.probes.cpuPercent,
      memoryPercent: memoryPercent(),
      eventLoopLagMs: this.probes.eventLoop().lagP99Ms,
      redisDown: redis.status === 'none' ? null : redis.status === 'down' ? 1 : 0,
      redisRttMs: redis.rttMs,
      redisBreaker: redis.breaker,
      errorRatePercent: errorRate(inPerS, rejectsPerS) * 100,
      deliveryLatencyP95Ms: stats.latency.percentiles(now, WINDOW_MS).p95,
      httpResponseP95Ms: http.percentiles(now, WINDOW_MS).p95,
      diskUsedPercent: this.diskUsed(),
    };
  }

  private diskUsed(): number | null {
    if (!this.deps.diskPath) return null;
    try {
      const fs = statfsSync(this.deps.diskPath);
      return fs.blocks > 0 ? Math.round((1 - fs.bavail / fs.blocks) * 1000) / 10 : null;
    } catch {
      return null;
    }
  }

  private transition(state: CheckState, before: Level, value: number | null, now: number): void {
    const { spec, thresholds } = state;
    const level = state.level;
    const raised = levelRank(level) > levelRank(before);
    const threshold = level === 'critical' || (!raised && before === 'critical' && level === 'ok') ? thresholds.crit : thresholds.warn;
    const shown = value === null ? 'n/a' : `${Math.round(value * 10) / 10}${spec.unit}`;
    if (level === 'ok') this.active.delete(spec.name);
    else this.active.set(spec.name, { check: spec.name, level, since: now, value, threshold, action: spec.action });
    const title = level === 'ok' ? `${spec.title}: back to normal` : `${spec.title}: ${level}`;
    const message =
      level === 'ok'
        ? `${spec.title} is ${shown} again, below ${threshold}${spec.unit} (was ${before}).`
        : spec.binary
          ? `${spec.title}. Suggested action: ${spec.action}`
          : `${spec.title} is ${shown}, at or over ${threshold}${spec.unit}. Suggested action: ${spec.action}`;
    const envelope = {
      id: `alert-${this.deps.gatewayId}-${spec.name}-${now}-${this.sequence++}`,
      type: 'system.alert',
      tenant: ALL_TENANTS,
      ts: now,
      data: {
        severity: level === 'ok' ? 'info' : level,
        title,
        message,
        service: `gateway ${this.deps.gatewayId}`,
        metric: spec.name,
        ...(value === null ? {} : { value }),
        threshold,
        state: level === 'ok' ? 'cleared' : 'raised',
        action: spec.action,
      },
    } as Envelope;
    this.deps.logger[level === 'ok' ? 'info' : level === 'warning' ? 'warn' : 'error']({ check: spec.name, level, value }, title);
    this.unwritten.push(envelope);
  }

  private async flushUnwritten(): Promise<void> {
    while (this.unwritten.length > 0) {
      const envelope = this.unwritten[0];
      try {
        await this.deps.append(envelope);
      } catch (error) {
        // The log is away: the open sessions hear it now, the log gets it when it is back.
        for (const waiting of this.unwritten) {
          if (this.broadcasted.has(waiting.id)) continue;
          this.broadcasted.add(waiting.id);
          this.deps.broadcast(waiting);
        }
        this.deps.logger.warn({ err: (error as Error).message, waiting: this.unwritten.length }, 'alert not written to the log yet');
        // Bounded: the oldest unwritten alerts give way (their state is in `active` and the history).
        while (this.unwritten.length > HISTORY_SIZE) this.forget(this.unwritten.shift()!);
        return;
      }
      this.forget(this.unwritten.shift()!);
    }
  }

  private forget(envelope: Envelope): void {
    this.broadcasted.delete(envelope.id);
  }

  close(): void {
    clearInterval(this.timer);
    this.probes.close();
  }
}
