/**
 * The HTTP transports: SSE (over fetch) and long-poll, for when WebSocket cannot get through.
 * Imported on first use by the default transport list (see lazyTransport in transport.ts).
 */
import { CloseCode, PROTOCOL_VERSION, type Cursor, type StreamEvent } from '../../protocol/index.ts';
import { endpoint, guard, httpAnswers, parseFrame, type Transport } from './transport.ts';

/** HTTP refusals in the WebSocket close-code vocabulary, so the client decides in one place. */
export function closeCodeForStatus(status: number): number {
  if (status === 401) return CloseCode.Unauthorized;
  if (status === 403) return CloseCode.ForbiddenOrigin;
  if (status === 429) return CloseCode.RateLimited;
  if (status === 400) return CloseCode.BadFrame;
  return 1011;
}

/**
 * A refused request as a close. Only the gateway's own JSON answer (`{ error, message }`) is its
 * verdict (unauthorised, rate limited…); any other page — a proxy's 403, a portal's login — means
 * this transport cannot get through, so the client treats it as a failed connect and moves on.
 */
async function refusal(response: Response): Promise<{ code: number; reason: string }> {
  let body: { error?: unknown; message?: unknown } | undefined;
  try {
    body = (await response.json()) as typeof body;
  } catch {
    // not JSON: not the gateway
  }
  if (typeof body?.error !== 'string') return { code: 1006, reason: `HTTP ${response.status} from something other than the gateway` };
  return { code: closeCodeForStatus(response.status), reason: typeof body.message === 'string' ? body.message : body.error };
}

/**
 * SSE over fetch rather than EventSource: the same wire format, but a refusal's HTTP status
 * (401 vs 429 vs a network error) is visible, and reconnects stay under the client's control.
 */
export const sseTransport: Transport = {
  name: 'sse',
  reachable: httpAnswers,
  open(params, sink) {
    const out = guard(sink);
    const abort = new AbortController();
    const url = endpoint(params.url, '/v1/sse', 'http');
    if (params.cursor) url.searchParams.set('cursor', params.cursor);
    url.searchParams.set('subscription', JSON.stringify(params.subscription));

    const dispatch = (block: string) => {
      let data = '';
      let comment = false;
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith(':')) comment = true;
        else if (line.startsWith('data:')) data += (data ? '\n' : '') + line.slice(5).replace(/^ /, '');
      }
      const frame = data ? parseFrame(data) : undefined;
      if (frame) out.frame(frame);
      else if (comment) out.alive();
    };

    (async () => {
      const response = await fetch(url, {
        // The token goes in a header, not the URL, where proxies and access logs would keep it.
        headers: { Accept: 'text/event-stream', ...(params.token ? { Authorization: `Bearer ${params.token}` } : {}) },
        cache: 'no-store',
        signal: abort.signal,
      });
      if (!response.ok || !response.body) {
        const { code, reason } = await refusal(response);
        out.close(code, reason);
        return;
      }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        const blocks = buffer.split(/\r?\n\r?\n/);
        buffer = blocks.pop() ?? '';
        blocks.forEach(dispatch);
      }
      out.close(1006, 'stream ended');
    })().catch((error: unknown) => out.close(1006, String(error)));

    return {
      send: () => false,
      close() {
        out.close(1000, 'closed by client');
        abort.abort();
      },
    };
  },
};

interface PollAnswer {
  cursor: Cursor;
  recovered: boolean;
  events: StreamEvent[];
}

/** Long-poll: the first request answers at once (welcome), the next ones hold up to 25 s. */
export const pollTransport: Transport = {
  name: 'poll',
  reachable: httpAnswers,
  open(params, sink) {
    const out = guard(sink);
    let abort = new AbortController();
    let { token, subscription } = params;
    let cursor = params.cursor;

    (async () => {
      let first = true;
      while (!out.done) {
        const url = endpoint(params.url, '/v1/poll', 'http');
        if (cursor) url.searchParams.set('cursor', cursor);
        url.searchParams.set('subscription', JSON.stringify(subscription));
        url.searchParams.set('wait', first ? '0' : '25000');
        let response: Response;
        let answer: PollAnswer | undefined;
        try {
          response = await fetch(url, {
            headers: token ? { Authorization: `Bearer ${token}` } : {},
            cache: 'no-store',
            signal: abort.signal,
          });
          if (response.ok) answer = (await response.json()) as PollAnswer;
        } catch (error) {
          if (abort.signal.aborted && !out.done) {
            abort = new AbortController(); // aborted to pick up a new subscription
            continue;
          }
          throw error;
        }
        if (!answer) {
          const { code, reason } = await refusal(response);
          out.close(code, reason);
          return;
        }
        if (first) {
          out.frame({
            type: 'welcome',
            v: PROTOCOL_VERSION,
            session: 'poll',
            cursor: cursor ?? answer.cursor,
            recovered: answer.recovered,
            serverTime: Number.NaN, // no precise server clock over plain HTTP
            heartbeatMs: 0,
            subscription,
            limits: { maxFrameBytes: 0 },
          });
          first = false;
        }
        if (answer.events.length) out.frame({ type: 'events', events: answer.events });
        cursor = answer.cursor;
      }
    })().catch((error: unknown) => out.close(1006, String(error)));

    return {
      send(frame) {
        if (frame.type === 'refresh') token = frame.token;
        else if (frame.type === 'subscribe') {
          subscription = frame.subscription;
          abort.abort(); // re-ask now with the new subscription
        } else return frame.type === 'pong' || frame.type === 'ping'; // no in-band heartbeats
        return true;
      },
      close() {
        out.close(1000, 'closed by client');
        abort.abort();
      },
    };
  },
};

