/** The preferred transport: one WebSocket, frames both ways (refresh and subscribe in-band). */
import { PROTOCOL_VERSION, type ClientFrame } from '../../protocol/index.ts';
import { CLIENT, endpoint, guard, parseFrame, type Transport } from './transport.ts';

export const webSocketTransport: Transport = {
  name: 'websocket',
  open(params, sink) {
    const out = guard(sink);
    const ws = new WebSocket(endpoint(params.url, '/v1/ws', 'ws'));
    ws.onopen = () => {
      const hello: ClientFrame = {
        type: 'hello',
        v: PROTOCOL_VERSION,
        token: params.token,
        cursor: params.cursor,
        subscription: params.subscription,
        client: CLIENT,
      };
      ws.send(JSON.stringify(hello));
    };
    ws.onmessage = (message) => {
      const frame = typeof message.data === 'string' ? parseFrame(message.data) : undefined;
      if (frame) out.frame(frame);
    };
    ws.onclose = (event) => out.close(event.code, event.reason);
    // A failed WebSocket fires `error` before `close`, and one the page's Content-Security-Policy
    // blocks fires `error` alone (Chromium): the error ends this connection either way, so the
    // client retries and falls back instead of waiting for a close that may never come.
    ws.onerror = () => {
      out.close(1006, 'WebSocket error (a Content-Security-Policy, a proxy, the network)');
      ws.close();
    };
    return {
      send(frame) {
        if (ws.readyState !== WebSocket.OPEN) return false;
        ws.send(JSON.stringify(frame));
        return true;
      },
      close() {
        out.close(1000, 'closed by client');
        ws.close(1000);
      },
    };
  },
};
