/** A real WebSocket client that speaks the Leadwire protocol and records what it receives. */
import { WebSocket } from 'ws';
import type {
  ClientFrame,
  Cursor,
  ErrorFrame,
  HistoryAnswerFrame,
  HistoryRequest,
  ServerFrame,
  StreamEvent,
  Subscription,
  WelcomeFrame,
} from '../../../protocol/index.ts';

export interface ClientOptions {
  token?: string;
  cursor?: Cursor;
  subscription?: Subscription;
  v?: number;
  /** Skip the hello (to test what the gateway does without one). */
  noHello?: boolean;
  /** The previous welcome's session: the welcome then says how that session ended. */
  lastSession?: string;
  /** Upgrade request headers, e.g. Origin or X-Forwarded-For. */
  headers?: Record<string, string>;
}

export class TestClient {
  readonly events: StreamEvent[] = [];
  readonly frames: ServerFrame[] = [];
  welcome: WelcomeFrame | undefined;
  closed: { code: number; reason: string } | undefined;
  private waiters = new Set<() => void>();
  private requests = 0;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as ServerFrame;
      this.frames.push(frame);
      if (frame.type === 'welcome') this.welcome = frame;
      if (frame.type === 'events') this.events.push(...frame.events);
      if (frame.type === 'ping') this.send({ type: 'pong', t: frame.t, at: Date.now() });
      this.wake();
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
    socket.on('error', () => {});
  }

  static async connect(baseUrl: string, options: ClientOptions = {}): Promise<TestClient> {
    const socket = new WebSocket(baseUrl.replace(/^http/, 'ws') + '/v1/ws', { headers: options.headers });
    const client = new TestClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    if (!options.noHello) {
      client.send({ type: 'hello', v: options.v ?? 1, token: options.token, cursor: options.cursor, subscription: options.subscription, lastSession: options.lastSession });
    }
    return client;
  }

  send(frame: ClientFrame | Record<string, unknown>): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  /** Last cursor received (or the welcome's when nothing arrived). */
  get cursor(): Cursor | undefined {
    return this.events.at(-1)?.cursor ?? this.welcome?.cursor;
  }

  async waitFor(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what} (have ${this.events.length} events, closed=${JSON.stringify(this.closed)})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Sends a history request and waits for its answer: the page, or the error frame naming its id. */
  async history(request: HistoryRequest & Record<string, unknown>, id = `h${++this.requests}`): Promise<HistoryAnswerFrame | ErrorFrame> {
    const answered = () => this.frames.find((f): f is HistoryAnswerFrame | ErrorFrame => (f.type === 'history' || f.type === 'error') && f.id === id);
    this.send({ type: 'history', id, ...request });
    await this.waitFor(() => !!answered() || !!this.closed, `history answer ${id}`);
    const answer = answered();
    if (!answer) throw new Error(`closed before answering history ${id}: ${JSON.stringify(this.closed)}`);
    return answer;
  }

  waitWelcome(): Promise<void> {
    return this.waitFor(() => !!this.welcome || !!this.closed, 'welcome');
  }

  waitEvents(count: number, timeoutMs?: number): Promise<void> {
    return this.waitFor(() => this.events.length >= count, `${count} events`, timeoutMs);
  }

  waitClosed(timeoutMs?: number): Promise<{ code: number; reason: string }> {
    return this.waitFor(() => !!this.closed, 'close', timeoutMs).then(() => this.closed!);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.socket.close(1000);
    await this.waitClosed().catch(() => this.socket.terminate());
  }

  private wake(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }
}
