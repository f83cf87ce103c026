/**
 * Browser tokens: JWTs naming subject, tenants, scopes, expiry and optionally the origins they
 * may be used from. HS256 with AUTH_SECRET and/or RS256/ES256 with keys from AUTH_JWKS_URL.
 * Every transport calls `Authenticator.authenticate()`; a refusal is an AuthError whose code
 * maps to one close code (WebSocket) and one HTTP status (SSE, poll), never to an anonymous
 * session. Who may see what (`maySee`) is decided here too.
 */
import { SignJWT, createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { ALL_TENANTS, CloseCode, type EventType } from '../../protocol/index.ts';
import { assertTrustable, type Config } from './config.ts';
import type { Logger } from './logger.ts';
import { compileOrigins } from './origins.ts';

/** Longest token accepted on any transport or route (a hello's `token` field has the same bound). */
export const MAX_TOKEN_CHARS = 8_192;

export const SCOPES = ['events:read', 'system:read', 'pii:read', 'export'] as const;
export type Scope = (typeof SCOPES)[number];

export interface Principal {
  subject: string;
  tenants: ReadonlySet<string>;
  scopes: ReadonlySet<Scope>;
  /** Epoch ms, or null for a token without expiry. */
  expiresAt: number | null;
}

export interface TokenClaims {
  sub: string;
  tenants: string[];
  scopes: Scope[];
  /** Origins (patterns as in ALLOWED_ORIGINS) this token may be used from. */
  origins?: string[];
  aud?: string;
  iss?: string;
}

export type AuthFailure = 'unauthorized' | 'token_expired' | 'forbidden_origin' | 'unavailable';

const CLOSE_CODES: Record<AuthFailure, number> = {
  unauthorized: CloseCode.Unauthorized,
  token_expired: CloseCode.TokenExpired,
  forbidden_origin: CloseCode.ForbiddenOrigin,
  unavailable: 1013, // try again later: the key set could not be fetched
};
const HTTP_STATUSES: Record<AuthFailure, number> = {
  unauthorized: 401,
  token_expired: 401,
  forbidden_origin: 403,
  unavailable: 503,
};

export class AuthError extends Error {
  override name = 'AuthError';
  constructor(
    message: string,
    readonly code: AuthFailure = 'unauthorized',
  ) {
    super(message);
  }
  get expired(): boolean {
    return this.code === 'token_expired';
  }
  /** The WebSocket close code for this refusal. */
  get closeCode(): number {
    return CLOSE_CODES[this.code];
  }
  /** The HTTP status for this refusal; the JSON body is `{ error: code, message }`. */
  get httpStatus(): number {
    return HTTP_STATUSES[this.code];
  }
}

const keyOf = (secret: string) => new TextEncoder().encode(secret);

/**
 * An HS256 token valid for at least `ttlSeconds`: `exp` is whole seconds, so it is rounded up
 * (rounding down would leave a 1-second token with anything from 0 to 1000 ms to live).
 */
export async function mintToken(claims: TokenClaims, secret: string, ttlSeconds = 3600): Promise<string> {
  const jwt = new SignJWT({ tenants: claims.tenants, scopes: claims.scopes, ...(claims.origins ? { origins: claims.origins } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(Math.ceil(Date.now() / 1000) + ttlSeconds);
  if (claims.aud) jwt.setAudience(claims.aud);
  if (claims.iss) jwt.setIssuer(claims.iss);
  return jwt.sign(keyOf(secret));
}

export interface AuthContext {
  /** The page's Origin header, when the request came from a browser page. */
  origin?: string;
  /** AUTH=off only: the tenants the dev principal is granted (the hello's subscription). */
  tenants?: readonly string[];
}

/** Verifies tokens against this gateway's keys, audience and issuer; one per gateway. */
export class Authenticator {
  readonly failures: Record<AuthFailure, number> = { unauthorized: 0, token_expired: 0, forbidden_origin: 0, unavailable: 0 };
  private readonly secret: Uint8Array | undefined;
  private readonly jwks: JWTVerifyGetKey | undefined;
  private readonly algorithms: string[];

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
  ) {
    assertTrustable(config);
    this.secret = config.AUTH_SECRET ? keyOf(config.AUTH_SECRET) : undefined;
    this.jwks = config.AUTH_JWKS_URL
      ? createRemoteJWKSet(new URL(config.AUTH_JWKS_URL), {
          cacheMaxAge: config.AUTH_JWKS_CACHE_MS,
          cooldownDuration: config.AUTH_JWKS_COOLDOWN_MS,
          timeoutDuration: 5_000,
        })
      : undefined;
    this.algorithms = [...(this.secret ? ['HS256'] : []), ...(this.jwks ? ['RS256', 'ES256'] : [])];
    if (config.AUTH === 'off') {
      logger.warn(
        { host: config.HOST },
        'AUTH=off: DEVELOPMENT MODE. Tokens are not checked; every connection gets all scopes for the tenants it asks for. Never expose this gateway.',
      );
    } else if (this.algorithms.length === 0) {
      logger.warn('neither AUTH_SECRET nor AUTH_JWKS_URL is set: every browser connection will be refused as unauthorised');
    }
  }

  get devMode(): boolean {
    return this.config.AUTH === 'off';
  }

  /** The principal for a token presented from `context.origin`; throws AuthError (and logs why). */
  async authenticate(token: string | undefined, context: AuthContext = {}): Promise<Principal> {
    try {
      if (this.devMode) return devPrincipal(context.tenants ?? []);
      return await this.verify(token, context.origin);
    } catch (error) {
      const refusal = error instanceof AuthError ? error : new AuthError(`token rejected: ${(error as Error).message}`);
      this.failures[refusal.code]++;
      // The reason and the origin only: never the token.
      this.logger.warn({ reason: refusal.message, code: refusal.code, origin: context.origin }, 'authentication failed');
      throw refusal;
    }
  }

  private async verify(token: string | undefined, origin: string | undefined): Promise<Principal> {
    if (this.algorithms.length === 0) throw new AuthError('gateway has no AUTH_SECRET or AUTH_JWKS_URL configured');
    if (!token) throw new AuthError('token missing');
    // The same bound as a hello's token, whatever carries it (header, query, frame).
    if (token.length > MAX_TOKEN_CHARS) throw new AuthError(`token longer than ${MAX_TOKEN_CHARS} characters`);
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new AuthError('token rejected: not a JWT');
    }
    if (!alg || !this.algorithms.includes(alg)) throw new AuthError(`token rejected: algorithm ${alg ?? 'missing'} is not accepted`);
    let payload;
    try {
      const key: JWTVerifyGetKey = (header, input) => (header.alg === 'HS256' ? this.secret! : this.jwks!(header, input));
      ({ payload } = await jwtVerify(token, key, {
        algorithms: this.algorithms,
        audience: this.config.AUTH_AUDIENCE,
        issuer: this.config.AUTH_ISSUER,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new AuthError('token expired', 'token_expired');
      if (error instanceof errors.JWKSNoMatchingKey) throw new AuthError('token rejected: no key with this kid in the key set');
      if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || isFetchFailure(error)) {
        throw new AuthError(`key set unavailable: ${(error as Error).message}`, 'unavailable');
      }
      throw new AuthError(`token rejected: ${(error as Error).message}`);
    }
    const tenants = Array.isArray(payload.tenants) ? payload.tenants.filter((t): t is string => typeof t === 'string' && t !== ALL_TENANTS) : [];
    const scopes = Array.isArray(payload.scopes)
      ? payload.scopes.filter((s): s is Scope => (SCOPES as readonly string[]).includes(s))
      : [];
    if (!payload.sub) throw new AuthError('token names no subject');
    if (tenants.length === 0) throw new AuthError('token names no tenant');
    if (payload.origins !== undefined && origin !== undefined) {
      const origins = Array.isArray(payload.origins) ? payload.origins.filter((o): o is string => typeof o === 'string') : [];
      let allowed = false;
      try {
        allowed = compileOrigins(origins)(origin);
      } catch {
        throw new AuthError('token rejected: malformed origins claim');
      }
      if (!allowed) throw new AuthError(`token may not be used from origin ${origin}`, 'forbidden_origin');
    }
    return {
      subject: payload.sub,
      tenants: new Set(tenants),
      scopes: new Set(scopes),
      expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : null,
    };
  }
}

function isFetchFailure(error: unknown): boolean {
  // createRemoteJWKSet surfaces network errors (refused, reset) as fetch's TypeError.
  return error instanceof TypeError || (error instanceof errors.JOSEError && error.code === 'ERR_JOSE_GENERIC');
}

/** AUTH=off: the tenants the client names, every scope, no expiry. */
function devPrincipal(tenants: readonly string[]): Principal {
  return { subject: 'dev', tenants: new Set(tenants.filter((t) => t !== ALL_TENANTS)), scopes: new Set(SCOPES), expiresAt: null };
}

/** Whether the principal may see events of this type for this tenant. */
export function maySee(principal: Principal, tenant: string, type: EventType): boolean {
  if (tenant === ALL_TENANTS) return principal.scopes.has('system:read');
  if (type.startsWith('system.')) return principal.scopes.has('system:read') && principal.tenants.has(tenant);
  return principal.scopes.has('events:read') && principal.tenants.has(tenant);
}
