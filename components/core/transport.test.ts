import { expect, waitUntil } from '@open-wc/testing';
import { CloseCode, type ServerFrame } from '../../protocol/index.ts';
import { pollTransport, sseTransport } from './http-transports.ts';
import { endpoint, type CloseInfo, type TransportParams } from './transport.ts';

/** Replaces window.fetch for one test with a function of the request. */
function stubFetch(answer: (url: URL, init: RequestInit) => Response | Promise<Response>) {
  const original = window.fetch;
  const calls: Array<{ url: URL; init: RequestInit }> = [];
  window.fetch = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input));
    calls.push({ url, init });
    return answer(url, init);
  }) as typeof fetch;
  return { calls, restore: () => (window.fetch = original) };
}

function record() {
  const frames: ServerFrame[] = [];
  let closed: CloseInfo | undefined;
  let alive = 0;
  return {
    frames,
    get closed() {
      return closed;
    },
    get alive() {
      return alive;
    },
    sink: { frame: (f: ServerFrame) => frames.push(f), alive: () => alive++, closed: (info: CloseInfo) => (closed = info) },
  };
}

const params: TransportParams = {
  url: 'https://gw.example/base/',
  token: 'tok',
  cursor: '5-0',
  subscription: { filter: { temperatures: ['hot'] } },
};

const welcome = { type: 'welcome', v: 1, session: 's', cursor: '5-0', recovered: true, serverTime: 1, heartbeatMs: 1000, subscription: {}, limits: { maxFrameBytes: 1 } };

describe('transports', () => {
  it('builds endpoint URLs for each scheme', () => {
    expect(endpoint('https://gw.example/base/', '/v1/ws', 'ws').href).to.equal('wss://gw.example/base/v1/ws');
    expect(endpoint('http://gw.example', '/v1/sse', 'http').href).to.equal('http://gw.example/v1/sse');
    expect(endpoint('ws://gw.example', '/v1/poll', 'http').href).to.equal('http://gw.example/v1/poll');
  });

  it('SSE: parses frames split across chunks, heartbeats, and the stream end', async () => {
    const chunks = [
      `event: welcome\ndata: ${JSON.stringify(welcome)}\n\n: ping\n\nevent: events\nid: 6-0\ndata: {"type":"events",`,
      `"events":[{"cursor":"6-0"}]}\n\n`,
    ];
    const fetchStub = stubFetch(
      () =>
        new Response(
          new ReadableStream({
            start(controller) {
              for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
              controller.close();
            },
          }),
          { status: 200, headers: { 'content-type': 'text/event-stream' } },
        ),
    );
    try {
      const r = record();
      sseTransport.open(params, r.sink);
      await waitUntil(() => r.closed);
      expect(r.frames.map((f) => f.type)).to.deep.equal(['welcome', 'events']);
      expect(r.alive).to.equal(1);
      expect(r.closed).to.deep.equal({ code: 1006, reason: 'stream ended', opened: true });
      const url = fetchStub.calls[0].url;
      expect(url.pathname).to.equal('/base/v1/sse');
      expect(url.searchParams.has('token'), 'no token in the URL').to.equal(false);
      expect((fetchStub.calls[0].init.headers as Record<string, string>).Authorization).to.equal('Bearer tok');
      expect(url.searchParams.get('cursor')).to.equal('5-0');
      expect(JSON.parse(url.searchParams.get('subscription')!)).to.deep.equal(params.subscription);
    } finally {
      fetchStub.restore();
    }
  });

  it('SSE: a 401 refusal closes as Unauthorized, never opened', async () => {
    const fetchStub = stubFetch(() => Response.json({ error: 'unauthorized', message: 'bad token' }, { status: 401 }));
    try {
      const r = record();
      sseTransport.open(params, r.sink);
      await waitUntil(() => r.closed);
      expect(r.closed).to.deep.equal({ code: CloseCode.Unauthorized, reason: 'bad token', opened: false });
    } finally {
      fetchStub.restore();
    }
  });

  it("SSE: a proxy's 403 page is a failed connect (try the next transport), not the gateway's verdict", async () => {
    const fetchStub = stubFetch(() => new Response('<h1>Forbidden</h1>', { status: 403, headers: { 'content-type': 'text/html' } }));
    try {
      const r = record();
      sseTransport.open(params, r.sink);
      await waitUntil(() => r.closed);
      expect(r.closed).to.deep.equal({ code: 1006, reason: 'HTTP 403 from something other than the gateway', opened: false });
    } finally {
      fetchStub.restore();
    }
  });

  it('long-poll: welcomes from the first answer, then polls from the returned cursor with the bearer token', async () => {
    let call = 0;
    const fetchStub = stubFetch(() => {
      call++;
      if (call === 1) return Response.json({ cursor: '7-0', recovered: true, events: [{ cursor: '6-0' }, { cursor: '7-0' }] });
      if (call === 2) return Response.json({ cursor: '8-0', recovered: true, events: [{ cursor: '8-0' }] });
      return Response.json({ error: 'rate_limited', message: 'slow down' }, { status: 429 });
    });
    try {
      const r = record();
      pollTransport.open(params, r.sink);
      await waitUntil(() => r.closed);
      expect(r.frames.map((f) => f.type)).to.deep.equal(['welcome', 'events', 'events']);
      const first = r.frames[0] as Extract<ServerFrame, { type: 'welcome' }>;
      expect(first.cursor).to.equal('5-0'); // where the client stood, so nothing is skipped
      expect(r.closed).to.deep.equal({ code: CloseCode.RateLimited, reason: 'slow down', opened: true });
      const [a, b, c] = fetchStub.calls;
      expect(a.url.searchParams.get('cursor')).to.equal('5-0');
      expect(a.url.searchParams.get('wait')).to.equal('0');
      expect(b.url.searchParams.get('cursor')).to.equal('7-0');
      expect(b.url.searchParams.get('wait')).to.equal('25000');
      expect(c.url.searchParams.get('cursor')).to.equal('8-0');
      expect(new Headers(a.init.headers).get('authorization')).to.equal('Bearer tok');
      expect(a.url.searchParams.has('token')).to.equal(false);
    } finally {
      fetchStub.restore();
    }
  });

  it('long-poll: a subscription change re-asks at once with the new subscription', async () => {
    const fetchStub = stubFetch((url, init) => {
      if (url.searchParams.get('wait') === '0') return Response.json({ cursor: '5-0', recovered: true, events: [] });
      // Hold like the gateway does, until aborted.
      return new Promise<Response>((_, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    });
    try {
      const r = record();
      const connection = pollTransport.open(params, r.sink);
      await waitUntil(() => fetchStub.calls.length === 2);
      expect(connection.send({ type: 'subscribe', subscription: { filter: { stages: ['qualified'] } } })).to.equal(true);
      await waitUntil(() => fetchStub.calls.length === 3);
      expect(JSON.parse(fetchStub.calls[2].url.searchParams.get('subscription')!)).to.deep.equal({ filter: { stages: ['qualified'] } });
      expect(r.closed).to.equal(undefined);
      connection.close();
      expect(r.closed).to.deep.equal({ code: 1000, reason: 'closed by client', opened: true });
    } finally {
      fetchStub.restore();
    }
  });
});
