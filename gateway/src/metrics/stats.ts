/**
 * The counters the hot paths bump: per event and per written frame, O(1) and bounded, with no
 * label lookups. The Prometheus registry and the /v1/metrics summary read them when asked.
 */
import type { Percentiles } from '../../../protocol/metrics.ts';
import type { DeliverableEvent } from '../decode.ts';

export type RejectSource = 'stream' | 'pubsub' | 'http';

/** The last `capacity` samples with their time; percentiles over those within a window. */
export class SampleWindow {
  private readonly at: Float64Array;
  private readonly values: Float64Array;
  private next = 0;
  private size = 0;

  constructor(private readonly capacity = 8_192) {
    this.at = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  add(value: number, now: number): void {
    this.at[this.next] = now;
    this.values[this.next] = value;
    this.next = (this.next + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }

  /** Share (0–1) of the samples within `windowMs` before `now` that are at most `limit`; null when there are none. */
  shareAtMost(limit: number, now: number, windowMs: number): number | null {
    let n = 0;
    let within = 0;
    for (let i = 0; i < this.size; i++) {
      if (now - this.at[i] > windowMs) continue;
      n++;
      if (this.values[i] <= limit) within++;
    }
    return n === 0 ? null : round(within / n, 4);
  }

  /** Percentiles of the samples taken within `windowMs` before `now` (null when there are none). */
  percentiles(now: number, windowMs: number): Percentiles {
    const recent: number[] = [];
    for (let i = 0; i < this.size; i++) if (now - this.at[i] <= windowMs) recent.push(this.values[i]);
    recent.sort((a, b) => a - b);
    const at = (q: number) => (recent.length ? round(recent[Math.min(recent.length - 1, Math.ceil(q * recent.length) - 1)]) : null);
    return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1), samples: recent.length };
  }
}

/** Counts per second for the last `seconds` seconds, for rates that do not depend on scrapes. */
export class RateWindow {
  private readonly counts: Float64Array;
  private readonly stamps: Float64Array;

  constructor(private readonly seconds = 60) {
    this.counts = new Float64Array(seconds);
    this.stamps = new Float64Array(seconds).fill(-1);
  }

  add(n: number, now: number): void {
    const second = Math.floor(now / 1000);
    const slot = second % this.seconds;
    if (this.stamps[slot] !== second) {
      this.stamps[slot] = second;
      this.counts[slot] = 0;
    }
    this.counts[slot] += n;
  }

  /** Average per second over the complete seconds of the window that this process has lived. */
  perSecond(now: number, startedAt: number): number {
    const current = Math.floor(now / 1000);
    const span = Math.max(1, Math.min(this.seconds - 1, current - Math.floor(startedAt / 1000)));
    let total = 0;
    for (let i = 0; i < this.seconds; i++) {
      const age = current - this.stamps[i];
      if (age >= 1 && age <= span) total += this.counts[i];
    }
    return round(total / span);
  }
}

function bump(map: Map<string, number>, key: string, n = 1): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Counters of delivery, bumped by fan-out, replay and sessions; O(1) per call and bounded. */
export class DeliveryStats {
  readonly startedAt = Date.now();
  readonly eventsIn = new Map<string, number>();
  readonly eventsOut = new Map<string, number>();
  /** Resumes by outcome; fromMemory counts the replays served from the recent-events window. */
  readonly replays = { recovered: 0, unrecovered: 0, fromMemory: 0 };
  laggingClosed = 0;
  /** Publish → write to the socket, ms, once per written live frame (its oldest event). */
  readonly latency = new SampleWindow();
  /** Publish → ingest by this gateway, ms, per event. */
  readonly pipelineLag = new SampleWindow();
  readonly inRate = new RateWindow();
  readonly outRate = new RateWindow();
  /** Prometheus histograms, attached by the registry so both views see the same samples. */
  onLatency: ((ms: number) => void) | undefined;
  onPipelineLag: ((ms: number) => void) | undefined;

  ingested(event: DeliverableEvent, now: number): void {
    bump(this.eventsIn, event.type);
    this.inRate.add(1, now);
    const lag = Math.max(0, now - event.ts);
    this.pipelineLag.add(lag, now);
    this.onPipelineLag?.(lag);
  }

  delivered(events: DeliverableEvent[], now: number): void {
    for (const event of events) bump(this.eventsOut, event.type);
    this.outRate.add(events.length, now);
    const latency = Math.max(0, now - events[0].ts);
    this.latency.add(latency, now);
    this.onLatency?.(latency);
  }
}

/** Counters of the ways into the log (the LogWriter's): refused input by way in, appends, refused publisher keys. */
export class IngestStats {
  readonly rejects: Record<RejectSource, number> = { stream: 0, pubsub: 0, http: 0 };
  readonly rejectRate = new RateWindow();
  /** Envelopes through the gateway's own ways in: appended, or dropped as a duplicate id. */
  readonly outcomes = { pubsub: { appended: 0, duplicate: 0 }, http: { appended: 0, duplicate: 0 } };
  /** Refused publisher keys (browser tokens are counted by the Authenticator). */
  publisherKeyFailures = 0;

  reject(source: RejectSource, n = 1, now = Date.now()): void {
    this.rejects[source] += n;
    this.rejectRate.add(n, now);
  }
}
