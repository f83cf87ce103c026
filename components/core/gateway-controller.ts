/**
 * A widget's share of its group's gateway connection: listens on the group's client while the
 * widget is in the page, follows the group to another gateway (or the widget to another group),
 * and lets go when the widget leaves (the client closes once its last listener has gone).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ClientListener, GatewayClient } from './client.ts';
import type { GroupController } from './store.ts';

export class GatewayController implements ReactiveController {
  /** The client listened to now, if the group has a gateway and the host is connected. */
  client: GatewayClient | undefined;
  private stop: (() => void) | undefined;

  constructor(host: ReactiveControllerHost, group: GroupController, listener: ClientListener) {
    host.addController(this);
    group.watch(['gateway'], (_, store) => {
      if (store.client === this.client) return;
      this.stop?.();
      this.client = store.client;
      this.stop = store.client?.listen(listener);
    });
  }

  /** Tells the client the listener's subscription() would answer differently now. */
  updateSubscription(): void {
    this.client?.updateSubscription();
  }

  hostDisconnected(): void {
    this.stop?.();
    this.stop = this.client = undefined;
  }
}
