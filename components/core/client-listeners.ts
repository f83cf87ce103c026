/**
 * The widgets listening on one gateway client: each called on its own (one widget's exception
 * must not keep the others from events the cursor has already moved past, and is reported once
 * per listener), and the one subscription they agree on.
 */
import type { Subscription } from '../../protocol/index.ts';
import type { ClientListener } from './connection-state.ts';


export class ClientListeners extends Set<ClientListener> {
  /** Listeners that threw once already (reported once, still called). */
  private readonly failed = new WeakSet<ClientListener>();

  notify(call: (listener: ClientListener) => void): void {
    for (const listener of [...this]) {
      try {
        call(listener);
      } catch (error) {
        if (this.failed.has(listener)) continue;
        this.failed.add(listener);
        console.error('[leadwire] a gateway listener threw', error);
      }
    }
  }

  /** The subscription every listener wants; listeners that disagree get everything and filter client-side. */
  agreedSubscription(): Subscription {
    const wanted = [...this].map((l) => l.subscription?.() ?? {});
    if (wanted.length === 0) return {};
    const first = JSON.stringify(wanted[0]);
    return wanted.every((s) => JSON.stringify(s) === first) ? wanted[0] : {};
  }
}
