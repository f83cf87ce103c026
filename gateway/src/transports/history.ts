/**
 * `GET /v1/history?limit=&before=&until=&since=&subscription=` with `Authorization: Bearer
 * <jwt>`: one history page as JSON, for clients on SSE or long-poll (or none), with the same
 * token, origin and tenant checks as every other path. A bad parameter is a 400 that names it.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { HistoryRequest } from '../../../protocol/index.ts';
import { describeIssues, historyRequestSchema } from '../../../protocol/schemas.ts';
import type { Clients } from '../clients.ts';
import type { History } from '../history.ts';
import { pageJson } from '../history.ts';
import { BadRequest, bearerToken, queryParam, refuse, refuseAuth, refuseBadRequest } from '../http-requests.ts';
import type { Logger } from '../logger.ts';

export const HISTORY_PATH = '/v1/history';

const FIELDS = new Set(['limit', 'before', 'until', 'since', 'subscription']);

/**
 * The query as a history request; numbers and JSON decoded, then checked like a frame. Other
 * parameters are ignored, as on the other routes (a gateway URL may carry a query of its own).
 */
function historyParams(req: Request): HistoryRequest {
  const request: Record<string, unknown> = {};
  for (const name of FIELDS) {
    const value = queryParam(req, name);
    if (value === undefined) continue;
    if (name === 'limit') request.limit = /^\d+$/.test(value) ? Number(value) : value;
    else if (name === 'subscription') {
      try {
        request.subscription = JSON.parse(value);
      } catch {
        throw new BadRequest('subscription: not JSON');
      }
    } else request[name] = value;
  }
  const parsed = historyRequestSchema.safeParse(request);
  if (!parsed.success) throw new BadRequest(describeIssues(parsed.error));
  return parsed.data as HistoryRequest;
}

export interface HistoryRouteDeps {
  clients: Pick<Clients, 'authenticate'>;
  history: Pick<History, 'page'>;
  logger: Logger;
}

export function historyHandler({ clients, history, logger }: HistoryRouteDeps): RequestHandler {
  return async (req: Request, res: Response) => {
    let request: HistoryRequest;
    try {
      request = historyParams(req);
    } catch (error) {
      if (refuseBadRequest(res, error)) return;
      throw error;
    }
    let principal;
    try {
      principal = await clients.authenticate(bearerToken(req), req.get('origin'), { subscription: request.subscription });
    } catch (error) {
      return refuseAuth(res, error);
    }
    res.set('cache-control', 'no-store');
    try {
      const page = await history.page(principal, request.subscription, request);
      res.type('application/json').send(pageJson(page));
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'history read failed');
      refuse(res, 503, 'unavailable', 'the log cannot be read now: retry later');
    }
  };
}
