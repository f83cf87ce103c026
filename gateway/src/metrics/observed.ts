/** What the metrics see of a running gateway, and the counts both of their views derive from it. */
import type { EventLog } from '../log/log.ts';
import type { Session } from '../session.ts';
import type { DeliveryStats, IngestStats } from './stats.ts';

export interface Observed {
  stats: DeliveryStats;
  ingest: IngestStats;
  sessions: ReadonlySet<Session>;
  log: EventLog;
  /** Refused browser tokens by reason (the Authenticator's counts). */
  authFailures: Readonly<Record<string, number>>;
  /** Refusals by limit: ip, tenant, frames, http (ConnectionLimits' counts). */
  limitRefusals: Readonly<Record<string, number>>;
}

export function countByTransport(sessions: ReadonlySet<Session>): { ws: number; sse: number; poll: number } {
  const counts = { ws: 0, sse: 0, poll: 0 };
  for (const session of sessions) counts[session.sink.transport]++;
  return counts;
}

export function countSubscriptions(sessions: ReadonlySet<Session>): number {
  let n = 0;
  for (const session of sessions) n += session.tenants.size;
  return n;
}

/** Refused browser tokens by reason plus refused publisher keys. */
export function authFailureCounts(observed: Observed): Record<string, number> {
  return { ...observed.authFailures, publisher_key: observed.ingest.publisherKeyFailures };
}
