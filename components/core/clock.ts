/**
 * Clock offset between this page and the gateway, NTP-style: for a ping sent at t0 (local), the
 * server's answer time `at`, and the pong received at t1 (local), offset = at − (t0 + t1) / 2,
 * with uncertainty RTT / 2. Of the recent samples the one with the smallest RTT wins (the least
 * queueing). Latency shown in the UI is then (local now + offset) − event.ts.
 */
export class ClockOffset {
  private samples: Array<{ offset: number; rtt: number }> = [];
  constructor(private readonly keep = 8) {}

  /** Record one exchange; returns the current best offset. */
  sample(t0: number, serverAt: number, t1: number): number {
    const rtt = Math.max(0, t1 - t0);
    this.samples.push({ offset: serverAt - (t0 + t1) / 2, rtt });
    if (this.samples.length > this.keep) this.samples.shift();
    return this.offset;
  }

  /** Milliseconds to add to the local clock to get the gateway's; 0 until measured. */
  get offset(): number {
    let best: { offset: number; rtt: number } | undefined;
    for (const s of this.samples) if (!best || s.rtt < best.rtt) best = s;
    return best ? best.offset : 0;
  }

  get measured(): boolean {
    return this.samples.length > 0;
  }

  reset(): void {
    this.samples = [];
  }
}
