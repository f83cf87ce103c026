/**
 * The gateway's side of a rollout: keeps the stored state at hand (re-read every
 * ROLLOUT_CHECK_MS, so a change made by the CLI or another gateway arrives), answers which
 * version a location loads, records every change as an `audit.rollout` event, and judges the
 * candidate: rolled back to 0 % when its failure rate exceeds the stable's by ROLLOUT_MARGIN
 * over at least ROLLOUT_MIN_SAMPLE loads (a `system.alert` says so), stepped on when the
 * automatic schedule says so.
 */
import { ALL_TENANTS, AUDIT_ROLLOUT } from '../../../protocol/index.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { failureRate, since, type VersionCounts, type VersionHealth } from './health.ts';
import { assign, rollback, step, stepDue, type Assignment, type RolloutState } from './model.ts';
import { updateRollout, type RolloutStore } from './store.ts';

export const AUTO_ROLLBACK = 'gateway auto-rollback';
export const AUTO_SCHEDULE = 'gateway schedule';

export interface RolloutDeps {
  config: Pick<Config, 'ROLLOUT_CHECK_MS' | 'ROLLOUT_MARGIN' | 'ROLLOUT_MIN_SAMPLE'>;
  store: RolloutStore;
  health: Pick<VersionHealth, 'snapshot'>;
  logger: Logger;
  /** Appends one of the gateway's own events once per id (every gateway sees each change). */
  appendOnce(envelope: { id: string; tenant: string; type: string; ts: number; data: object }): Promise<unknown>;
  now?(): number;
}

interface Window {
  candidate: string;
  /** The revision that staged it (a version staged again, after a rollback, starts afresh). */
  staged: number;
  candidate0: VersionCounts;
  stable0: VersionCounts;
}

export class Rollout {
  private current: RolloutState | null = null;
  /** The revision last audited; undefined until the first read (what it finds was audited by whoever made it). */
  private audited: number | undefined;
  private window: Window | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private ticking: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(private readonly deps: RolloutDeps) {
    this.now = deps.now ?? Date.now;
  }

  get state(): RolloutState | null {
    return this.current;
  }

  /** Reads the state (a store still away is retried on the next tick) and starts judging. */
  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.deps.config.ROLLOUT_CHECK_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
    await this.deps.store.close();
  }

  /** The version this location loads, or null before any rollout state exists. */
  assignment(location: string): Assignment | null {
    return this.current && assign(this.current, location);
  }

  /** Versions a report may name: those the rollout knows of. */
  knows(version: string): boolean {
    const s = this.current;
    return !!s && (s.stable === version || s.candidate === version || s.withdrawn.includes(version));
  }

  /** One pass: re-read, then judge the candidate. Overlapping calls share one pass. */
  tick(): Promise<void> {
    this.ticking ??= this.pass()
      .catch((error: Error) => this.deps.logger.warn({ err: error.message }, 'rollout: state not read or not judged; trying again'))
      .finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async pass(): Promise<void> {
    await this.observe(await this.deps.store.load());
    await this.judge();
  }

  /** Takes `next` as the current state; a change since the last one seen is audited. */
  private async observe(next: RolloutState | null): Promise<void> {
    this.current = next;
    if (!next) {
      this.audited ??= -1; // nothing stored yet: every change from now on is new
      return;
    }
    const staged = next.history.findLast((c) => c.action === 'stage')?.revision ?? 0;
    if (next.candidate && (this.window?.candidate !== next.candidate || this.window.staged !== staged)) {
      // The candidate is judged on what happened since it was staged (as this gateway saw it).
      this.window = { candidate: next.candidate, staged, candidate0: this.deps.health.snapshot(next.candidate), stable0: this.deps.health.snapshot(next.stable) };
    }
    if (this.audited === undefined) {
      this.audited = next.revision;
      return;
    }
    // Each change once, in order; a failed write is tried again at the next read (ids dedupe).
    for (const change of next.history.filter((c) => c.revision > this.audited!)) {
      const { at, ...data } = change;
      await this.deps.appendOnce({ id: `rollout-${change.revision}`, tenant: ALL_TENANTS, type: AUDIT_ROLLOUT, ts: at || this.now(), data });
      this.audited = change.revision;
    }
    this.audited = Math.max(this.audited, next.revision);
  }

  private async judge(): Promise<void> {
    const s = this.current;
    const w = this.window;
    if (!s?.candidate || s.withdrawn.includes(s.candidate) || !w || w.candidate !== s.candidate) return;
    const { ROLLOUT_MARGIN: margin, ROLLOUT_MIN_SAMPLE: minSample } = this.deps.config;
    const candidate = since(this.deps.health.snapshot(s.candidate), w.candidate0);
    const stable = since(this.deps.health.snapshot(s.stable), w.stable0);
    const [cRate, sRate] = [failureRate(candidate), failureRate(stable)];
    if (candidate.loads >= minSample && cRate > sRate + margin) {
      const reason = `failure rate ${cRate.toFixed(3)} over ${candidate.loads} loads vs stable ${s.stable} ${sRate.toFixed(3)} over ${stable.loads} (margin ${margin})`;
      const judged = s.candidate;
      const next = await updateRollout(this.deps.store, (latest) =>
        latest && latest.candidate === judged && !latest.withdrawn.includes(judged) ? rollback(latest, { by: AUTO_ROLLBACK, now: this.now(), reason }) : latest!,
      );
      if (next.revision === s.revision || next.action !== 'rollback' || next.changedBy !== AUTO_ROLLBACK) return this.observe(next);
      this.deps.logger.error({ candidate: judged, stable: s.stable, candidateRate: cRate, stableRate: sRate, loads: candidate.loads }, 'rollout: candidate rolled back');
      await this.deps.appendOnce({
        id: `rollout-alert-${next.revision}`,
        tenant: ALL_TENANTS,
        type: 'system.alert',
        ts: this.now(),
        data: {
          severity: 'critical',
          title: `Widget version ${judged} rolled back`,
          message: `Leadwire rolled the candidate ${judged} back to 0 %: ${reason}. Every location loads ${s.stable} on its next page load.`,
          service: 'leadwire-rollout',
          metric: 'widget_failure_rate',
          value: cRate,
          threshold: sRate + margin,
        },
      });
      return this.observe(next);
    }
    if (stepDue(s, this.now())) {
      const next = await updateRollout(this.deps.store, (latest) => (latest && stepDue(latest, this.now()) ? step(latest, { by: AUTO_SCHEDULE, now: this.now(), reason: 'schedule' }) : latest!));
      await this.observe(next);
    }
  }
}
