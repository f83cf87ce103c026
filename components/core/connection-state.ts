/** What a gateway client tells the widgets listening on it. */
import type { Cursor, StreamEvent, Subscription } from '../../protocol/index.ts';
import type { TransportName } from './transport.ts';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'fallback' | 'offline' | 'unauthorised';

export interface ConnectionState {
  status: ConnectionStatus;
  /** The transport in use (or being tried). */
  transport: TransportName | null;
  /** Failed attempts since the connection was last stable. */
  attempt: number;
  /** When reconnecting: the wait before the next attempt. */
  retryInMs: number | null;
  /** Why the last connection ended, or why the client is offline. */
  reason: string;
}

export interface ClientListener {
  /** The subscription this listener wants; the client sends the one all listeners agree on. */
  subscription?(): Subscription;
  events?(events: StreamEvent[]): void;
  state?(state: ConnectionState): void;
  /** The gateway could not replay from our cursor: some events are missing before `cursor`. */
  gap?(cursor: Cursor): void;
  /**
   * Where this listener joins the stream: it gets, through `events`, every event after
   * `cursor` (history up to and including it is `client.history({ until: cursor })`).
   * Called when it starts listening on a client that knows its place, else at the first welcome.
   */
  attached?(cursor: Cursor): void;
}
