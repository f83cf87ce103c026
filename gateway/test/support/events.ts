/** Valid envelopes for tests, numbered so order and completeness can be checked exactly. */
import type { Envelope } from '../../../protocol/index.ts';

let counter = 0;

export function leadEvent(tenant: string, overrides: Partial<Record<string, unknown>> = {}, data: Record<string, unknown> = {}): Envelope {
  const n = ++counter;
  return {
    id: `evt-${process.pid}-${n}`,
    type: 'lead.analysis_completed',
    tenant,
    ts: Date.now(),
    ...overrides,
    data: {
      leadId: `L${n}`,
      name: `Lead ${n}`,
      source: 'Zillow',
      analysisId: `A${n}`,
      temperature: 'warm',
      stage: 'qualifying',
      score: 50,
      ...data,
    },
  } as Envelope;
}

export function ids(events: Array<{ id: string }>): string[] {
  return events.map((e) => e.id);
}
