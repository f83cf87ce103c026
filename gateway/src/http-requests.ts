/** HTTP request helpers every route shares: tokens from the request, and JSON refusals. */
import type { Request, RequestHandler, Response } from 'express';
import { AuthError, type Authenticator } from './auth.ts';

/** A request the client must fix: answered 400 `bad_request` with the message. */
export class BadRequest extends Error {
  override name = 'BadRequest';
}

/** One query parameter as a string (repeated parameters are a client error). */
export function queryParam(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new BadRequest(`${name}: give it once, as a string`);
  return value;
}

export function queryToken(req: Request): string | undefined {
  return queryParam(req, 'token');
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

/** Lets through requests whose bearer token has `system:read`; refuses the rest as every route does (401/403/503). */
export function systemReader(auth: Pick<Authenticator, 'authenticate'>): RequestHandler {
  return async (req, res, next) => {
    let principal;
    try {
      principal = await auth.authenticate(bearerToken(req), { origin: req.get('origin') });
    } catch (error) {
      return refuseAuth(res, error);
    }
    if (!principal.scopes.has('system:read')) return refuse(res, 403, 'forbidden', 'the token needs the system:read scope');
    next();
  };
}
