/**
 * The isolation oracle: what a token with a given subscription may receive, written from the
 * rules (DESIGN §4, protocol filter `matches()`) rather than from the gateway's code, and a
 * checker that holds every delivered event against it. Transport-neutral: WS, SSE and poll
 * tests hand it the StreamEvents their client received.
 */
import { isDeepStrictEqual } from 'node:util';
import { ALL_TENANTS, matches, type Envelope, type StreamEvent, type Subscription } from '../../../protocol/index.ts';
import type { Scope } from '../../src/auth.ts';

export interface Viewer {
  /** The token's claims. */
  tenants: string[];
  scopes: Scope[];
  /** What the client asked for (tenants outside the token are refused, not granted). */
  subscription?: Subscription;
}

/** The tenants a viewer receives: its subscription's, narrowed to the token's; all of the token's when the list is omitted (an empty list is none). */
export function effectiveTenants(viewer: Viewer): Set<string> {
  const granted = new Set(viewer.tenants.filter((t) => t !== ALL_TENANTS));
  const asked = viewer.subscription?.tenants ?? [...granted];
  return new Set(asked.filter((t) => granted.has(t)));
}

/** The families whose events may be addressed to every tenant (`*`). */
export function isDeploymentWide(type: string): boolean {
  return type.startsWith('system.') || type.startsWith('connection.');
}

/** Whether this envelope may, and should, reach this viewer. */
export function visible(viewer: Viewer, envelope: Envelope): boolean {
  const tenants = effectiveTenants(viewer);
  if (envelope.tenant === ALL_TENANTS) {
    // Deployment-wide: system and connection events only (anything else is refused on the way in).
    if (!isDeploymentWide(envelope.type) || !viewer.scopes.includes('system:read')) return false;
  } else if (envelope.type.startsWith('system.')) {
    if (!viewer.scopes.includes('system:read')) return false;
    if (!tenants.has(envelope.tenant)) return false;
  } else {
    if (!viewer.scopes.includes('events:read')) return false;
    if (!tenants.has(envelope.tenant)) return false;
  }
  return matches(envelope, viewer.subscription?.filter);
}

/** Ids the viewer should receive from `published` (in stream order), in that order. */
export function expectedIds(viewer: Viewer, published: Iterable<Envelope>): string[] {
  const out: string[] = [];
  for (const envelope of published) if (visible(viewer, envelope)) out.push(envelope.id);
  return out;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
const PHONE = /\+?\(?(?:\d[\s().-]{0,2}){9,14}\d/g;

/** Every email address and phone number in an envelope's data, as written. */
export function piiIn(envelope: Envelope): string[] {
  const found = new Set<string>();
  const walk = (value: unknown, key: string): void => {
    if (typeof value === 'string') {
      if (/e-?mail|phone/i.test(key) && value.length >= 5) found.add(value);
      for (const m of value.match(EMAIL) ?? []) found.add(m);
      for (const m of value.match(PHONE) ?? []) found.add(m);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, Array.isArray(value) ? key : k);
    }
  };
  walk(envelope.data, '');
  return [...found];
}

/**
 * Every way `delivered` breaks the rules for this viewer: events it may not see (other
 * tenant, missing scope, outside its filter), unknown or duplicated events, PII in clear
 * without `pii:read`, altered data with it. Empty = clean.
 */
export function violations(viewer: Viewer, delivered: readonly StreamEvent[], published: ReadonlyMap<string, Envelope>): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const reveal = viewer.scopes.includes('pii:read');
  for (const event of delivered) {
    const original = published.get(event.id);
    const where = `${event.id} (${event.type} @ ${event.tenant})`;
    if (!original) {
      problems.push(`${where}: never published`);
      continue;
    }
    if (seen.has(event.id)) problems.push(`${where}: delivered twice`);
    seen.add(event.id);
    if (event.tenant !== original.tenant || event.type !== original.type || event.ts !== original.ts) {
      problems.push(`${where}: envelope altered`);
    }
    if (!visible(viewer, original)) problems.push(`${where}: LEAK — not visible to tenants ${viewer.tenants} scopes ${viewer.scopes}`);
    const wire = JSON.stringify(event.data);
    if (reveal) {
      if (!isDeepStrictEqual(event.data, original.data)) problems.push(`${where}: data altered for a pii:read token`);
    } else {
      for (const pii of piiIn(original)) {
        if (wire.includes(pii)) problems.push(`${where}: PII in clear without pii:read`);
      }
      const data = event.data as Record<string, unknown>;
      if (typeof data.email === 'string' && !/^.\*\*\*@|^\*\*\*$/.test(data.email)) problems.push(`${where}: email not masked`);
      if (typeof data.phone === 'string' && !/^\*\*\*(-\*\*\*-\d{4})?$/.test(data.phone)) problems.push(`${where}: phone not masked`);
    }
  }
  return problems;
}
