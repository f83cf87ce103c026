/** The public events of <activity-feed> and their details. */
import type { StreamEvent } from '../../protocol/index.ts';
import type { ConnectionState, ConnectionStatus } from '../core/client.ts';

export interface NewEventDetail {
  /** The events just received, oldest first (already deduplicated by cursor). */
  events: StreamEvent[];
}

export interface StatusChangeDetail {
  status: ConnectionStatus;
  previous: ConnectionStatus;
  transport: ConnectionState['transport'];
  reason: string;
}

declare global {
  interface HTMLElementEventMap {
    'lw-new-event': CustomEvent<NewEventDetail>;
    'lw-status-change': CustomEvent<StatusChangeDetail>;
  }
}
