/**
 * What the gateway tells operators, in one object: the Prometheus registry (`/metrics`), the
 * JSON summary (`/v1/metrics`) and the periodic `system.health` event, all read from the same
 * counters and probes.
 */
import { hostname } from 'node:os';
import type { Registry } from 'prom-client';
import type { Envelope } from '../../../protocol/index.ts';
import type { Observed } from './observed.ts';
import { Probes } from './probes.ts';
import { prometheusRegistry } from './prometheus.ts';
import { healthEvent, summarize, type GatewayMetricsSummary } from './summary.ts';

export class Metrics {
  readonly gatewayId = `${hostname()}:${process.pid}`;
  readonly registry: Registry;
  private readonly probes: Probes;

  constructor(private readonly observed: Observed) {
    this.probes = new Probes(observed.log);
    this.registry = prometheusRegistry(observed, this.probes);
  }

  summary(now = Date.now()): Promise<GatewayMetricsSummary> {
    return summarize(this.observed, this.probes, this.gatewayId, now);
  }

  /** Starts a new CPU and event-loop measuring period, then the event for the one that ended. */
  async healthEvent(now = Date.now()): Promise<Envelope> {
    this.probes.tick();
    return healthEvent(await this.summary(now), this.gatewayId, now);
  }

  close(): void {
    this.probes.close();
  }
}
