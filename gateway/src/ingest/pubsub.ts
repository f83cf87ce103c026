/**
 * Pub/sub bridge for bots that `PUBLISH <prefix>:<tenant> <envelope>`: every gateway hears
 * every message, and each valid envelope lands in the stream once (appendOnce dedupes on the
 * envelope id atomically), so it gets replay like any other event. An invalid message is
 * dead-lettered once (keyed by a hash of channel and message) with the reason.
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import { describe, type LogWriter } from './writer.ts';

export interface BridgeOptions {
  url: string;
  prefix: string;
  maxBytes: number;
  /** ioredis `tls` options for a rediss:// URL (its CA). */
  tls?: { ca: Buffer };
}

export class PubSubBridge {
  private readonly subscriber: Redis;
  private readonly pattern: string;

  constructor(
    private readonly writer: LogWriter,
    private readonly logger: Logger,
    private readonly options: BridgeOptions,
  ) {
    this.pattern = `${options.prefix}:*`;
    // A subscriber connection re-subscribes by itself after Redis comes back.
    this.subscriber = new Redis(options.url, { connectionName: 'leadwire-gateway-pubsub', maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(50 * 2 ** n, 2_000), ...(options.tls ? { tls: options.tls } : {}) });
    this.subscriber.on('error', () => {});
    this.subscriber.on('pmessage', (_pattern: string, channel: string, message: string) => {
      this.bridge(channel, message).catch((error: Error) => {
        this.logger.error({ channel, err: error.message }, 'pub/sub bridge append failed');
      });
    });
  }

  /** Resolves once the subscription is active, so nothing published after it is missed. */
  async start(): Promise<void> {
    await this.subscriber.psubscribe(this.pattern);
    this.logger.info({ pattern: this.pattern }, 'pub/sub bridge listening');
  }

  private async bridge(channel: string, message: string): Promise<void> {
    const tenant = channel.slice(this.options.prefix.length + 1);
    const refuse = (reason: string) => {
      const source = `pubsub:${createHash('sha256').update(channel).update('\0').update(message).digest('hex').slice(0, 32)}`;
      return this.writer.deadLetter('pubsub', { id: source, raw: message }, `${channel}: ${reason}`, { channel, source });
    };
    if (message.length > this.options.maxBytes) return refuse(`message is ${message.length} bytes, over the ${this.options.maxBytes}-byte limit`);
    let value: unknown;
    try {
      value = JSON.parse(message);
    } catch (error) {
      return refuse(`not JSON: ${(error as Error).message}`);
    }
    const checked = this.writer.check(value);
    if (!checked.ok) return refuse(describe(checked.issues));
    if (checked.envelope.tenant !== tenant) {
      return refuse(`tenant: envelope says ${JSON.stringify(checked.envelope.tenant)} but the channel is for ${JSON.stringify(tenant)}`);
    }
    await this.writer.appendOnce(checked.envelope, 'pubsub');
  }

  async close(): Promise<void> {
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }
}
