/**
 * Exponential backoff with full jitter (AWS architecture blog): the n-th retry waits a uniform
 * random time in [0, min(max, initial · 2^n)]. Spreads a crowd of reconnecting clients instead
 * of synchronising them. `reset()` after a connection has stayed up for a while.
 */
export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  random?: () => number;
}

export class Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
  private readonly random: () => number;
  /** Retries since the last reset. */
  attempt = 0;

  constructor({ initialMs = 500, maxMs = 20_000, random = Math.random }: BackoffOptions = {}) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.random = random;
  }

  /** The cap for the current attempt, before jitter. */
  ceiling(): number {
    return Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.attempt, 30));
  }

  next(): number {
    const delay = Math.floor(this.random() * this.ceiling());
    this.attempt++;
    return delay;
  }

  reset(): void {
    this.attempt = 0;
  }
}
