/**
 * Where the gateway token comes from: a fixed string (attribute), or a `token-url` the page's
 * own backend answers with a short-lived token — fetched on demand and again before it expires.
 * The URL may answer JSON `{ "token": "…" }` or the bare token as text.
 */
export interface TokenSourceOptions {
  token?: string;
  tokenUrl?: string;
  /** Refresh this long before expiry (or at 80 % of a shorter lifetime). */
  leadMs?: number;
  fetch?: typeof fetch;
}

/** The claims of a JWT (unverified: for display and keys only), or null when it is not a JWT. */
export function tokenClaims(token: string): Record<string, unknown> | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const claims: unknown = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The `exp` claim of a JWT in epoch ms, or null when it has none or is not a JWT. */
export function tokenExpiry(token: string): number | null {
  const exp = tokenClaims(token)?.exp;
  return typeof exp === 'number' ? exp * 1000 : null;
}

/** Whether a token fetch failed because the token URL refused (401/403: the user is signed out). */
export const tokenRefused = (error: unknown) => [401, 403].includes((error as { status?: number }).status!);

export class TokenSource {
  private current: string | undefined;
  private pending: Promise<string | undefined> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly fetch: typeof fetch;
  /** Called with each token fetched by the scheduled refresh. */
  onRefresh: ((token: string) => void) | undefined;
  /** Called with every token fetched (first, renewed, refreshed). */
  onToken: ((token: string) => void) | undefined;

  constructor(private readonly options: TokenSourceOptions) {
    this.current = options.token;
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** Whether asking again can yield a different token (a fixed attribute cannot). */
  get renewable(): boolean {
    return !!this.options.tokenUrl;
  }

  async get(): Promise<string | undefined> {
    if (this.current === undefined) return this.renew();
    if (this.options.tokenUrl && this.timer === undefined) {
      // Disposed (the connection stopped) and used again: refresh in time once more, or now if
      // the cached token is already past its refresh point.
      if (this.refreshIn(this.current) === 0) return this.renew();
      this.schedule(this.current);
    }
    return this.current;
  }

  /** Forget the current token and fetch a new one (after an auth refusal or before expiry). */
  renew(): Promise<string | undefined> {
    if (!this.options.tokenUrl) return Promise.resolve(this.current);
    this.pending ??= this.load(this.options.tokenUrl).finally(() => (this.pending = undefined));
    return this.pending;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async load(url: string): Promise<string | undefined> {
    const response = await this.fetch(url, { credentials: 'include', cache: 'no-store' });
    if (!response.ok) throw Object.assign(new Error(`token-url answered HTTP ${response.status}`), { status: response.status });
    const body = (await response.text()).trim();
    let token = body;
    if (body.startsWith('{')) token = String((JSON.parse(body) as { token?: unknown }).token ?? '');
    if (!token) throw new Error('token-url answered without a token');
    this.current = token;
    this.schedule(token);
    this.onToken?.(token);
    return token;
  }

  /** How long until `token` should be refreshed (0: now), or null when it does not expire. */
  private refreshIn(token: string): number | null {
    const expiry = tokenExpiry(token);
    if (expiry === null) return null;
    const life = expiry - Date.now();
    const lead = Math.min(this.options.leadMs ?? 60_000, life * 0.2);
    return Math.max(0, life - lead);
  }

  private schedule(token: string): void {
    this.dispose();
    const wait = this.refreshIn(token);
    if (wait === null) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.renew().then(
        (fresh) => fresh && this.onRefresh?.(fresh),
        () => {}, // the connection's own auth refusal will retry
      );
    }, wait);
  }
}
