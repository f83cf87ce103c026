/** Helpers for the trust tests: a log you can read back, a JWKS server, token signing. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';
import { pino } from 'pino';
import type { Logger } from '../../src/logger.ts';

/** A pino logger whose JSON lines are kept in `lines` (as text, to check nothing secret leaks). */
export function captureLogs(level = 'info'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level }, stream), lines };
}

export interface SigningKey {
  alg: 'ES256' | 'RS256';
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function signingKey(alg: 'ES256' | 'RS256', kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export interface JwksServer {
  url: string;
  /** Requests received (counted on arrival, before any answer). */
  readonly fetches: number;
  rotate(keys: SigningKey[]): void;
  /** Holds every answer until the returned function is called (a slow identity provider). */
  hold(): () => void;
  close(): Promise<void>;
}

/** A JWKS endpoint serving whichever keys are current; counts fetches. */
export async function startJwksServer(keys: SigningKey[]): Promise<JwksServer> {
  let current = keys;
  let gate: Promise<void> = Promise.resolve();
  const state = { fetches: 0 };
  const server: Server = createServer((_req, res) => {
    state.fetches++;
    void gate.then(() => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: current.map((k) => k.publicJwk) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
    get fetches() {
      return state.fetches;
    },
    rotate(keys) {
      current = keys;
    },
    hold() {
      let release!: () => void;
      gate = new Promise<void>((resolve) => (release = resolve));
      return () => {
        gate = Promise.resolve();
        release();
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Claims {
  sub?: string;
  tenants?: unknown;
  scopes?: string[];
  origins?: string[];
  aud?: string;
  iss?: string;
  /** Seconds from now (at least: `exp` is rounded up to the next whole second); null = no exp claim. */
  ttl?: number | null;
}

/** Signs claims with an asymmetric key (kid in the header) or an HS256 secret. */
export async function sign(claims: Claims, key: SigningKey | string): Promise<string> {
  const { sub = 'user-1', ttl = 3600, aud, iss, ...rest } = claims;
  const jwt = new SignJWT({ scopes: ['events:read'], ...rest }).setSubject(sub).setIssuedAt();
  if (ttl !== null) jwt.setExpirationTime(Math.ceil(Date.now() / 1000) + ttl);
  if (aud) jwt.setAudience(aud);
  if (iss) jwt.setIssuer(iss);
  if (typeof key === 'string') return jwt.setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(key));
  return jwt.setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' }).sign(key.privateKey);
}

/** An unsigned token (`alg: none`), which must never be accepted. */
export function unsignedToken(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}
