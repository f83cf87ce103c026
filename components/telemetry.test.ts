/**
 * What a version's telemetry counts and sends, at the HTTP boundary (the endpoint itself is
 * tested against a real gateway in gateway/test/rollout-http.test.ts, the whole loop in
 * scripts/rollout-proof.test.ts): its own errors and not the page's, failed connections once per
 * failure, failed exports but not cancelled ones, render time; and the withdrawn signal.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { start, type Assignment } from './telemetry.ts';

const BASE = 'https://gateway.example.test/leadwire.js';
const OURS = 'https://gateway.example.test/embed/9.9.9-test/leadwire/embed.js';

describe('telemetry', () => {
  const reports: Array<{ url: string; auth: string | null; body: Record<string, unknown> }> = [];
  const realFetch = window.fetch;
  let withdrawn: string[] = [];
  const heard: Array<{ version: string; next: string }> = [];

  before(() => {
    window.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      reports.push({ url: String(input), auth: new Headers(init?.headers).get('authorization'), body: JSON.parse(String(init?.body)) });
      return new Response(null, { status: 204 });
    }) as typeof fetch;
    document.addEventListener('lw-version-withdrawn', (event) => {
      heard.push((event as CustomEvent).detail);
      event.preventDefault(); // the host keeps the page: no reload in the test runner
    });
    const assignment: Assignment = { location: 'loc_t', version: '9.9.9-test', withdrawn: [], recheckMs: 200 };
    start({
      assignment,
      base: BASE,
      startedAt: performance.now(),
      token: async () => 'page-token',
      ask: async () => ({ ...assignment, version: '1.0.0', withdrawn }),
    });
  });
  after(() => {
    window.fetch = realFetch;
  });

  const total = (key: string) => reports.reduce((sum, r) => sum + (Number(r.body[key]) || 0), 0);

  it('sends numbers only, tagged with the version, with the page token, to v1/telemetry beside the loader', async () => {
    const el = document.createElement('lw-rendered-probe') as HTMLElement & { hasUpdated?: boolean };
    el.hasUpdated = true; // what a Lit element says once it has rendered
    document.body.append(el);
    await waitUntil(() => reports.length > 0, 'no report', { timeout: 5_000 });
    el.remove();
    const [first] = reports;
    expect(first!.url).to.equal('https://gateway.example.test/v1/telemetry');
    expect(first!.auth).to.equal('Bearer page-token');
    expect(first!.body.version).to.equal('9.9.9-test');
    expect(first!.body.loads).to.equal(1);
    expect(first!.body.renderMs).to.be.a('number');
    for (const value of Object.values(first!.body)) expect(['string', 'number']).to.include(typeof value);
    expect(Object.keys(first!.body).sort()).to.deep.equal(['connectionFailures', 'errors', 'exportFailures', 'loads', 'renderMs', 'version']);
  });

  it('counts errors of its own files only, each failed connection once, failed exports but not cancelled ones', async () => {
    const sent = reports.length;
    // Mocha takes any error reaching window.onerror as the test's own: it is out of the way meanwhile.
    const mocha = window.onerror;
    window.onerror = null;
    try {
      window.dispatchEvent(new ErrorEvent('error', { filename: OURS, message: 'boom' }));
      window.dispatchEvent(new ErrorEvent('error', { filename: 'https://host.example/app.js', message: 'the page’s own' }));
    } finally {
      window.onerror = mocha;
    }
    const status = (status: string, previous: string) =>
      document.dispatchEvent(new CustomEvent('lw-status-change', { detail: { status, previous } }));
    status('reconnecting', 'live');
    status('reconnecting', 'reconnecting'); // the same failure, still retrying
    status('live', 'reconnecting');
    status('offline', 'live');
    document.dispatchEvent(new CustomEvent('lw-export-error', { detail: { cancelled: false } }));
    document.dispatchEvent(new CustomEvent('lw-export-error', { detail: { cancelled: true } }));
    await waitUntil(() => total('errors') === 1 && total('connectionFailures') === 2 && total('exportFailures') === 1, 'the counts', { timeout: 5_000 });
    expect(reports.length).to.be.greaterThan(sent);
    expect(total('loads')).to.equal(1, 'a page load is counted once');
    expect(JSON.stringify(reports)).not.to.include('boom');
  });

  it('tells the page when its version is withdrawn, naming the version the location gets now', async () => {
    expect(heard).to.deep.equal([]);
    withdrawn = ['9.9.9-test'];
    await waitUntil(() => heard.length === 1, 'no lw-version-withdrawn', { timeout: 5_000 });
    expect(heard[0]).to.deep.equal({ version: '9.9.9-test', next: '1.0.0' });
  });
});
