/**
 * Follows the log from where this gateway started, in order, and hands each read to the hub.
 * Survives the store going away: it retries with backoff and resumes after the last entry it
 * saw, so nothing written meanwhile is skipped.
 */
import type { Cursor } from '../../protocol/index.ts';
import type { EventLog, LogEntry } from './log/log.ts';
import type { Logger } from './logger.ts';

export interface TailOptions {
  count: number;
  blockMs: number;
}

export class Tail {
  /** Cursor of the last entry handed to the hub. */
  position: Cursor | undefined;
  healthy = false;
  private running = false;
  private stopped: Promise<void> | undefined;

  constructor(
    private readonly log: EventLog,
    private readonly onEntries: (entries: LogEntry[]) => void,
    private readonly logger: Logger,
    private readonly options: TailOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopped = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.stopped;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        if (this.position === undefined) this.position = (await this.log.extent()).lastId;
        const entries = await this.log.waitAfter(this.position, this.options.count, this.options.blockMs);
        if (!this.healthy) {
          this.healthy = true;
          if (failures > 0) this.logger.info({ after: this.position }, 'tail resumed');
          failures = 0;
        }
        if (!this.running) break;
        if (entries.length > 0) {
          this.position = entries[entries.length - 1].id;
          this.onEntries(entries);
        }
      } catch (error) {
        if (!this.running) break;
        if (this.healthy || failures === 0) {
          this.logger.error({ err: (error as Error).message, after: this.position }, 'tail lost the log; retrying');
        }
        this.healthy = false;
        failures++;
        await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** Math.min(failures, 5), 2_000)));
      }
    }
  }
}
