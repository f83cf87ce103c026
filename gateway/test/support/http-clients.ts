/**
 * Real SSE and long-poll clients: Node's fetch, the event stream parsed by hand (what a
 * browser's EventSource does), and the poll loop a fallback client runs.
 */
import type { Cursor, StreamEvent, Subscription, WelcomeFrame } from '../../../protocol/index.ts';

export async function waitUntil(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

export class SseClient {
  readonly events: StreamEvent[] = [];
  readonly messages: SseMessage[] = [];
  welcome: WelcomeFrame | undefined;
  /** The last `id:` seen: what EventSource sends back as Last-Event-ID. */
  lastEventId: string | undefined;
  pings = 0;
  /** Every `retry:` value the stream carried, in order. */
  readonly retries: number[] = [];
  ended = false;
  status = 0;
  private readonly abort = new AbortController();
  private reading: Promise<void> = Promise.resolve();

  static async connect(
    baseUrl: string,
    options: { token?: string; cursor?: Cursor; subscription?: Subscription; lastEventId?: string; headers?: Record<string, string> },
  ): Promise<SseClient> {
    const client = new SseClient();
    const url = new URL('/v1/sse', baseUrl);
    if (options.token) url.searchParams.set('token', options.token);
    if (options.cursor) url.searchParams.set('cursor', options.cursor);
    if (options.subscription) url.searchParams.set('subscription', JSON.stringify(options.subscription));
    const headers: Record<string, string> = { accept: 'text/event-stream', ...options.headers };
    if (options.lastEventId) headers['last-event-id'] = options.lastEventId;
    const res = await fetch(url, { headers, signal: client.abort.signal });
    client.status = res.status;
    if (res.ok && res.body) client.reading = client.read(res.body);
    else {
      client.ended = true;
      client.messages.push({ event: 'refused', data: await res.text() });
    }
    return client;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // aborted
    }
    this.ended = true;
  }

  private dispatch(block: string): void {
    const message: SseMessage = { event: 'message', data: '' };
    let fields = 0;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) {
        if (line.slice(1).trim() === 'ping') this.pings++;
        continue;
      }
      const colon = line.indexOf(':');
      const name = line.slice(0, colon);
      const value = line.slice(colon + 1).replace(/^ /, '');
      if (name === 'retry') this.retries.push(Number(value));
      if (name === 'id') message.id = value;
      else if (name === 'event') message.event = value;
      else if (name === 'data') message.data += (message.data ? '\n' : '') + value;
      else continue;
      fields++;
    }
    if (message.id !== undefined) this.lastEventId = message.id;
    if (fields === 0 || !message.data) return;
    this.messages.push(message);
    const frame = JSON.parse(message.data);
    if (message.event === 'welcome') this.welcome = frame;
    if (message.event === 'events') this.events.push(...frame.events);
  }

  get cursor(): Cursor | undefined {
    return this.lastEventId;
  }

  waitEvents(count: number, timeoutMs?: number): Promise<void> {
    return waitUntil(() => this.events.length >= count, `${count} SSE events (have ${this.events.length})`, timeoutMs);
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.reading;
  }
}

export interface PollAnswer {
  status: number;
  headers: Headers;
  body: { cursor: Cursor; recovered: boolean; events: StreamEvent[]; error?: string; message?: string };
}

export async function poll(
  baseUrl: string,
  token: string | undefined,
  options: { cursor?: Cursor; subscription?: Subscription; wait?: number; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<PollAnswer> {
  const url = new URL('/v1/poll', baseUrl);
  if (options.cursor) url.searchParams.set('cursor', options.cursor);
  if (options.subscription) url.searchParams.set('subscription', JSON.stringify(options.subscription));
  if (options.wait !== undefined) url.searchParams.set('wait', String(options.wait));
  const res = await fetch(url, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...options.headers }, signal: options.signal });
  return { status: res.status, body: (await res.json()) as PollAnswer['body'], headers: res.headers };
}

/**
 * A long-poll client as a fallback transport runs it: poll, keep the events, poll again from
 * the answer's cursor, until closed. Without a starting cursor the first answer is the head.
 */
export class PollLoop {
  readonly events: StreamEvent[] = [];
  cursor: Cursor | undefined;
  /** Answers received (the first one is this client's "welcome"). */
  answers = 0;
  /** Set when an answer was not a recovered 200: the loop stops. */
  failure: string | undefined;
  private running = true;
  private readonly abort = new AbortController();
  private readonly loop: Promise<void>;

  private constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly options: { cursor?: Cursor; subscription?: Subscription; wait?: number },
  ) {
    this.cursor = options.cursor;
    this.loop = this.run();
  }

  /** Starts polling; resolves after the first answer, which does not wait for new events. */
  static async start(baseUrl: string, token: string, options: { cursor?: Cursor; subscription?: Subscription; wait?: number } = {}): Promise<PollLoop> {
    const client = new PollLoop(baseUrl, token, options);
    await waitUntil(() => client.answers > 0 || client.failure !== undefined, 'the first poll answer');
    return client;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let answer: PollAnswer;
      try {
        answer = await poll(this.baseUrl, this.token, {
          cursor: this.cursor,
          subscription: this.options.subscription,
          // The first answer comes at once, like a welcome: what is there already, recovered or not.
          wait: this.answers === 0 ? 0 : (this.options.wait ?? 10_000),
          signal: this.abort.signal,
        });
      } catch (error) {
        if (!this.running) return;
        this.failure = `poll failed: ${(error as Error).message}`;
        return;
      }
      if (answer.status !== 200 || !answer.body.recovered) {
        this.failure = `poll answered ${answer.status} ${JSON.stringify(answer.body)}`;
        return;
      }
      this.events.push(...answer.body.events);
      this.cursor = answer.body.cursor;
      this.answers++;
    }
  }

  async close(): Promise<void> {
    this.running = false;
    this.abort.abort();
    await this.loop;
  }
}

/** `GET /v1/history` with a bearer token: the status and the JSON body (a page, or `{ error, message }`). */
export async function fetchHistory(
  baseUrl: string,
  token: string | undefined,
  params: Record<string, string | number | object | undefined>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> & { events?: StreamEvent[]; next?: Cursor | null; cursor?: Cursor; end?: string | null } }> {
  const url = new URL('/v1/history', baseUrl);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  const res = await fetch(url, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  return { status: res.status, body: (await res.json()) as never };
}
