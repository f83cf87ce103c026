/**
 * A tiny localisation layer: the English strings in one table, `Intl` for dates, numbers and
 * relative time. A page can replace strings with `setStrings({ … })` (e.g. a Spanish table).
 * Parts that load on demand bring their own English texts (./strings/, see LaterStrings);
 * StringKey names them all, and a page's replacements apply to them whether set before or after
 * they load. Every text a widget shows goes through msg().
 */
import type { exportFileStrings } from './strings/export-file.ts';
import type { exportMenuStrings } from './strings/export-menu.ts';
import type { checksStrings } from './strings/health-checks.ts';
import type { fullViewStrings } from './strings/health-full-view.ts';
import type { filterBarStrings } from './strings/filter-bar.ts';
import type { presetManagerStrings } from './strings/preset-manager.ts';
import type { feedHistoryStrings } from './strings/feed-history.ts';

const en = {
  'status.connecting': 'Connecting…',
  'status.live': 'Live',
  'status.reconnecting': 'Reconnecting…',
  'status.fallback': 'Live ({transport})',
  'status.offline': 'Offline',
  'status.unauthorised': 'Not authorised',
  'latency': '{ms} ms',
  'feed.label': 'Lead activity',
  'feed.empty': 'No activity yet. New events will appear here as they happen.',
  'feed.empty-filtered': 'No events match the current filters.',
  'feed.loading': 'Connecting to the activity stream…',
  'feed.error': 'The activity stream is unavailable ({reason}).',
  'feed.unauthorised': 'You are not authorised to see this activity. Sign in again or ask an admin for access.',
  'feed.retry': 'Try again',
  'feed.new-events': '{count} new events',
  'feed.new-event': '1 new event',
  'feed.pause': 'Pause live updates',
  'feed.resume': 'Resume live updates',
  'feed.paused': 'Paused: {count} events waiting',
  'feed.gap': 'Some events could not be recovered after the connection dropped.',
  'feed.backdated': 'logged {time}',
  'feed.expand': 'Show details',
  'feed.collapse': 'Hide details',
  'feed.announce': '{priority} priority: {summary}',
  'feed.announce-more': '{count} more high-priority events',
  'feed.score': 'score {score}',
  'feed.tag': 'tag “{tag}”',
  'feed.fields': 'changed: {fields}',
  'filters.label': 'Filters',
  'filters.all': 'All activity',
  'filters.reset': 'Reset filters',
  'filters.show': 'Edit filters',
  'filters.hide': 'Hide filters',
  'filters.dates': 'Date',
  'filters.date.any': 'Any time',
  'filters.date.today': 'Today',
  'filters.date.7d': 'Last 7 days',
  'filters.date.30d': 'Last 30 days',
  'filters.date.custom': 'Custom',
  'filters.date.from': 'From',
  'filters.date.to': 'To',
  'filters.summary.today': 'today',
  'filters.summary.7d': 'last 7 days',
  'filters.summary.30d': 'last 30 days',
  'filters.summary.range': '{from} – {to}',
  'filters.summary.since': 'since {from}',
  'filters.summary.until': 'until {to}',
  'filters.summary.budget-min': '{min}+',
  'filters.summary.budget-max': 'up to {max}',
  'filters.summary.types': '{count} event types',
  'filters.summary.text': '“{text}”',
  'filters.temperatures': 'Lead temperature',
  'filters.stages': 'Bot stage',
  'filters.budget': 'Budget',
  'filters.budget.min': 'Minimum',
  'filters.budget.max': 'Maximum',
  'filters.timelines': 'Timeline',
  'filters.types': 'Event types',
  'filters.types.expand': 'Show {family} types',
  'filters.search': 'Search',
  'filters.search.hint': 'Lead name, source or message',
  'filters.presets': 'Saved filters',
  'filters.presets.saved': 'Saved “{name}”.',
  'filters.presets.taken': 'A saved filter is already called “{name}”.',
  'filters.presets.deleted': 'Deleted “{name}”.',
  'filters.family.lead': 'Lead',
  'filters.family.ghl': 'GHL',
  'filters.family.cache': 'Cache',
  'filters.family.system': 'System',
  'filters.family.connection': 'Connection',
  'temperature.hot': 'Hot',
  'temperature.warm': 'Warm',
  'temperature.cold': 'Cold',
  'stage.new': 'New',
  'stage.contacted': 'Contacted',
  'stage.qualifying': 'Qualifying',
  'stage.qualified': 'Qualified',
  'stage.appointment': 'Appointment',
  'stage.handoff': 'Handoff',
  'stage.nurture': 'Nurture',
  'stage.closed': 'Closed',
  'timeline.asap': 'ASAP',
  'timeline.3-6m': '3–6 months',
  'timeline.6-12m': '6–12 months',
  'timeline.12m+': '12+ months',
  'timeline.unknown': 'Timeline unknown',
  'theme.label': 'Theme',
  'theme.auto': 'Auto',
  'theme.light': 'Light',
  'theme.dark': 'Dark',
  'theme.high-contrast': 'High contrast',
  'health.label': 'Pipeline health',
  'health.tiles': 'Status',
  'health.tile.gateway': 'Gateway',
  'health.tile.store': 'Redis',
  'health.tile.connections': 'Connections',
  'health.tile.events-in': 'Events in',
  'health.tile.events-out': 'Events out',
  'health.tile.latency': 'Delivery latency p95',
  'health.tile.pipeline-lag': 'Pipeline lag p99',
  'health.tile.error-rate': 'Error rate',
  'health.tile.cpu': 'CPU',
  'health.tile.memory': 'Memory',
  'health.tile.loop-lag': 'Event-loop lag',
  'health.tile.browser': 'Latency to this browser',
  'health.status.up': 'Up',
  'health.status.degraded': 'Degraded',
  'health.status.down': 'Down',
  'health.status.unknown': 'Checking…',
  'health.store.connected': 'Connected',
  'health.store.disconnected': 'Disconnected',
  'health.store.memory': 'In-memory log',
  'health.level.warning': 'Warning',
  'health.level.critical': 'Critical',
  'health.level.info': 'Info',
  'health.ms': '{value} ms',
  'health.percent': '{value} %',
  'health.per-second': '{value}/s',
  'health.none': '—',
  'health.backfilled': 'Backfilled',
  'health.detail.backfilled': 'old events replayed: not a delivery time',
  'health.more': 'More figures ({count})',
  'health.more-tiles': 'More figures',
  'health.detail.gateway': '{instance} · up {uptime}',
  'health.detail.last-seen': 'last seen {time}',
  'health.detail.rtt': 'round trip {value} ms',
  'health.detail.connections': 'WS {ws} · SSE {sse} · poll {poll}',
  'health.detail.latency': 'p50 {p50} · p99 {p99} ms',
  'health.detail.lag': 'p50 {p50} ms',
  'health.detail.errors': 'schema {schema} · auth {auth} · lagging {lagging}',
  'health.detail.rss': 'RSS {value} MB',
  'health.detail.browser': 'on the shared connection ({status})',
  'health.forbidden': 'Health metrics need the system:read permission, which your access does not include. Ask an admin to grant it.',
  'health.unauthorised': 'The gateway refused the sign-in for health metrics ({reason}). Sign in again.',
  'health.unreachable': 'The gateway is unreachable ({reason}). Showing the last known values; retrying.',
  'health.no-gateway': 'No gateway is configured for this panel.',
  'health.alert.announce': '{level}: {text}',
  'health.services': 'Services',
  'priority.critical': 'Critical',
  'priority.high': 'High',
  'priority.normal': 'Normal',
  'priority.low': 'Low',
  'export.label': 'Export',
  'export.title': 'Leadwire activity',
  'export.reason.scope': 'Exporting needs the "export" permission. Ask an admin to grant it.',
  'export.reason.checking': 'Checking export permission…',
  'export.reason.auth': 'Exporting needs a sign-in: no token could be fetched.',
} as const;

/** Texts of the parts loaded on demand: the health panel's full view and alerts, the saved-filter manager, the export menu and files. */
type LaterStrings = typeof feedHistoryStrings & typeof fullViewStrings & typeof checksStrings & typeof presetManagerStrings & typeof filterBarStrings & typeof exportMenuStrings & typeof exportFileStrings;

export type StringKey = keyof typeof en | keyof LaterStrings;
let strings: Partial<Record<StringKey, string>> = { ...en };

/** Override some or all strings (e.g. for another language). */
export function setStrings(overrides: Partial<Record<StringKey, string>>): void {
  strings = { ...strings, ...overrides };
}

/**
 * Adds the English texts of a part loaded on demand, under whatever the page has set already:
 * a setStrings() made before the part loaded still wins.
 */
export function addStrings(defaults: Partial<Record<StringKey, string>>): void {
  strings = { ...defaults, ...strings };
}

const warned = new Set<string>();

/**
 * The string for `key` with `{name}` placeholders filled in. Keys are sometimes built from event
 * fields (`priority.${event.priority}`): an unknown one shows as the key itself (warned once)
 * rather than breaking the widget's render.
 */
export function msg(key: StringKey, params: Record<string, string | number> = {}): string {
  let text: string | undefined = strings[key];
  if (typeof text !== 'string') {
    if (!warned.has(key)) {
      warned.add(key);
      console.warn(`[leadwire] no text for "${key}"`);
    }
    text = key;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** "lead.analysis_completed" → "Analysis completed"; "ghl.api_error" → "GHL API error". */
export function typeLabel(type: string): string {
  const [family, action = family] = type.split('.');
  const label = action
    .split('_')
    .map((word) => (word === 'api' ? 'API' : word))
    .join(' ');
  const prefixed = family === 'ghl' ? `GHL ${label}` : family === 'cache' || family === 'audit' ? `${family} ${label}` : label;
  return prefixed.charAt(0).toUpperCase() + prefixed.slice(1);
}

/** The page's language (html[lang]) or the browser's. */
export function locale(): string {
  return document.documentElement.lang || navigator.language || 'en';
}

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>(
  kind: string,
  options: object,
  make: (loc: string) => T,
): T {
  const loc = locale();
  const key = `${kind}|${loc}|${JSON.stringify(options)}`;
  let formatter = cache.get(key) as T | undefined;
  if (!formatter) cache.set(key, (formatter = make(loc)));
  return formatter;
}

export function formatNumber(value: number, options: Intl.NumberFormatOptions = {}): string {
  return cached('n', options, (loc) => new Intl.NumberFormat(loc, options)).format(value);
}

export function formatMoney(value: number, currency = 'USD'): string {
  const options = { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 } as const;
  try {
    return cached('n', options, (loc) => new Intl.NumberFormat(loc, options)).format(value);
  } catch {
    return `${formatNumber(value)} ${currency}`; // an unknown currency code
  }
}

export function formatDateTime(ts: number, options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'medium' }): string {
  return cached('d', options, (loc) => new Intl.DateTimeFormat(loc, options)).format(ts);
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.35],
  ['month', 12],
  ['year', Infinity],
];

/** "5 seconds ago", "now", "in 2 minutes" — `now` passed in so a whole list shares one clock. */
export function formatRelative(ts: number, now: number): string {
  const rtf = cached('r', {}, (loc) => new Intl.RelativeTimeFormat(loc, { numeric: 'auto' }));
  let value = (ts - now) / 1000;
  for (const [unit, size] of UNITS) {
    if (Math.abs(value) < size) return rtf.format(Math.round(value), unit);
    value /= size;
  }
  return rtf.format(Math.round(value), 'year');
}
