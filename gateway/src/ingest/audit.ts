/**
 * `POST /v1/audit`: a browser that exported data says so, and the gateway records who exported
 * what as an `audit.export` event in the log — next to the events it concerns, replayable and
 * delivered like any other. Publishers may not write this type (the publisher schema forbids
 * it), so the route checks the request itself and appends the event as the gateway's own.
 *
 * The token rides in `Authorization: Bearer` (never a cookie), so any origin the deployment
 * allows may call it cross-origin without CSRF exposure.
 */
import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { AUDIT_EXPORT, type Cursor } from '../../../protocol/index.ts';
import { auditExportSchema, describeIssues, tenantSchema } from '../../../protocol/schemas.ts';
import { AuthError, type Principal } from '../auth.ts';
import { bearerToken, refuse, refuseAuth } from '../http-requests.ts';

export interface AuditDeps {
  /**
   * Resolves the bearer token, presented from the page `origin` (the request's Origin header,
   * checked against the token's `origins` claim), to a principal; rejects with AuthError.
   */
  verify(token: string | undefined, origin: string | undefined): Promise<Principal>;
  /** Appends the `audit.export` envelope as the gateway's own event; resolves with its cursor. */
  append(envelope: object): Promise<Cursor>;
  now?(): number;
}

/** What the browser sends; the subject comes from the token, never from the body. */
export const auditRequestSchema = z
  .object({
    format: auditExportSchema.shape.format,
    rows: auditExportSchema.shape.rows,
    filters: auditExportSchema.shape.filters.default(''),
    fileName: auditExportSchema.shape.fileName,
    /** One of the token's tenants; default its first. */
    tenant: tenantSchema.optional(),
  })
  .strict();

export function auditRoute(deps: AuditDeps): Router {
  const now = deps.now ?? Date.now;
  const router = express.Router();

  router.post('/v1/audit', express.json({ limit: '8kb' }), async (req, res, next) => {
    let principal: Principal;
    try {
      principal = await deps.verify(bearerToken(req), req.get('origin'));
    } catch (error) {
      // The same answers as every other route: 401 unauthorized / token_expired, 403
      // forbidden_origin, 503 unavailable (key set unreachable).
      if (error instanceof AuthError) return refuseAuth(res, error);
      return next(error);
    }
    if (!principal.scopes.has('export')) return refuse(res, 403, 'forbidden', 'the token lacks the "export" scope');

    const body = auditRequestSchema.safeParse(req.body);
    if (!body.success) return refuse(res, 400, 'bad_request', describeIssues(body.error));
    const { tenant = principal.tenants.values().next().value!, ...audit } = body.data;
    if (!principal.tenants.has(tenant)) return refuse(res, 403, 'forbidden', `the token does not name tenant "${tenant}"`);

    const envelope = {
      id: `audit-${randomUUID()}`,
      type: AUDIT_EXPORT,
      tenant,
      ts: now(),
      data: { subject: principal.subject.slice(0, 200), ...audit },
    };
    try {
      res.status(202).json({ cursor: await deps.append(envelope) });
    } catch (error) {
      next(error);
    }
  });

  // Body-parser refusals (malformed JSON, too large) as the same JSON errors as the rest.
  router.use('/v1/audit', (error: Error & { status?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (error.status && error.status >= 400 && error.status < 500) return refuse(res, error.status, 'bad_request', error.message);
    next(error);
  });
  return router;
}
