/**
 * How the monitor is read: `GET /v1/monitor` (tokens with `system:read`: thresholds, active
 * alerts with their suggested action, the last 100 rounds) and, on `/metrics`, each check's
 * level for the Prometheus rules in gateway/deploy/prometheus/.
 */
import express, { type Router } from 'express';
import { Gauge, type Registry } from 'prom-client';
import type { Authenticator } from '../auth.ts';
import { systemReader } from '../http-requests.ts';
import { CHECKS, levelRank, type Thresholds } from './checks.ts';
import type { Monitor } from './monitor.ts';

export const MONITOR_PATH = '/v1/monitor';

export interface MonitorRouteDeps {
  monitor: Pick<Monitor, 'history' | 'active'>;
  thresholds: Record<string, Thresholds>;
  intervalMs: number;
  auth: Pick<Authenticator, 'authenticate'>;
}

export function monitorRoute({ monitor, thresholds, intervalMs, auth }: MonitorRouteDeps): Router {
  const router = express.Router();
  router.get(MONITOR_PATH, systemReader(auth), (_req, res) => {
    res.set('cache-control', 'no-store').json({
      intervalMs,
      thresholds,
      checks: CHECKS.map(({ name, title, unit, action }) => ({ name, title, unit, action })),
      active: [...monitor.active.values()],
      history: monitor.history,
    });
  });
  return router;
}

/** `leadwire_check_level{check}`: 0 ok, 1 warning, 2 critical, as of the monitor's last round. */
export function registerCheckLevels(registry: Registry, monitor: Pick<Monitor, 'history'>): void {
  new Gauge({
    name: 'leadwire_check_level',
    help: "The gateway's own checks: 0 ok, 1 warning, 2 critical (last round of MONITOR_INTERVAL_MS)",
    labelNames: ['check'],
    registers: [registry],
    collect() {
      const last = monitor.history.at(-1);
      if (!last) return;
      for (const [check, { level }] of Object.entries(last.checks)) this.set({ check }, levelRank(level));
    },
  });
}
