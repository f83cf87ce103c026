/**
 * The event catalog as plain data: type names, families, enums and default priorities.
 * Browser-safe (no zod) — the zod schemas in schemas.ts are built from these lists.
 */

export const PRIORITIES = ['critical', 'high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const TEMPERATURES = ['hot', 'warm', 'cold'] as const;
export type Temperature = (typeof TEMPERATURES)[number];

export const STAGES = [
  'new',
  'contacted',
  'qualifying',
  'qualified',
  'appointment',
  'handoff',
  'nurture',
  'closed',
] as const;
export type Stage = (typeof STAGES)[number];

export const TIMELINES = ['asap', '3-6m', '6-12m', '12m+', 'unknown'] as const;
export type Timeline = (typeof TIMELINES)[number];

export const CHANNELS = ['sms', 'email', 'chat', 'call', 'voicemail', 'social'] as const;
export type Channel = (typeof CHANNELS)[number];

export const HEALTH_STATUSES = ['up', 'degraded', 'down'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CIRCUIT_STATES = ['closed', 'open', 'half_open'] as const;
export type CircuitState = (typeof CIRCUIT_STATES)[number];

/** Every publishable type, by family, with the priority it gets when the publisher names none. */
export const CATALOG = {
  lead: {
    'lead.created': 'high',
    'lead.message_received': 'normal',
    'lead.analysis_started': 'low',
    'lead.analysis_completed': 'normal',
    'lead.analysis_failed': 'high',
    'lead.temperature_changed': 'high',
    'lead.stage_changed': 'normal',
  },
  ghl: {
    'ghl.contact_updated': 'low',
    'ghl.tag_added': 'low',
    'ghl.message_sent': 'normal',
    'ghl.api_error': 'high',
  },
  cache: {
    'cache.hit': 'low',
    'cache.miss': 'low',
    'cache.invalidated': 'low',
  },
  system: {
    'system.health': 'low',
    'system.alert': 'critical',
    'system.error': 'high',
    'system.circuit_changed': 'high',
  },
  connection: {
    'connection.opened': 'low',
    'connection.closed': 'low',
    'connection.lagging': 'normal',
  },
} as const satisfies Record<string, Record<string, Priority>>;

export type Family = keyof typeof CATALOG;
export const FAMILIES = Object.keys(CATALOG) as Family[];

type Flatten<T> = { [F in keyof T]: keyof T[F] }[keyof T];
/** The 21 types publishers may send. */
export type PublicEventType = Flatten<typeof CATALOG> & string;
/** Written by the gateway itself (who exported what); publishers cannot send it. */
export const AUDIT_EXPORT = 'audit.export';
/** Written by the gateway itself (who or what changed the rollout of widget versions); deployment-wide. */
export const AUDIT_ROLLOUT = 'audit.rollout';
export type EventType = PublicEventType | typeof AUDIT_EXPORT | typeof AUDIT_ROLLOUT;

export const PUBLIC_EVENT_TYPES = FAMILIES.flatMap(
  (family) => Object.keys(CATALOG[family]) as PublicEventType[],
);
export const EVENT_TYPES: readonly EventType[] = [...PUBLIC_EVENT_TYPES, AUDIT_EXPORT, AUDIT_ROLLOUT];

export const DEFAULT_PRIORITY: Readonly<Record<EventType, Priority>> = Object.freeze({
  ...(Object.assign({}, ...FAMILIES.map((f) => CATALOG[f])) as Record<PublicEventType, Priority>),
  [AUDIT_EXPORT]: 'low',
  [AUDIT_ROLLOUT]: 'normal',
});

export function familyOf(type: string): string {
  const dot = type.indexOf('.');
  return dot === -1 ? type : type.slice(0, dot);
}

/** Tenant id used for deployment-wide events (system.*), seen by tokens with `system:read`. */
export const ALL_TENANTS = '*';
/** Families whose events may be deployment-wide (tenant `*`): the gateway's and the bots' own state. */
export const DEPLOYMENT_WIDE_FAMILIES = ['system', 'connection'] as const;
