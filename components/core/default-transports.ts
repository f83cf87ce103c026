/** The transports a client tries, in order, unless told otherwise. */
import { Lazy } from './lazy.ts';
import { httpAnswers, type Transport, type TransportConnection } from './transport.ts';
import { webSocketTransport } from './websocket-transport.ts';

/**
 * A transport whose code is imported when first opened: SSE and long-poll serve only clients
 * whose WebSocket is blocked, so they stay out of the embed's core bytes.
 */
const httpTransports = new Lazy('the SSE and long-poll transports', () => import('./http-transports.ts'));

function lazyTransport(name: 'sse' | 'poll'): Transport {
  return {
    name,
    reachable: httpAnswers,
    open(params, sink) {
      let inner: TransportConnection | undefined;
      let closed = false;
      void httpTransports.load().then((loaded) => {
        if (closed) return;
        if (loaded) inner = (name === 'sse' ? loaded.sseTransport : loaded.pollTransport).open(params, sink);
        else sink.closed({ code: 1006, reason: `${name}: its code could not load`, opened: false });
      });
      return {
        send: (frame) => inner?.send(frame) ?? false,
        close() {
          if (closed) return;
          closed = true;
          if (inner) inner.close();
          else sink.closed({ code: 1000, reason: 'closed by client', opened: false });
        },
      };
    },
  };
}

export const DEFAULT_TRANSPORTS: readonly Transport[] = [webSocketTransport, lazyTransport('sse'), lazyTransport('poll')];
