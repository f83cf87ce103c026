/**
 * The rollout of widget versions across GHL locations, as plain data and pure functions: which
 * version a location gets (`assign`), and each change an operator or the gateway may make
 * (`stage`, `step`, `setPercent`, `rollback`, `promote`). No I/O here: the store persists the
 * state, the monitor and the CLI decide when to change it.
 */
import { z } from 'zod';

/** The seed's steps for a candidate: its share of locations, in percent. */
export const STEPS = [10, 25, 50, 75, 100] as const;

/**
 * A published version's name: its directory under ROLLOUT_VERSIONS_DIR and its URL segment
 * (`/embed/<version>/…`), so no slash, no dot-dot, no leading dot.
 */
export const versionSchema = z
  .string()
  .regex(/^[0-9A-Za-z][0-9A-Za-z._+-]{0,63}$/, 'a version name: letters, digits, . _ + - (at most 64), not starting with a dot')
  .refine((v) => !v.includes('..'), 'a version name may not contain ".."');

/** One change, as the audit event tells it. */
const changeSchema = z
  .object({
    revision: z.number().int().nonnegative(),
    by: z.string().max(200),
    at: z.number().int().nonnegative(),
    action: z.string().max(40),
    reason: z.string().max(500),
    stable: versionSchema,
    candidate: versionSchema.nullable(),
    percent: z.number().int().min(0).max(100),
    withdrawn: z.array(versionSchema).max(1_000),
  })
  .strict();
export type ChangeRecord = z.output<typeof changeSchema>;

/** Changes kept in the state, so a gateway that saw several land between two reads audits each. */
export const HISTORY = 20;

const location = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'a GHL location id (letters, digits, _ or -)');

export const rolloutStateSchema = z
  .object({
    stable: versionSchema,
    candidate: versionSchema.nullable().default(null),
    /** Share of locations (by bucket) on the candidate, 0–100. */
    percent: z.number().int().min(0).max(100).default(0),
    /** Locations always on the candidate (while there is one); deny wins over allow. */
    allow: z.array(location).max(10_000).default([]),
    /** Locations never on the candidate. */
    deny: z.array(location).max(10_000).default([]),
    /** Versions pages must stop running: open pages are told to reload. */
    withdrawn: z.array(versionSchema).max(1_000).default([]),
    /** Increases by one with every change; the store refuses a write from a stale revision. */
    revision: z.number().int().nonnegative().default(0),
    /** Who made the last change: `cli:<user>`, `gateway auto-rollback`, `gateway schedule`. */
    changedBy: z.string().max(200).default('unknown'),
    changedAt: z.number().int().nonnegative().default(0),
    /** What the last change was (`stage`, `step`, `set`, `rollback`, `promote`, …) and why. */
    action: z.string().max(40).default('init'),
    reason: z.string().max(500).default(''),
    /** When the candidate's percentage last changed (the schedule counts from here). */
    stepAt: z.number().int().nonnegative().default(0),
    /** Automatic schedule: move to the next step this often while healthy; 0 = manual only. */
    autoStepMs: z.number().int().nonnegative().default(0),
    /** The last HISTORY changes, oldest first. */
    history: z.array(changeSchema).max(HISTORY).default([]),
  })
  .strict();

export type RolloutState = z.output<typeof rolloutStateSchema>;

export class RolloutError extends Error {
  override name = 'RolloutError';
}

/**
 * A location's bucket, 0–99: FNV-1a (32-bit) of the location id's UTF-8 bytes, modulo 100. The
 * same id always lands in the same bucket, on every gateway and in every release, so a location
 * never flips version on reload, and raising the percentage only adds locations.
 */
export function bucketOf(locationId: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(locationId)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % 100;
}

export type AssignmentReason = 'stable' | 'deny' | 'allow' | 'bucket';

export interface Assignment {
  version: string;
  bucket: number;
  reason: AssignmentReason;
}

/** The version `locationId` loads under `state`. */
export function assign(state: RolloutState, locationId: string): Assignment {
  const bucket = bucketOf(locationId);
  const { candidate } = state;
  if (!candidate || state.withdrawn.includes(candidate)) return { version: state.stable, bucket, reason: 'stable' };
  if (state.deny.includes(locationId)) return { version: state.stable, bucket, reason: 'deny' };
  if (state.allow.includes(locationId)) return { version: candidate, bucket, reason: 'allow' };
  return bucket < state.percent ? { version: candidate, bucket, reason: 'bucket' } : { version: state.stable, bucket, reason: 'stable' };
}

/** `value` as `schema` reads it, or a RolloutError naming what is wrong. */
function check<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new RolloutError(`${what}${issue.path.length ? ` ${issue.path.join('.')}` : ''}: ${issue.message}`);
}

export interface Change {
  by: string;
  now: number;
  reason?: string;
}

function changed(state: RolloutState, action: string, patch: Partial<RolloutState>, change: Change): RolloutState {
  const percentMoved = patch.percent !== undefined && patch.percent !== state.percent;
  const next = {
    ...state,
    ...patch,
    revision: state.revision + 1,
    changedBy: change.by.slice(0, 200),
    changedAt: change.now,
    action,
    reason: (change.reason ?? '').slice(0, 500),
    stepAt: percentMoved || action === 'stage' ? change.now : state.stepAt,
  };
  const record: ChangeRecord = {
    revision: next.revision,
    by: next.changedBy,
    at: next.changedAt,
    action,
    reason: next.reason,
    stable: next.stable,
    candidate: next.candidate,
    percent: next.percent,
    withdrawn: next.withdrawn,
  };
  return { ...next, history: [...state.history, record].slice(-HISTORY) };
}

/** The first state: `stable` for everyone, no candidate. */
export function initial(stable: string, change: Change): RolloutState {
  return changed(rolloutStateSchema.parse({ stable: check(versionSchema, stable, 'version') }), 'init', {}, change);
}

/** `version` becomes the candidate at 0 % (allow-listed locations get it at once). */
export function stage(state: RolloutState, version: string, change: Change): RolloutState {
  check(versionSchema, version, 'version');
  if (version === state.stable) throw new RolloutError(`${version} is already the stable version`);
  return changed(state, 'stage', { candidate: version, percent: 0, withdrawn: state.withdrawn.filter((v) => v !== version) }, change);
}

function needCandidate(state: RolloutState): string {
  if (!state.candidate) throw new RolloutError('no candidate is staged (leadwire-rollout stage <version>)');
  if (state.withdrawn.includes(state.candidate)) throw new RolloutError(`candidate ${state.candidate} was rolled back; stage it again to resume`);
  return state.candidate;
}

/** The next seed step above the current percentage (10 → 25 → 50 → 75 → 100). */
export function nextStep(percent: number): number | undefined {
  return STEPS.find((s) => s > percent);
}

export function step(state: RolloutState, change: Change): RolloutState {
  needCandidate(state);
  const next = nextStep(state.percent);
  if (next === undefined) throw new RolloutError('the candidate is at 100 %: promote it');
  return changed(state, 'step', { percent: next }, change);
}

export function setPercent(state: RolloutState, percent: number, change: Change): RolloutState {
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) throw new RolloutError(`percent must be a whole number from 0 to 100, not ${percent}`);
  needCandidate(state);
  return changed(state, 'set', { percent }, change);
}

/** The candidate back to 0 % and withdrawn: pages running it are told to reload. */
export function rollback(state: RolloutState, change: Change): RolloutState {
  const candidate = state.candidate;
  if (!candidate) throw new RolloutError('no candidate to roll back');
  const withdrawn = state.withdrawn.includes(candidate) ? state.withdrawn : [...state.withdrawn, candidate];
  return changed(state, 'rollback', { percent: 0, withdrawn, autoStepMs: 0 }, change);
}

/** The candidate becomes the stable version for every location. */
export function promote(state: RolloutState, change: Change): RolloutState {
  const candidate = needCandidate(state);
  return changed(state, 'promote', { stable: candidate, candidate: null, percent: 0, autoStepMs: 0 }, change);
}

export function setLists(state: RolloutState, lists: { allow?: string[]; deny?: string[] }, change: Change): RolloutState {
  const patch = check(rolloutStateSchema.pick({ allow: true, deny: true }).partial(), lists, 'list');
  return changed(state, 'lists', patch, change);
}

/** Automatic schedule: step every `everyMs` while healthy; 0 stops it. */
export function schedule(state: RolloutState, everyMs: number, change: Change): RolloutState {
  if (!Number.isInteger(everyMs) || everyMs < 0) throw new RolloutError(`the schedule period must be a whole number of ms ≥ 0, not ${everyMs}`);
  if (everyMs > 0) needCandidate(state);
  return changed(state, 'schedule', { autoStepMs: everyMs }, change);
}

/** Whether the schedule says the candidate is due for its next step at `now`. */
export function stepDue(state: RolloutState, now: number): boolean {
  if (!state.autoStepMs || !state.candidate || state.withdrawn.includes(state.candidate)) return false;
  return nextStep(state.percent) !== undefined && now - state.stepAt >= state.autoStepMs;
}
