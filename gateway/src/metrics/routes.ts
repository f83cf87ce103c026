/**
 * What operators and the health panel read over HTTP: `/metrics` (Prometheus), `/v1/metrics`
 * (JSON, tokens with `system:read`), `/healthz` (the process answers) and `/readyz` (the store
 * answers and the tail runs).
 */
import express, { type Router } from 'express';
import type { Authenticator } from '../auth.ts';
import type { EventLog } from '../log/log.ts';
import type { Tail } from '../tail.ts';
import { systemReader } from '../http-requests.ts';
import type { Metrics } from './metrics.ts';

export const METRICS_PATH = '/v1/metrics';

export interface MetricsRoutesDeps {
  metrics: Pick<Metrics, 'registry' | 'summary'>;
  auth: Pick<Authenticator, 'authenticate'>;
  log: Pick<EventLog, 'kind' | 'ping'>;
  tail: Pick<Tail, 'healthy' | 'position'>;
  /** Health per widget version (docs/rollout.md), shown as `versions` in the summary. */
  versions?: () => unknown[];
}

export function metricsRoutes({ metrics, auth, log, tail, versions }: MetricsRoutesDeps): Router {
  const router = express.Router();
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  router.get(METRICS_PATH, systemReader(auth), async (_req, res) => {
    const summary = await metrics.summary();
    res.set('cache-control', 'no-store').json(versions ? { ...summary, versions: versions() } : summary);
  });
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    let store: { ok: boolean; rttMs?: number; error?: string };
    try {
      store = { ok: true, rttMs: Math.round((await log.ping()) * 100) / 100 };
    } catch (error) {
      store = { ok: false, error: (error as Error).message };
    }
    const ready = store.ok && tail.healthy;
    res.status(ready ? 200 : 503).json({ ready, log: log.kind, store, tail: { running: tail.healthy, position: tail.position } });
  });
  return router;
}
