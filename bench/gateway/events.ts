/**
 * Realistic lead-bot envelopes for the benchmark: the two most frequent types of a live CRM
 * (a new lead, and the bot's analysis of it), priority `normal` so batching is exercised.
 * Ids are `<tenant>:<seq>` with seq counted per tenant, which is how clients detect loss.
 */
import type { Envelope, Filter } from '../../protocol/index.ts';
import { STAGES, TIMELINES } from '../../protocol/index.ts';

const FIRST = ['Maria', 'James', 'Aisha', 'Chen', 'Lucas', 'Priya', 'Noah', 'Fatima', 'Ethan', 'Sofia'];
const LAST = ['Garcia', 'Smith', 'Okafor', 'Wang', 'Silva', 'Patel', 'Johnson', 'Haddad', 'Brown', 'Rossi'];
const SOURCES = ['facebook-ads', 'zillow', 'website-form', 'google-ads', 'referral', 'open-house'];
const SUMMARIES = [
  'Pre-approved buyer relocating for work, wants 3 bed near good schools, ready to tour this week.',
  'First-time buyer, browsing listings, budget still unclear; follow up in a month.',
  'Investor looking for duplexes with positive cash flow; asked about cap rates twice.',
  'Selling current home first; needs a listing appointment before buying.',
];

/**
 * The subscription filter half of the Leadwire bench clients send, so the gateway's
 * server-side filtering runs on every delivery: a dashboard's "leads in these stages and
 * timelines, in this budget range". Every bench event matches it (events.test.ts checks), so
 * the exact lost/duplicate counts stay valid.
 */
export const BENCH_FILTER: Filter = {
  types: ['lead'],
  stages: STAGES.slice(0, 4),
  timelines: [...TIMELINES],
  budgetMin: 200_000,
  budgetMax: 5_000_000,
};

/** Tenant ids shaped like GHL location ids. */
export function tenantIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `loc${String(i).padStart(6, '0')}bench`);
}

export function benchEnvelope(tenant: string, seq: number, ts: number): Envelope {
  const n = seq * 7 + tenant.length;
  const first = FIRST[n % FIRST.length];
  const last = LAST[(n >> 1) % LAST.length];
  const lead = {
    leadId: `lead_${tenant.slice(3, 9)}_${seq}`,
    name: `${first} ${last}`,
    email: `${first.toLowerCase()}.${last.toLowerCase()}@example.com`,
    phone: `+1-555-${String(1000 + (n % 9000)).padStart(4, '0')}`,
    source: SOURCES[n % SOURCES.length],
    stage: STAGES[n % 4],
    timeline: TIMELINES[n % TIMELINES.length],
    budget: { min: 250_000 + (n % 20) * 25_000, max: 400_000 + (n % 20) * 40_000, currency: 'USD' },
  };
  const id = `${tenant}:${seq}`;
  if (seq % 2 === 0) {
    return { id, type: 'lead.created', tenant, ts, priority: 'normal', data: lead };
  }
  return {
    id,
    type: 'lead.analysis_completed',
    tenant,
    ts,
    priority: 'normal',
    data: {
      ...lead,
      analysisId: `an_${tenant.slice(3, 9)}_${seq}`,
      temperature: (['hot', 'warm', 'cold'] as const)[n % 3],
      score: n % 101,
      summary: SUMMARIES[n % SUMMARIES.length],
      durationMs: 800 + (n % 2_400),
    },
  };
}
