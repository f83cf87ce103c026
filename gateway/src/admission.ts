/**
 * Who may start a session now, whatever the transport: nobody once the gateway is stopping
 * (told to reconnect elsewhere: 4503 with a jittered `retryMs`), and nobody past a tenant's
 * connection limit (4429). Clients whose token is still being checked are held here too, so a
 * shutdown reaches them before they have a session.
 */
import { CloseCode } from '../../protocol/index.ts';
import type { ConnectionLimits } from './limits.ts';
import type { Logger } from './logger.ts';
import type { Principal } from './auth.ts';
import type { Sink } from './session.ts';

export class Admission {
  /** Set by close(): from then on every way in is told to reconnect elsewhere. */
  private stopping = false;
  private retryMaxMs = 0;
  /** Clients whose token is still being checked (they have no session yet). */
  private readonly checking = new Set<Sink>();

  constructor(
    private readonly limits: Pick<ConnectionLimits, 'admitTenants'>,
    private readonly logger: Logger,
  ) {}

  get closing(): boolean {
    return this.stopping;
  }

  /** Runs `check` (a token check) for `sink`; a shutdown meanwhile closes the sink like a session. */
  async whileChecking<T>(sink: Sink, check: () => Promise<T>): Promise<T> {
    this.checking.add(sink);
    try {
      return await check();
    } finally {
      this.checking.delete(sink);
    }
  }

  /**
   * Takes the principal's tenant slots for a new session, or refuses it by closing `sink` with
   * the documented code; the release gives the slots back when the session ends.
   */
  admit(sink: Sink, principal: Principal): { release: () => void } | undefined {
    if (this.stopping) {
      // Authenticated while the gateway began to stop: told to go elsewhere like every session.
      sink.close(CloseCode.ServerRestart, this.restartReason());
      return undefined;
    }
    const slots = this.limits.admitTenants(principal.tenants);
    if ('full' in slots) {
      this.logger.warn({ transport: sink.transport, tenant: slots.full }, 'connection refused: tenant connection limit');
      sink.close(CloseCode.RateLimited, `too many connections for tenant ${slots.full}: retry later`);
      return undefined;
    }
    return slots;
  }

  /**
   * Refuses every session from now on and tells the clients still being checked to reconnect
   * elsewhere; open sessions are the caller's to close, with restartReason().
   */
  close(retryMaxMs: number): void {
    this.stopping = true;
    this.retryMaxMs = retryMaxMs;
    for (const sink of this.checking) sink.close(CloseCode.ServerRestart, this.restartReason());
    this.checking.clear();
  }

  /** The 4503 reason: JSON `{"retryMs":n}`, n random below SHUTDOWN_RETRY_MAX_MS. */
  restartReason(): string {
    return JSON.stringify({ retryMs: Math.floor(Math.random() * this.retryMaxMs) });
  }
}
