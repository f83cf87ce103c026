/**
 * Which browser pages may talk to this gateway. ALLOWED_ORIGINS lists origins
 * (`https://crm.example.com`), subdomain wildcards (`https://*.leadconnectorhq.com`, which does
 * not match the bare domain) or `*`. Unset: same-origin pages only, plus any loopback page when
 * the gateway itself is bound to loopback (local development). A request without an Origin
 * header is not a cross-origin browser request and is let through; the token still decides.
 */
import type { RequestHandler } from 'express';

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|\[::1\]|localhost)$/i;
export const isLoopback = (host: string) => LOOPBACK.test(host);

export type OriginMatcher = (origin: string) => boolean;

/** The settings origins are judged by (a Config has them). */
export interface OriginSettings {
  ALLOWED_ORIGINS?: string;
  HOST: string;
}

interface Pattern {
  protocol: string;
  /** Exact hostname, or the suffix after `*.`. */
  host: string;
  wildcard: boolean;
  port: string;
}

function parseOrigin(origin: string): { protocol: string; hostname: string; port: string } | undefined {
  if (origin === 'null') return undefined;
  try {
    const url = new URL(origin);
    // An Origin is scheme://host[:port] and nothing else.
    if (url.origin !== origin.toLowerCase().replace(/\/$/, '')) return undefined;
    return { protocol: url.protocol, hostname: url.hostname, port: url.port };
  } catch {
    return undefined;
  }
}

function compile(entry: string): Pattern | 'any' {
  if (entry === '*') return 'any';
  const match = /^(https?:)\/\/(\*\.)?([^/:*]+)(?::(\d+))?\/?$/i.exec(entry);
  if (!match) throw new Error(`not an origin pattern: ${JSON.stringify(entry)} (want scheme://host[:port], *.host allowed)`);
  const [, protocol, star, host, port = ''] = match;
  const defaultPort = protocol.toLowerCase() === 'https:' ? '443' : '80';
  return { protocol: protocol.toLowerCase(), host: host.toLowerCase(), wildcard: !!star, port: port === defaultPort ? '' : port };
}

/** A matcher for a list of patterns (a comma-separated string or an array, e.g. a token claim). */
export function compileOrigins(list: string | readonly string[]): OriginMatcher {
  const entries = (typeof list === 'string' ? list.split(',') : list).map((e) => e.trim()).filter(Boolean);
  const patterns = entries.map(compile);
  if (patterns.includes('any')) return () => true;
  const specific = patterns as Pattern[];
  return (origin) => {
    const parsed = parseOrigin(origin);
    if (!parsed) return false;
    return specific.some(
      (p) =>
        p.protocol === parsed.protocol &&
        p.port === parsed.port &&
        (p.wildcard ? parsed.hostname.endsWith('.' + p.host) : parsed.hostname === p.host),
    );
  };
}

const compiled = new Map<string, OriginMatcher>();

/**
 * Whether a page at `origin` may connect. `host` is the request's Host header, used for the
 * same-origin default when ALLOWED_ORIGINS is unset.
 */
export function originAllowed(
  origin: string | undefined,
  config: OriginSettings,
  host?: string,
): boolean {
  if (origin === undefined) return true;
  const list = config.ALLOWED_ORIGINS?.trim();
  if (list) {
    let matcher = compiled.get(list);
    if (!matcher) compiled.set(list, (matcher = compileOrigins(list)));
    return matcher(origin);
  }
  const parsed = parseOrigin(origin);
  if (!parsed) return false;
  if (host !== undefined && new URL(origin).host === host.toLowerCase()) return true;
  return isLoopback(config.HOST) && isLoopback(parsed.hostname);
}

/** Throws on a malformed ALLOWED_ORIGINS so a typo stops the gateway at start, not at first use. */
export function checkOrigins(config: Pick<OriginSettings, 'ALLOWED_ORIGINS'>): void {
  if (config.ALLOWED_ORIGINS?.trim()) compileOrigins(config.ALLOWED_ORIGINS);
}

/**
 * CORS for the HTTP routes (SSE, poll, metrics, ingest): allowed origins get the CORS headers
 * and preflights a 204; a disallowed Origin gets 403 `{"error":"forbidden_origin"}`.
 * Tokens travel in the Authorization header or the query, never cookies: no credentials mode.
 */
export function corsMiddleware(config: OriginSettings): RequestHandler {
  checkOrigins(config);
  return (req, res, next) => {
    const origin = req.headers.origin;
    res.vary('Origin');
    if (origin === undefined) return next();
    if (!originAllowed(origin, config, req.headers.host)) {
      res.status(403).json({ error: 'forbidden_origin', message: `origin ${origin} is not allowed` });
      return;
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Last-Event-ID');
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
