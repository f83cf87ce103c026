/**
 * Follows the log from where this gateway started, in order, and hands each read to the hub.
 * Survives the store going away: it retries with backoff and resumes after the last entry it
 * saw, so nothing written meanwhile is skipped.
 */
import type { Cursor } from '../../protocol/index.ts';
import { cursorBefore, type EventLog, type LogEntry } from './log/log.ts';
import type { Logger } from './logger.ts';

export interface TailOptions {
  count: number;
  blockMs: number;
  /** How often the log's epoch is compared with the one the tail started in (and after every outage). */
  epochCheckMs?: number;
  /**
   * The log was wiped or replaced under the tail (a new epoch): what the gateway holds of the
   * old one is void. The tail goes on from the new epoch's first entry.
   */
  onReplaced?: (epoch: string) => void;
}

export class Tail {
  /** Cursor of the last entry handed to the hub. */
  position: Cursor | undefined;
  healthy = false;
  private running = false;
  private stopped: Promise<void> | undefined;
  private epoch: string | undefined;
  private epochCheckedAt = 0;

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

  /** True when the log was replaced (the tail then goes on from the new epoch's floor). */
  private async checkEpoch(): Promise<boolean> {
    const extent = await this.log.extent();
    this.epochCheckedAt = Date.now();
    if (extent.epoch === this.epoch) return false;
    this.logger.warn({ previous: this.epoch, epoch: extent.epoch, floor: extent.floor }, 'the log was wiped or replaced: a new epoch');
    this.epoch = extent.epoch;
    this.position = cursorBefore(extent.floor);
    this.options.onReplaced?.(extent.epoch);
    return true;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        if (this.position === undefined) {
          const extent = await this.log.extent();
          this.position = extent.lastId;
          this.epoch = extent.epoch;
          this.epochCheckedAt = Date.now();
        } else if (failures > 0 || Date.now() - this.epochCheckedAt >= (this.options.epochCheckMs ?? 1_000)) {
          // Before reading on: after an outage the store may be another one, whose entries
          // must not be taken for the continuation of the old log.
          await this.checkEpoch();
        }
        const reconnects = this.log.reconnects;
        const entries = await this.log.waitAfter(this.position, this.options.count, this.options.blockMs);
        // A read the client library retried across a reconnect: the same check, and what it
        // returned is dropped if the log turns out to be another one.
        if (this.log.reconnects !== reconnects && (await this.checkEpoch())) continue;
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
