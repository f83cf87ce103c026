/**
 * How recent sessions ended, so a client that reconnects can be told: a client that stopped
 * reading never receives the close frame queued behind its full send buffer (it sees 1006), and
 * could not tell "too slow" from "network lost" otherwise. Bounded in entries and age; only the
 * same subject may read a session's ending.
 */
export interface Ending {
  code: number;
  reason: string;
}

interface Entry extends Ending {
  subject: string;
  at: number;
}

export class ClosedSessions {
  private readonly endings = new Map<string, Entry>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly maxAgeMs = 10 * 60_000,
  ) {}

  record(session: string, subject: string, ending: Ending, now = Date.now()): void {
    this.endings.set(session, { ...ending, subject, at: now });
    // Insertion order is age order: the oldest go first.
    for (const [id, entry] of this.endings) {
      if (this.endings.size <= this.maxEntries && now - entry.at <= this.maxAgeMs) break;
      this.endings.delete(id);
    }
  }

  /** The ending of `session` if `subject` owned it and it is recent; read once. */
  take(session: string, subject: string, now = Date.now()): Ending | undefined {
    const entry = this.endings.get(session);
    if (!entry || entry.subject !== subject || now - entry.at > this.maxAgeMs) return undefined;
    this.endings.delete(session);
    return { code: entry.code, reason: entry.reason };
  }
}
