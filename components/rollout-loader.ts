/**
 * leadwire.js as the gateway serves it (docs/rollout.md) — the URL a GHL admin pastes once:
 *
 *   <script src="https://gw.example/leadwire.js" data-gateway="https://gw.example"
 *           data-token-url="/leadwire-token"></script>
 *
 * Before any widget loads it gets the page's token (data-token, or data-token-url as the widgets
 * fetch it), asks the gateway which version this location runs, starts that version's telemetry
 * and imports that version's chunks from `embed/<version>/` beside this script. The version is
 * decided by the gateway from the verified token, the same on every reload.
 */
import { boot } from './boot.ts';
import { locationFromUrl, tokenUrlFor } from './core/ghl-location.ts';
import { TokenSource } from './core/token-source.ts';
import type { Assignment, TelemetryModule } from './telemetry.ts';

const startedAt = performance.now();

/** GET v1/rollout/assignment with the page's token; one fresh token after a refusal. */
async function ask(base: string, source: TokenSource): Promise<Assignment> {
  for (let attempt = 0; ; attempt++) {
    const token = attempt ? await source.renew() : await source.get();
    const response = await fetch(new URL('v1/rollout/assignment', base), {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      cache: 'no-store',
    });
    if (response.ok) return (await response.json()) as Assignment;
    if (response.status !== 401 || attempt || !source.renewable) throw new Error(`the gateway answered HTTP ${response.status} when asked for this location's version`);
  }
}

boot(async ({ base, data }) => {
  const source = new TokenSource({ token: data.token, tokenUrl: tokenUrlFor(data.tokenUrl, locationFromUrl(location.href)) });
  const assignment = await ask(base, source);
  const root = new URL(`embed/${encodeURIComponent(assignment.version)}/leadwire/`, base).href;
  try {
    // First, so it hears what goes wrong while the widgets load.
    const telemetry = (await import(/* @vite-ignore */ `${root}telemetry.js`)) as TelemetryModule;
    telemetry.start({ assignment, base, startedAt, token: () => source.get(), ask: () => ask(base, source) });
  } catch (error) {
    console.warn('[leadwire] telemetry not started', error);
  }
  return `${root}embed.js`;
});
