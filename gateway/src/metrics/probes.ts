/**
 * Readings taken from the process and the store when metrics are asked for: event-loop delay,
 * CPU share since the last health tick, and a bounded Redis round trip.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { EventLog } from '../log/log.ts';
import { round } from './stats.ts';

export interface RedisHealth {
  status: 'up' | 'down' | 'none';
  rttMs: number | null;
  /** The circuit breaker's state after the ping (which may have been its probe). */
  breaker?: 'closed' | 'open' | 'half-open';
}

export interface EventLoopLag {
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
}

export class Probes {
  private readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private cpuMark = { at: performance.now(), usage: process.cpuUsage() };
  cpuPercent = 0;

  constructor(private readonly log: Pick<EventLog, 'kind' | 'ping' | 'breaker'>) {
    this.loopDelay.enable();
  }

  /** Pings the store with a bounded wait; the in-memory log has no Redis to report. */
  async redis(): Promise<RedisHealth> {
    if (this.log.kind !== 'redis') return { status: 'none', rttMs: null };
    try {
      const rtt = await Promise.race([
        this.log.ping(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 1_000).unref()),
      ]);
      return { status: 'up', rttMs: round(rtt, 3), ...this.breaker() };
    } catch {
      return { status: 'down', rttMs: null, ...this.breaker() };
    }
  }

  private breaker(): Pick<RedisHealth, 'breaker'> {
    return this.log.breaker ? { breaker: this.log.breaker.state } : {};
  }

  eventLoop(): EventLoopLag {
    const ms = (ns: number) => (Number.isFinite(ns) ? round(ns / 1e6) : 0);
    return {
      lagP50Ms: ms(this.loopDelay.percentile(50)),
      lagP99Ms: ms(this.loopDelay.percentile(99)),
      lagMaxMs: ms(this.loopDelay.max),
    };
  }

  /** Starts a new CPU and event-loop measuring period (called on every health tick). */
  tick(): void {
    const now = performance.now();
    const usage = process.cpuUsage(this.cpuMark.usage);
    const elapsedUs = (now - this.cpuMark.at) * 1000;
    if (elapsedUs > 0) this.cpuPercent = round(((usage.user + usage.system) / elapsedUs) * 100, 1);
    this.cpuMark = { at: now, usage: process.cpuUsage() };
    this.loopDelay.reset();
  }

  close(): void {
    this.loopDelay.disable();
  }
}
