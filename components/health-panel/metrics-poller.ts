/**
 * The panel's checks of the metrics endpoint: one read every `interval`, rarely in a hidden tab
 * and at once when it is shown again, with backoff while the gateway does not answer (retries
 * start quicker than the interval, to see a blip end, and back off well beyond it).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { MetricsSummary } from '../../protocol/index.ts';
import { Backoff } from '../core/backoff.ts';
import type { MetricsSource } from './metrics-source.ts';

export const DEFAULT_INTERVAL_MS = 5_000;
const HIDDEN_INTERVAL_MS = 60_000;

export type MetricsAnswer = { summary: MetricsSummary } | { error: unknown };
/** How an answer went: the next check comes after the interval, a backoff, or the longer of both. */
export type MetricsOutcome = 'ok' | 'unreachable' | 'refused';

export class MetricsPoller implements ReactiveController {
  private polling: { source: MetricsSource; abort: AbortController; timer?: ReturnType<typeof setTimeout> } | undefined;
  /** The source polling was last started for; null when stopped. */
  private pollingFor: MetricsSource | undefined | null = null;
  private every = DEFAULT_INTERVAL_MS;
  private backoff = new Backoff();

  /**
   * @param ready resolves when an answer may be handled (awaited after each read)
   * @param handle takes each answer
   */
  constructor(
    host: ReactiveControllerHost,
    private readonly ready: () => Promise<unknown>,
    private readonly handle: (answer: MetricsAnswer) => MetricsOutcome,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.stop();
  }

  /**
   * Polls `source` every `interval` ms (a missing or non-positive one would poll in a tight
   * loop: the default then). Restarts, and answers true, only when either changed.
   */
  follow(source: MetricsSource | undefined, interval: number): boolean {
    const every = Number.isFinite(interval) && interval > 0 ? interval : DEFAULT_INTERVAL_MS;
    if (source === this.pollingFor && every === this.every) return false;
    this.stop();
    this.pollingFor = source;
    this.every = every;
    this.backoff = new Backoff({ initialMs: Math.min(1_000, every), maxMs: Math.max(30_000, every * 6) });
    if (source) {
      this.polling = { source, abort: new AbortController() };
      this.schedule(0);
    }
    return true;
  }

  /** Checks now instead of waiting for the next interval. */
  refresh(): void {
    if (this.polling) this.schedule(0);
  }

  private stop(): void {
    this.pollingFor = null;
    if (!this.polling) return;
    clearTimeout(this.polling.timer);
    this.polling.abort.abort();
    this.polling = undefined;
  }

  private schedule(delay: number): void {
    const polling = this.polling;
    if (!polling) return;
    clearTimeout(polling.timer);
    // A tab nobody looks at checks rarely; it catches up the moment it is shown again.
    const wait = document.visibilityState === 'hidden' ? Math.max(delay, HIDDEN_INTERVAL_MS) : delay;
    polling.timer = setTimeout(() => void this.check(polling), wait);
  }

  private async check(polling: NonNullable<typeof this.polling>): Promise<void> {
    const ready = this.ready();
    let answer: MetricsAnswer;
    try {
      answer = { summary: await polling.source.read(polling.abort.signal) };
    } catch (error) {
      answer = { error };
    }
    await ready;
    if (polling !== this.polling) return;
    const outcome = this.handle(answer);
    if (outcome === 'ok') this.backoff.reset();
    // A missing scope or token will not fix itself quickly: check again, gently.
    this.schedule(outcome === 'ok' ? this.every : outcome === 'unreachable' ? this.backoff.next() : Math.max(this.every, this.backoff.next()));
  }

  private onVisibility = () => {
    if (document.visibilityState === 'visible') this.refresh();
  };
}
