/**
 * A circuit breaker around Redis (closed → open → half-open → closed, as opossum and
 * Centrifugo do it). Closed: calls go through and consecutive failures are counted. After
 * `failures` in a row it opens: calls fail at once with BreakerOpenError (no connection
 * attempts queued, no retry storm), until `cooldownMs` has passed. Then one call goes through
 * as the probe (half-open) while the others still fail fast; its success closes the breaker,
 * its failure opens it for another cool-down.
 *
 * Only a Redis that does not answer counts: a reply error (WRONGTYPE, a script error) is an
 * answer, so it never opens the breaker.
 */
import { ReplyError } from 'ioredis';

export type BreakerState = 'closed' | 'open' | 'half-open';

export class BreakerOpenError extends Error {
  override name = 'BreakerOpenError';
  constructor(
    readonly retryAfterMs: number,
    cause: string | undefined,
  ) {
    super(`redis circuit breaker open (${cause ?? 'failures'}): Redis not called for ${Math.ceil(retryAfterMs)} ms`);
  }
}

export interface BreakerOptions {
  /** Consecutive failures that open the breaker. */
  failures: number;
  /** How long it stays open before one probe is let through. */
  cooldownMs: number;
  onChange?: (state: BreakerState, cause?: string) => void;
}

export class CircuitBreaker {
  state: BreakerState = 'closed';
  /** Consecutive failures while closed. */
  failures = 0;
  /** Times it opened. */
  opened = 0;
  /** Calls refused without calling Redis. */
  refused = 0;
  /** Told every change of state, in order (metrics, logs, tests). */
  readonly listeners = new Set<(state: BreakerState, cause?: string) => void>();
  /** The failure that opened it last. */
  cause: string | undefined;
  private openedAt = 0;
  private probing = false;

  constructor(private readonly options: BreakerOptions) {}

  /** `canProbe: false` for calls that hold a connection (XREAD BLOCK): they wait for another call to close it. */
  async run<T>(call: () => Promise<T>, canProbe = true): Promise<T> {
    if (this.state !== 'closed') {
      const waited = Date.now() - this.openedAt;
      if (this.state === 'open' && waited >= this.options.cooldownMs && canProbe) this.set('half-open');
      if (this.state === 'open' || this.probing || !canProbe) {
        this.refused++;
        throw new BreakerOpenError(Math.max(this.options.cooldownMs - waited, 0), this.cause);
      }
      this.probing = true;
    }
    const probe = this.state === 'half-open';
    try {
      const result = await call();
      this.settled(probe);
      return result;
    } catch (error) {
      if (error instanceof ReplyError) this.settled(probe);
      else this.failed(probe, error as Error);
      throw error;
    } finally {
      if (probe) this.probing = false;
    }
  }

  /**
   * Only the probe decides a half-open breaker; a call started before the breaker opened and
   * answered late neither closes it nor opens it again (as opossum does).
   */
  private settled(probe: boolean): void {
    if (probe) this.set('closed');
    if (this.state === 'closed') this.failures = 0;
  }

  private failed(probe: boolean, error: Error): void {
    if (!probe && this.state !== 'closed') return;
    this.failures++;
    if (probe || this.failures >= this.options.failures) {
      this.openedAt = Date.now();
      this.opened++;
      this.cause = error.message;
      this.set('open', error.message);
    }
  }

  private set(state: BreakerState, cause?: string): void {
    this.state = state;
    this.options.onChange?.(state, cause);
    for (const listener of this.listeners) listener(state, cause);
  }
}
