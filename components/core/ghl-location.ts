/**
 * The GHL location a page is for, from its URL, and the token URL told which one asks: shared
 * by the embed (its token source) and the rollout loader (which needs a token before any widget
 * loads).
 */

/** GHL custom pages and menu links can pass the location id in the URL (`{{location.id}}`). */
export function locationFromUrl(href: string): string | undefined {
  const params = new URL(href).searchParams;
  return params.get('location_id') ?? params.get('locationId') ?? params.get('location') ?? undefined;
}

/** The token URL, told which GHL location asks when the page knows it. */
export function tokenUrlFor(tokenUrl: string | undefined, location: string | undefined): string | undefined {
  if (!tokenUrl || !location) return tokenUrl;
  const url = new URL(tokenUrl, document.baseURI);
  if (!url.searchParams.has('location')) url.searchParams.set('location', location);
  return url.href;
}
