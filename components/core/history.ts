/**
 * History pages for the widgets (docs/protocol.md §5a): asked in-band on a WebSocket (so a page
 * asked after a `subscribe` is read under the new subscription), else over `GET /v1/history`
 * with the client's token (SSE, long-poll, or no connection yet). Answers are paired with
 * requests by id; a connection that ends fails its waiting requests, which the caller may ask
 * again.
 */
import type { ErrorFrame, HistoryAnswerFrame, HistoryPage, HistoryRequest } from '../../protocol/index.ts';
import { endpoint, type TransportConnection } from './transport.ts';

export class HistoryError extends Error {
  override name = 'HistoryError';
  constructor(
    message: string,
    /** The gateway's error code (`bad_history`, `unauthorized`…), or `network`. */
    readonly code: string,
  ) {
    super(message);
  }
}

let nextId = 0;

export class HistoryRequests {
  private readonly waiting = new Map<string, { resolve(page: HistoryPage): void; reject(error: Error): void }>();

  /** In-band when `connection` can send frames, else over HTTP with `token`. */
  ask(request: HistoryRequest, connection: TransportConnection | undefined, http: { url: string; token: string | undefined }): Promise<HistoryPage> {
    const id = `h${++nextId}`;
    if (connection) {
      const answer = new Promise<HistoryPage>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
      if (connection.send({ type: 'history', id, ...request })) return answer;
      this.waiting.delete(id);
    }
    return fetchHistory(http.url, http.token, request);
  }

  /** A frame from the gateway; true when it answered (or refused) one of ours. */
  take(frame: HistoryAnswerFrame | ErrorFrame): boolean {
    const id = frame.id;
    const waiting = id === undefined ? undefined : this.waiting.get(id);
    if (!waiting || id === undefined) return false;
    this.waiting.delete(id);
    if (frame.type === 'history') {
      const { events, next, cursor, end } = frame;
      waiting.resolve({ events, next, cursor, end });
    } else waiting.reject(new HistoryError(frame.message, frame.code));
    return true;
  }

  /** The connection ended: nothing will answer what is waiting. */
  failAll(reason: string): void {
    for (const { reject } of this.waiting.values()) reject(new HistoryError(reason, 'network'));
    this.waiting.clear();
  }
}

/** `GET /v1/history`: the page, or a HistoryError with the gateway's code and message. */
export async function fetchHistory(base: string, token: string | undefined, request: HistoryRequest): Promise<HistoryPage> {
  const url = endpoint(base, '/v1/history', 'http');
  for (const [name, value] of Object.entries(request)) {
    if (value !== undefined) url.searchParams.set(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  let response: Response;
  try {
    response = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {}, cache: 'no-store' });
  } catch (error) {
    throw new HistoryError(String(error), 'network');
  }
  const body = (await response.json().catch(() => undefined)) as (HistoryPage & { error?: string; message?: string }) | undefined;
  if (!response.ok || !body || !Array.isArray(body.events)) {
    throw new HistoryError(body?.message ?? `HTTP ${response.status}`, body?.error ?? 'network');
  }
  return body;
}
