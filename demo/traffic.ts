/**
 * Realistic lead-bot traffic for the demo and for Storybook's fake gateway: several GHL
 * locations, every public event type, leads that move through the pipeline, analyses that start
 * and then complete or fail, GHL API trouble that trips a circuit breaker, cache lookups, health
 * reports. Pure (no Node or DOM APIs) and seedable, so a seed and a clock reproduce a run.
 */
import type { PayloadOf } from '../protocol/schemas.ts';
import type {
  Channel,
  CircuitState,
  Priority,
  PublicEventType,
  Stage,
  Temperature,
  Timeline,
} from '../protocol/catalog.ts';

/** An envelope as a publisher writes it, typed per public event type. */
export type PublicEnvelope = {
  [K in PublicEventType]: { id: string; type: K; tenant: string; ts: number; priority?: Priority; data: PayloadOf<K> };
}[PublicEventType];

export interface TrafficOptions {
  /** GHL location ids; default four demo locations. */
  tenants?: readonly string[];
  /** Same seed and clock → same traffic. Default: random. */
  seed?: number;
  /** Clock for `ts` (epoch ms). Default Date.now. */
  now?: () => number;
}

export interface Traffic {
  readonly tenants: readonly string[];
  next(): PublicEnvelope;
  /** n envelopes at once, led by a campaign drop of new leads at one location. */
  burst(n: number): PublicEnvelope[];
}

export const DEMO_TENANTS = ['loc_Austin01', 'loc_Denver02', 'loc_Miami03', 'loc_Phoenix04'] as const;
const AREA_CODES = ['512', '303', '305', '602', '206', '615', '704', '919'];

// ---- seedable randomness -----------------------------------------------------------------

/** mulberry32: small, fast, good enough for demo data. */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Dice {
  constructor(readonly random: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)];
  }
  chance(p: number): boolean {
    return this.random() < p;
  }
  /** Picks a key with probability proportional to its weight. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const entries = Object.entries(weights) as [K, number][];
    let roll = this.random() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [key, weight] of entries) {
      roll -= weight;
      if (roll < 0) return key;
    }
    return entries[entries.length - 1][0];
  }
  /** Exponentially distributed wait with the given mean (Poisson arrivals). */
  exponential(mean: number): number {
    return -Math.log(1 - this.random()) * mean;
  }
  token(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += 'abcdefghijkmnpqrstuvwxyz23456789'[this.int(0, 31)];
    return out;
  }
}

// ---- the world ---------------------------------------------------------------------------

const FIRST = ['Ana', 'Marcus', 'Priya', 'Jordan', 'Emily', 'Diego', 'Hannah', 'Tyler', 'Grace', 'Omar', 'Chloe', 'Luis', 'Megan', 'Andre', 'Sofia', 'Kevin', 'Rachel', 'Jamal', 'Olivia', 'Ethan'];
const LAST = ['Souza', 'Bennett', 'Patel', 'Nguyen', 'Carter', 'Ramirez', 'Brooks', 'Kim', 'Foster', 'Haddad', 'Walsh', 'Ortega', 'Sullivan', 'Hughes', 'Rossi', 'Park', 'Coleman', 'Greene', 'Murphy', 'Reyes'];
const SOURCES = ['Zillow', 'Realtor.com', 'Facebook Ads', 'Website', 'Referral'] as const;
const STREETS = ['Maple Ave', 'Oak Ridge Dr', 'Cedar Ln', 'Willow Creek Rd', 'Sunset Blvd', 'Highland St'];
const INBOUND = [
  'Hi, is the 3-bed on {street} still available?',
  'We are pre-approved up to ${budget}. What do you have in that range?',
  'Can we tour this weekend? Saturday morning works best.',
  'Just browsing for now, maybe next year.',
  'Do you have anything with a big yard near good schools?',
  'What are the HOA fees on {street}?',
  'We need to sell our current place first. Can you help with that too?',
  'Is the price negotiable?',
];
const REPLIES = [
  'Thanks {first}! What is your timeline for moving?',
  'Great question, {first}. I will send you the details shortly.',
  'Happy to set up a tour. Does Saturday at 10am work?',
  'Are you already pre-approved for a mortgage?',
  'I have a few homes that match. Want me to text you the listings?',
];
const SUMMARIES: Record<Temperature, string[]> = {
  hot: ['Pre-approved buyer, wants to tour this week', 'Cash buyer relocating for work, ready to offer', 'Motivated seller, listing within 30 days'],
  warm: ['Interested, needs to sell current home first', 'Comparing neighbourhoods, open to a call', 'First-time buyer, talking to lenders'],
  cold: ['Browsing, no timeline given', 'Renting for another year, keep in touch', 'Unresponsive after two follow-ups'],
};
const TAGS: Record<Temperature, string[]> = { hot: ['hot-lead', 'pre-approved', 'tour-requested'], warm: ['warm-lead', 'needs-lender'], cold: ['long-term-nurture'] };
const CONTACT_FIELDS = ['phone', 'email', 'address', 'customField.budget', 'customField.timeline', 'assignedTo', 'dnd'];
const SERVICES = ['ghl-api', 'lead-scorer', 'redis', 'webhook-ingest', 'sms-gateway'] as const;
const GHL_ENDPOINTS = [
  ['GET', '/contacts/{id}'],
  ['PUT', '/contacts/{id}'],
  ['POST', '/conversations/messages'],
  ['POST', '/contacts/{id}/tags'],
  ['GET', '/opportunities/search'],
] as const;
const GHL_FAILURES = [
  { status: 429, code: 'rate_limited', message: 'Too many requests: 100 per 10 seconds per location', retryable: true },
  { status: 429, code: 'rate_limited', message: 'Daily API limit reached for this location', retryable: true },
  { status: 500, code: 'internal_error', message: 'Internal server error', retryable: true },
  { status: 502, code: 'bad_gateway', message: 'Bad gateway', retryable: true },
  { status: 503, code: 'unavailable', message: 'Service temporarily unavailable', retryable: true },
  { status: null, code: 'timeout', message: 'No response within 10000 ms', retryable: true },
  { status: 401, code: 'invalid_token', message: 'OAuth token expired for this location', retryable: false },
  { status: 422, code: 'validation', message: 'phone must be a valid E.164 number', retryable: false },
] as const;
const ANALYSIS_FAILURES = [
  { code: 'model_timeout', message: 'Scoring model did not answer within 30 s', retryable: true },
  { code: 'invalid_output', message: 'Model output did not match the qualification schema', retryable: true },
  { code: 'context_missing', message: 'No conversation history for this contact', retryable: false },
];
/** Pipeline order; nurture and closed can be reached from anywhere and never left backwards. */
const PIPELINE: readonly Stage[] = ['new', 'contacted', 'qualifying', 'qualified', 'appointment', 'handoff', 'closed'];
const TIMELINES_BY_TEMPERATURE: Record<Temperature, Timeline[]> = {
  hot: ['asap', 'asap', '3-6m'],
  warm: ['3-6m', '6-12m', 'unknown'],
  cold: ['6-12m', '12m+', 'unknown'],
};

interface Lead {
  tenant: string;
  leadId: string;
  contactId: string;
  first: string;
  name: string;
  email: string;
  phone: string;
  source: (typeof SOURCES)[number];
  temperature?: Temperature;
  stage: Stage;
  score?: number;
  budget: { min: number; max: number; currency: string };
  timeline: Timeline;
  street: string;
  analysisId?: string;
  unanalysed: number;
}

/** An event waiting for its envelope id and timestamp. */
type Pending = { [K in PublicEventType]: { type: K; tenant: string; priority?: Priority; data: PayloadOf<K> } }[PublicEventType];

const scoreFor = (t: Temperature, dice: Dice) => (t === 'hot' ? dice.int(75, 98) : t === 'warm' ? dice.int(45, 74) : dice.int(5, 44));
const fill = (template: string, lead: Lead) =>
  template
    .replace('{street}', `${lead.street}`)
    .replace('{first}', lead.first)
    .replace('{budget}', `${Math.round(lead.budget.max / 1000)}k`);

export function createTraffic(options: TrafficOptions = {}): Traffic {
  const tenants = options.tenants?.length ? [...options.tenants] : [...DEMO_TENANTS];
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
  const now = options.now ?? Date.now;
  const dice = new Dice(createRng(seed));
  const idPrefix = `${seed.toString(36)}${Math.floor(now()).toString(36)}`;
  let sequence = 0;
  const queue: Pending[] = [];
  const leads: Lead[] = [];
  const connections: { tenant: string; connectionId: string }[] = [];
  let circuit: CircuitState = 'closed';
  let failures = 0;

  const emit = <K extends PublicEventType>(type: K, tenant: string, data: PayloadOf<K>, priority?: Priority) =>
    queue.push({ type, tenant, data, ...(priority ? { priority } : {}) } as Pending);

  /** The lead facts as they stand now (a snapshot: the lead keeps changing). */
  const facts = (lead: Lead) => ({
    leadId: lead.leadId,
    name: lead.name,
    email: lead.email,
    phone: lead.phone,
    source: lead.source,
    stage: lead.stage,
    budget: { ...lead.budget },
    timeline: lead.timeline,
    ...(lead.temperature ? { temperature: lead.temperature } : {}),
    ...(lead.score !== undefined ? { score: lead.score } : {}),
  });

  function newLead(tenant: string, source = dice.pick(SOURCES)): void {
    const first = dice.pick(FIRST);
    const last = dice.pick(LAST);
    const area = AREA_CODES[tenants.indexOf(tenant) % AREA_CODES.length];
    const min = dice.int(8, 32) * 25_000;
    const lead: Lead = {
      tenant,
      leadId: `lead_${dice.token(8)}`,
      contactId: `ct_${dice.token(10)}`,
      first,
      name: `${first} ${last}`,
      email: `${first}.${last}${dice.int(1, 99)}@example.com`.toLowerCase(),
      // 555-0100…0199 is reserved for fiction
      phone: `+1${area}55501${String(dice.int(0, 99)).padStart(2, '0')}`,
      source,
      stage: 'new',
      budget: { min, max: min + dice.int(2, 12) * 25_000, currency: 'USD' },
      timeline: dice.pick(['asap', '3-6m', '6-12m', '12m+', 'unknown'] as const),
      street: `${dice.int(100, 9899)} ${dice.pick(STREETS)}`,
      unanalysed: 0,
    };
    leads.push(lead);
    emit('lead.created', tenant, facts(lead));
    if (dice.chance(0.5)) cacheLookup(tenant, `ghl:contact:${lead.contactId}`, 'ghl-contact', 0.1);
  }

  function inbound(lead: Lead): void {
    lead.unanalysed++;
    const channel: Channel = dice.pick(['sms', 'sms', 'sms', 'email', 'chat', 'voicemail', 'social']);
    emit('lead.message_received', lead.tenant, { ...facts(lead), channel, text: fill(dice.pick(INBOUND), lead) });
    if (dice.chance(0.8)) {
      emit('ghl.message_sent', lead.tenant, {
        ...facts(lead),
        contactId: lead.contactId,
        channel: channel === 'voicemail' || channel === 'social' ? 'sms' : channel,
        text: fill(dice.pick(REPLIES), lead),
        messageId: `msg_${dice.token(12)}`,
      });
      if (circuit === 'closed') failures = 0; // a successful GHL call ends a run of failures
    }
    if (lead.stage === 'new') advance(lead, 'contacted', 'First reply sent');
  }

  function startAnalysis(lead: Lead): void {
    lead.analysisId = `an_${dice.token(10)}`;
    lead.unanalysed = 0;
    cacheLookup(lead.tenant, `score:${lead.leadId}`, 'lead-score', 0.3);
    emit('lead.analysis_started', lead.tenant, { ...facts(lead), analysisId: lead.analysisId, model: 'lead-scorer-v3' });
  }

  function finishAnalysis(lead: Lead): void {
    const analysisId = lead.analysisId!;
    lead.analysisId = undefined;
    if (dice.chance(0.12)) {
      const failure = dice.pick(ANALYSIS_FAILURES);
      emit('lead.analysis_failed', lead.tenant, {
        ...facts(lead),
        analysisId,
        error: { code: failure.code, message: failure.message },
        retryable: failure.retryable,
      });
      if (failure.retryable) lead.unanalysed++;
      return;
    }
    const before = lead.temperature;
    // temperatures drift by one step at a time, mostly warming as the conversation goes on
    const order: Temperature[] = ['cold', 'warm', 'hot'];
    const index = before ? order.indexOf(before) : dice.int(0, 2);
    const temperature = order[Math.max(0, Math.min(2, index + dice.pick([-1, 0, 0, 1, 1])))];
    lead.temperature = temperature;
    lead.score = scoreFor(temperature, dice);
    lead.timeline = dice.pick(TIMELINES_BY_TEMPERATURE[temperature]);
    emit('lead.analysis_completed', lead.tenant, {
      ...facts(lead),
      analysisId,
      temperature,
      score: lead.score,
      summary: dice.pick(SUMMARIES[temperature]),
      durationMs: dice.int(800, 9_000),
    });
    if (dice.chance(0.3)) cacheInvalidate(lead.tenant, `score:${lead.leadId}`, 'lead-score', 'rescored');
    if (before && before !== temperature) {
      emit('lead.temperature_changed', lead.tenant, {
        ...facts(lead),
        previous: before,
        temperature,
        reason: temperature === 'hot' ? 'Asked for a showing' : temperature === 'cold' ? 'No reply to follow-ups' : 'Engaged again',
      });
    }
    if (dice.chance(0.5)) emit('ghl.tag_added', lead.tenant, { ...facts(lead), contactId: lead.contactId, tag: dice.pick(TAGS[temperature]) });
    if (dice.chance(0.4)) {
      const fields = [...new Set([dice.pick(CONTACT_FIELDS), dice.pick(CONTACT_FIELDS)])];
      emit('ghl.contact_updated', lead.tenant, { ...facts(lead), contactId: lead.contactId, fields });
    }
  }

  function advance(lead: Lead, stage: Stage, reason: string): void {
    const previous = lead.stage;
    lead.stage = stage;
    emit('lead.stage_changed', lead.tenant, { ...facts(lead), previous, stage, reason });
    if (stage === 'closed') leads.splice(leads.indexOf(lead), 1);
  }

  /** Moves a lead one step forward; cold leads drift into nurture, nurture eventually closes. */
  function progress(lead: Lead): void {
    if (lead.stage === 'nurture') return advance(lead, 'closed', 'Nurture sequence finished');
    if (lead.temperature === 'cold' && dice.chance(0.5)) return advance(lead, 'nurture', 'Cold: moved to long-term nurture');
    const next = PIPELINE[PIPELINE.indexOf(lead.stage) + 1];
    const reasons: Partial<Record<Stage, string>> = {
      qualifying: 'Bot started qualification questions',
      qualified: 'Budget and timeline confirmed',
      appointment: 'Showing booked',
      handoff: 'Handed to an agent',
      closed: dice.chance(0.6) ? 'Under contract' : 'Lost to another agent',
    };
    advance(lead, next, reasons[next] ?? 'Pipeline update');
  }

  function stepLead(lead: Lead): void {
    if (lead.analysisId) return finishAnalysis(lead);
    if (lead.stage === 'new') return inbound(lead);
    if (lead.unanalysed > 0 && dice.chance(0.6)) return startAnalysis(lead);
    const ready = lead.temperature !== undefined && (lead.stage !== 'qualifying' || lead.temperature !== 'cold' || dice.chance(0.5));
    if (ready && dice.chance(0.35)) return progress(lead);
    inbound(lead);
  }

  function cacheLookup(tenant: string, key: string, namespace: string, missRate: number): void {
    const latencyMs = Math.round(dice.random() * 40) / 10;
    emit(dice.chance(missRate) ? 'cache.miss' : 'cache.hit', tenant, { key, namespace, latencyMs });
  }
  function cacheInvalidate(tenant: string, key: string, namespace: string, reason: string): void {
    emit('cache.invalidated', tenant, { key, namespace, reason, count: dice.int(1, 3) });
  }

  function ghlTrouble(): void {
    const lead = leads.length ? dice.pick(leads) : undefined;
    const tenant = lead?.tenant ?? dice.pick(tenants);
    const failure = dice.pick(GHL_FAILURES);
    const [method, path] = dice.pick(GHL_ENDPOINTS);
    // now and then a storm of retries that trips the breaker; usually one or two errors
    const attempts = !failure.retryable ? 1 : dice.chance(0.25) ? dice.int(4, 6) : dice.int(1, 2);
    const endpoint = path.replace('{id}', lead?.contactId ?? `ct_${dice.token(10)}`);
    for (let attempt = 1; attempt <= attempts; attempt++) {
      emit('ghl.api_error', tenant, {
        ...(lead ? { leadId: lead.leadId } : {}),
        endpoint,
        method,
        status: failure.status,
        code: failure.code,
        message: failure.message,
        retryable: failure.retryable && attempt < attempts,
        attempt,
      });
      failures++;
    }
    if (circuit === 'closed' && failures >= 4) {
      setCircuit('open', `${failures} consecutive GHL API failures`);
      emit('system.alert', tenant, {
        severity: 'warning',
        title: 'GHL API circuit open',
        message: `Calls to GHL are paused after ${failures} failures (last: ${failure.status ?? 'timeout'} ${failure.code}).`,
        service: 'ghl-api',
        metric: 'consecutive_failures',
        value: failures,
        threshold: 4,
      }, 'critical');
    }
  }

  function setCircuit(state: CircuitState, reason: string): void {
    emit('system.circuit_changed', '*', { service: 'ghl-api', previous: circuit, state, failures, reason });
    circuit = state;
    if (state === 'closed') failures = 0;
  }

  function recoverCircuit(): void {
    if (circuit === 'open') return setCircuit('half_open', 'Cool-down elapsed; sending a probe request');
    if (dice.chance(0.75)) setCircuit('closed', 'Probe request succeeded');
    else setCircuit('open', 'Probe request failed');
  }

  function health(): void {
    const service = dice.pick(SERVICES);
    const troubled = service === 'ghl-api' && circuit !== 'closed';
    const status = troubled ? (circuit === 'open' ? 'down' : 'degraded') : dice.chance(0.06) ? 'degraded' : 'up';
    const p95 = status === 'up' ? dice.int(40, 400) : dice.int(900, 4_000);
    emit('system.health', '*', {
      service,
      status,
      metrics: { p95Ms: p95, errorRate: status === 'up' ? dice.int(0, 8) / 1000 : dice.int(50, 300) / 1000, queueDepth: dice.int(0, status === 'up' ? 5 : 120) },
      ...(status !== 'up' ? { message: troubled ? 'Circuit breaker not closed' : 'Latency above target' } : {}),
    });
    if (status !== 'up' && dice.chance(0.4)) {
      emit('system.alert', '*', {
        severity: status === 'down' ? 'critical' : 'warning',
        title: `${service} ${status}`,
        message: `p95 latency ${p95} ms over the last 5 minutes`,
        service,
        metric: 'p95Ms',
        value: p95,
        threshold: 800,
      });
    }
  }

  function systemError(): void {
    const [service, code, message] = dice.pick([
      ['lead-scorer', 'worker_crash', 'Worker exited with code 137 (out of memory); restarted'],
      ['webhook-ingest', 'bad_signature', 'Rejected a webhook with an invalid signature'],
      ['sms-gateway', 'carrier_reject', 'Carrier rejected an outbound SMS (unregistered 10DLC campaign)'],
      ['redis', 'reconnect', 'Connection reset; reconnected after 120 ms'],
    ] as const);
    emit('system.error', dice.chance(0.5) ? '*' : dice.pick(tenants), { service, code, message });
  }

  function connection(): void {
    const open = connections.length;
    if (open < 3 || (open < 12 && dice.chance(0.5))) {
      const entry = { tenant: dice.pick(tenants), connectionId: `conn_${dice.token(8)}` };
      connections.push(entry);
      emit('connection.opened', entry.tenant, {
        connectionId: entry.connectionId,
        transport: dice.pick(['ws', 'ws', 'ws', 'sse', 'poll']),
        peer: `203.0.113.${dice.int(1, 254)}`,
      });
      return;
    }
    const entry = dice.pick(connections);
    if (dice.chance(0.25)) {
      emit('connection.lagging', entry.tenant, { connectionId: entry.connectionId, bufferedBytes: dice.int(256, 4_096) * 1024, lagMs: dice.int(500, 15_000) });
      return;
    }
    connections.splice(connections.indexOf(entry), 1);
    const [code, reason] = dice.pick([[1000, 'page closed'], [1001, 'navigated away'], [1006, 'network lost'], [4408, 'lagging']] as const);
    emit('connection.closed', entry.tenant, { connectionId: entry.connectionId, code, reason });
  }

  function act(): void {
    const action = dice.weighted({
      // the pool of open leads stays bounded: closings keep pace with new leads once it is full
      newLead: leads.length < tenants.length * 4 ? 12 : leads.length < tenants.length * 10 ? 2 : 0,
      lead: leads.length ? 45 : 0,
      cache: 14,
      ghlTrouble: circuit === 'closed' ? 2 : 0.5,
      circuit: circuit === 'closed' ? 0 : 2,
      health: 6,
      systemError: 1,
      connection: 4,
    });
    switch (action) {
      case 'newLead':
        return newLead(dice.pick(tenants));
      case 'lead':
        return stepLead(dice.pick(leads));
      case 'cache': {
        const lead = leads.length ? dice.pick(leads) : undefined;
        if (lead && dice.chance(0.3)) return cacheInvalidate(lead.tenant, `ghl:contact:${lead.contactId}`, 'ghl-contact', 'contact updated');
        return cacheLookup(lead?.tenant ?? dice.pick(tenants), `ghl:contact:${lead?.contactId ?? `ct_${dice.token(10)}`}`, 'ghl-contact', 0.2);
      }
      case 'ghlTrouble':
        return ghlTrouble();
      case 'circuit':
        return recoverCircuit();
      case 'health':
        return health();
      case 'systemError':
        return systemError();
      case 'connection':
        return connection();
    }
  }

  function next(): PublicEnvelope {
    while (queue.length === 0) act();
    const pending = queue.shift()!;
    return { id: `evt_${idPrefix}_${(sequence++).toString(36)}`, ts: Math.floor(now()), ...pending } as PublicEnvelope;
  }

  function burst(n: number): PublicEnvelope[] {
    // a campaign drop: a batch of new leads at one location from one source, then the usual mix
    const tenant = dice.pick(tenants);
    const source = dice.pick(['Facebook Ads', 'Zillow', 'Realtor.com'] as const);
    for (let i = 0; i < Math.ceil(n / 5); i++) newLead(tenant, source);
    return Array.from({ length: n }, next);
  }

  return { tenants, next, burst };
}

// ---- pacing ------------------------------------------------------------------------------

export interface ScheduleOptions {
  seed?: number;
  /** Mean rate while steady, events/s. Default 3. */
  ratePerSecond?: number;
  /** Burst sizes, inclusive. Default [20, 50]. */
  burstSize?: readonly [number, number];
}

/** One step of the schedule: wait `delayMs`, then publish `count` events at once. */
export interface ScheduleStep {
  delayMs: number;
  count: number;
  phase: 'steady' | 'quiet' | 'burst';
}

/**
 * An endless schedule alternating steady traffic (Poisson arrivals), quiet periods (a trickle)
 * and bursts (20–50 events at once). Averages a few events per second.
 */
export function* schedule(options: ScheduleOptions = {}): Generator<ScheduleStep, never> {
  const dice = new Dice(createRng(options.seed ?? Math.floor(Math.random() * 2 ** 32)));
  const rate = options.ratePerSecond ?? 3;
  const [burstMin, burstMax] = options.burstSize ?? [20, 50];
  for (;;) {
    const phase = dice.weighted({ steady: 5, quiet: 2, burst: 2 });
    if (phase === 'burst') {
      yield { delayMs: Math.round(dice.exponential(1000 / rate)), count: dice.int(burstMin, burstMax), phase };
      continue;
    }
    const phaseRate = phase === 'steady' ? rate : rate / 10;
    let remaining = dice.int(5_000, 20_000);
    while (remaining > 0) {
      const delayMs = Math.round(dice.exponential(1000 / phaseRate));
      remaining -= delayMs;
      yield { delayMs, count: 1, phase };
    }
  }
}
