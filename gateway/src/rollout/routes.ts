/**
 * The HTTP side of a rollout:
 *  - `GET /leadwire.js`: the URL a GHL admin pastes, forever; its content is the stable
 *    version's rollout loader, which asks which version this location gets;
 *  - `GET /embed/<version>/…`: each published version's files, immutable (a version's name is
 *    never reused for other bytes);
 *  - `GET /v1/rollout/assignment`: the version for the location the verified token names;
 *  - `POST /v1/telemetry`: a page's counters for its version (authenticated, rate-limited per
 *    location, size-limited, numbers only).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { describeIssues } from '../../../protocol/schemas.ts';
import type { Authenticator, Principal } from '../auth.ts';
import type { Config } from '../config.ts';
import { bearerToken, refuse, refuseAuth } from '../http-requests.ts';
import { RateByKey } from '../limits.ts';
import { telemetryReportSchema, type VersionHealth } from './health.ts';
import { versionSchema } from './model.ts';
import type { Rollout } from './service.ts';

/** The loader each published version carries (components/dist/leadwire-rollout.js). */
export const ROLLOUT_LOADER = 'leadwire-rollout.js';
export const ASSIGNMENT_PATH = '/v1/rollout/assignment';
export const TELEMETRY_PATH = '/v1/telemetry';

export interface RolloutRoutesDeps {
  config: Pick<Config, 'ROLLOUT_VERSIONS_DIR' | 'ROLLOUT_RECHECK_MS' | 'TELEMETRY_MAX_BYTES' | 'TELEMETRY_PER_MINUTE'>;
  auth: Pick<Authenticator, 'authenticate'>;
  rollout: Pick<Rollout, 'state' | 'assignment' | 'knows'>;
  health: Pick<VersionHealth, 'record'>;
  /** Counts reports refused for their rate. */
  onRateLimited?(): void;
}

/** The location a page runs for: the verified token's (first) tenant, never the query's. */
async function locationOf(deps: RolloutRoutesDeps, req: Request, res: Response): Promise<string | undefined> {
  let principal: Principal;
  try {
    principal = await deps.auth.authenticate(bearerToken(req), { origin: req.get('origin') });
  } catch (error) {
    refuseAuth(res, error);
    return undefined;
  }
  const location = principal.tenants.values().next().value;
  if (location === undefined) refuse(res, 400, 'bad_request', 'the token names no location');
  return location;
}

export function rolloutRoutes(deps: RolloutRoutesDeps): Router {
  const { config } = deps;
  const router = express.Router();
  const dir = config.ROLLOUT_VERSIONS_DIR;
  const published = (version: string) => !!dir && versionSchema.safeParse(version).success && existsSync(join(dir, version, ROLLOUT_LOADER));

  router.get('/leadwire.js', (_req, res, next) => {
    if (!dir) return next();
    const stable = deps.rollout.state?.stable;
    res.type('application/javascript').set('cache-control', 'no-cache');
    if (!stable || !published(stable)) {
      // Said in the page's console, where the admin looks: the script itself loaded.
      const why = stable ? `version ${stable} is not published on this gateway` : 'no rollout is configured on this gateway (leadwire-rollout stage)';
      return res.status(503).send(`console.error(${JSON.stringify(`[leadwire] ${why}`)});\n`);
    }
    // Revalidated on each load (no-cache + ETag): a promotion reaches the next load.
    res.sendFile(join(dir, stable, ROLLOUT_LOADER), { cacheControl: false, lastModified: true, etag: true });
  });

  if (dir) {
    const files = express.static(dir, { immutable: true, maxAge: '365d', index: false, dotfiles: 'deny', redirect: false });
    router.use('/embed/:version', (req, res) => {
      const { version } = req.params as { version: string };
      if (!published(version)) return refuse(res, 404, 'not_found', `version ${JSON.stringify(version)} is not published`);
      // Module scripts load with CORS: the widgets' chunks are public files, readable from any page.
      res.setHeader('Access-Control-Allow-Origin', '*');
      req.url = `/${version}${req.url}`;
      files(req, res, () => refuse(res, 404, 'not_found', `version ${version} has no file ${req.url.slice(version.length + 1)}`));
    });
  }

  router.get(ASSIGNMENT_PATH, async (req, res) => {
    const location = await locationOf(deps, req, res);
    if (location === undefined) return;
    const state = deps.rollout.state;
    const assignment = deps.rollout.assignment(location);
    if (!state || !assignment) return refuse(res, 503, 'no_rollout', 'no rollout is configured on this gateway');
    res.set('cache-control', 'no-store').json({
      location,
      ...assignment,
      /** Open pages running one of these reload. */
      withdrawn: state.withdrawn,
      recheckMs: config.ROLLOUT_RECHECK_MS,
    });
  });

  const rates = new RateByKey(config.TELEMETRY_PER_MINUTE / 60, config.TELEMETRY_PER_MINUTE);
  router.post(TELEMETRY_PATH, express.json({ limit: config.TELEMETRY_MAX_BYTES }), async (req, res) => {
    const location = await locationOf(deps, req, res);
    if (location === undefined) return;
    if (!rates.take(location).ok) {
      deps.onRateLimited?.();
      return refuse(res, 429, 'rate_limited', `more than ${config.TELEMETRY_PER_MINUTE} reports a minute from this location`);
    }
    const report = telemetryReportSchema.safeParse(req.body);
    if (!report.success) return refuse(res, 400, 'bad_request', describeIssues(report.error));
    if (!deps.rollout.knows(report.data.version)) return refuse(res, 400, 'bad_request', 'version: not a version of this rollout');
    deps.health.record(report.data);
    res.status(204).end();
  });
  // Body-parser refusals (too large, malformed JSON) as the same JSON errors as the rest, 413 kept.
  router.use(TELEMETRY_PATH, (error: Error & { status?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (error.status && error.status >= 400 && error.status < 500) return refuse(res, error.status, error.status === 413 ? 'too_large' : 'bad_request', error.message);
    next(error);
  });
  return router;
}
