/** What SSE and long-poll share: reading cursor and subscription from a request, and refusals. */
import type { Request, Response } from 'express';
import { isCursor, type Cursor, type Subscription } from '../../../protocol/index.ts';
import { describeIssues, subscriptionSchema } from '../../../protocol/schemas.ts';
import { AuthError } from '../auth.ts';

export class BadRequest extends Error {
  override name = 'BadRequest';
}

/** One query parameter as a string (repeated parameters are a client error). */
function param(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new BadRequest(`${name}: give it once, as a string`);
  return value;
}

export function cursorParam(value: string | undefined, name: string): Cursor | undefined {
  if (value === undefined || value === '') return undefined;
  if (!isCursor(value)) throw new BadRequest(`${name}: a stream entry id like "1700000000000-0"`);
  return value;
}

/** `?cursor=` and `?subscription=<JSON>`; `Last-Event-ID` (an SSE reconnect) wins over the cursor. */
export function resumeParams(req: Request): { cursor?: Cursor; subscription?: Subscription } {
  const cursor = cursorParam(req.get('last-event-id'), 'Last-Event-ID') ?? cursorParam(param(req, 'cursor'), 'cursor');
  const raw = param(req, 'subscription');
  let subscription: Subscription | undefined;
  if (raw !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new BadRequest('subscription: not JSON');
    }
    const parsed = subscriptionSchema.safeParse(json);
    if (!parsed.success) throw new BadRequest(describeIssues(parsed.error, 'subscription.'));
    subscription = parsed.data as Subscription;
  }
  return { cursor, subscription };
}

export function queryToken(req: Request): string | undefined {
  return param(req, 'token');
}

export function bearerToken(req: Request): string | undefined {
  const header = req.get('authorization');
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

/** `{ error, message }` with the status that says what to do about it. */
export function refuse(res: Response, status: number, error: string, message: string): void {
  if (!res.headersSent) res.status(status).json({ error, message });
}

/** A refused token: the status and code the Authenticator chose (401, 403 origin, 503 JWKS). */
export function refuseAuth(res: Response, error: unknown): void {
  if (error instanceof AuthError) refuse(res, error.httpStatus, error.code, error.message);
  else refuse(res, 500, 'internal', 'authentication failed unexpectedly');
}

export function refuseBadRequest(res: Response, error: unknown): boolean {
  if (!(error instanceof BadRequest)) return false;
  refuse(res, 400, 'bad_request', error.message);
  return true;
}
