/**
 * The shared connection at its edges, against the real gateway and Redis of the gateway plugin:
 * a WebSocket the page's CSP blocks, a token URL that refuses and later answers, the retry loop
 * giving up (Offline, with a Try again button), and a second script tag of another group.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import { closePages, openPage } from '../fixtures/embed-page.ts';
import type { ActivityFeed } from './activity-feed/activity-feed.ts';
import './activity-feed/define.ts';
import type { ExportButton } from './export-button/export-button.ts';
import type { ConnectionState } from './core/client.ts';
import { groupStore } from './core/store.ts';

interface Info {
  url: string;
  token: string;
}
const info = () => executeServerCommand<Info, undefined>('gateway-info') as Promise<Info>;
const publish = (count: number) => executeServerCommand<string[], { count: number }>('gateway-publish', { count }) as Promise<string[]>;
const tokenAsks = (sub: string) => executeServerCommand<number, { sub: string }>('gateway-tokens-served', { sub }) as Promise<number>;
const refuseTokens = (sub: string, refuse: boolean) => executeServerCommand('gateway-token-refuse', { sub, refuse });

/** The feed's view of its connection (what its chip shows). */
const connection = (feed: ActivityFeed) => (feed as unknown as { connection: ConnectionState | undefined }).connection;
const part = (el: Element, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);

async function eventsArrive(feed: ActivityFeed): Promise<void> {
  const ids = await publish(2);
  await waitUntil(() => ids.every((id) => feed.visibleEvents.some((e) => e.cursor === id)), 'published events never reached the feed', { timeout: 10_000 });
}

afterEach(closePages);

describe('connection edge cases against a real gateway', () => {
  it('falls back to SSE when the page\'s CSP blocks the WebSocket (error without close)', async () => {
    const { win, doc } = await openPage('csp-no-ws');
    const feed = doc.querySelector<ActivityFeed>('activity-feed')!;
    await waitUntil(() => feed.status === 'fallback', `never fell back (status ${feed.status}, ${connection(feed)?.reason})`, { timeout: 10_000 });
    expect(connection(feed)!.transport).to.equal('sse');
    expect(part(feed, 'status')!.textContent).to.contain('Live (SSE)');
    await eventsArrive(feed);
    // It was the page's policy that blocked it (not a proxy), and only the WebSocket.
    const violations = win.__watch.violations;
    expect(violations.length).to.be.greaterThan(0);
    expect(violations.filter((v) => !/^connect-src ws:\/\/.*\/v1\/ws/.test(v)), 'other violations').to.deep.equal([]);
  });

  it('a token URL answering 401 shows Not authorised, backs off, and recovers the feed and the Export button without a reload', async function () {
    this.timeout(60_000); // waits out two or three of the token backoff's growing delays
    const sub = 'signed-out';
    await refuseTokens(sub, true);
    try {
      const { doc } = await openPage('token-refused');
      const feed = doc.querySelector<ActivityFeed>('activity-feed')!;
      const button = doc.querySelector<ExportButton>('export-button')!;
      await waitUntil(() => feed.status === 'unauthorised', `never said unauthorised (status ${feed.status})`, { timeout: 10_000 });
      expect(part(feed, 'status')!.textContent).to.contain('Not authorised');
      expect(connection(feed)!.reason).to.contain('HTTP 401');
      await waitUntil(() => button.disabledReason === 'auth', `export not disabled for want of a token (${button.disabledReason})`, { timeout: 10_000 });
      expect(part(button, 'reason')!.textContent).to.contain('sign-in');
      // It keeps asking, on a backoff: one ask per attempt, no transport fallback in between.
      await waitUntil(() => connection(feed)!.attempt >= 2, 'it never asked again', { timeout: 20_000 });
      const { attempt, retryInMs, transport } = connection(feed)!;
      expect(transport).to.equal('websocket');
      expect(retryInMs).to.be.a('number');
      expect(await tokenAsks(sub)).to.be.at.most(attempt + 1);
      // Signed in again: the next attempt connects, and the button checks the new token.
      await refuseTokens(sub, false);
      await waitUntil(() => feed.status === 'live', `never went live (${feed.status})`, { timeout: 30_000 });
      await waitUntil(() => button.disabledReason === null, `export stayed disabled (${button.disabledReason})`, { timeout: 10_000 });
      expect(part(button, 'trigger')!.hasAttribute('disabled')).to.equal(false);
      await eventsArrive(feed);
    } finally {
      await refuseTokens(sub, false);
    }
  });

  it('gives up after its retries as Offline, with a Try again button reached by Tab', async function () {
    this.timeout(40_000);
    const { url, token } = await info();
    const group = `edges-offline-${Date.now()}`;
    groupStore(group).configureGateway({ url: `${url}/?test=${group}`, token, backoff: { initialMs: 50, maxMs: 200 }, maxRetries: 3 });
    const wrapper = await fixture<HTMLElement>(html`<div><button id="before">before</button><activity-feed group=${group}></activity-feed></div>`);
    const feed = wrapper.querySelector('activity-feed')!;
    await waitUntil(() => feed.status === 'live', 'never went live', { timeout: 10_000 });
    await executeServerCommand('gateway-stop');
    try {
      await waitUntil(() => feed.status === 'offline', `never gave up (${feed.status}, attempt ${connection(feed)?.attempt})`, { timeout: 20_000 });
      expect(part(feed, 'status')!.textContent).to.contain('Offline');
      expect(connection(feed)!.retryInMs).to.equal(null);
    } finally {
      await executeServerCommand('gateway-start');
    }
    // Given up: nothing retries on its own until asked.
    const retry = part(feed, 'retry')!;
    expect(retry.textContent).to.contain('Try again');
    wrapper.querySelector<HTMLButtonElement>('#before')!.focus();
    for (let i = 0; i < 10 && feed.shadowRoot!.activeElement !== retry; i++) await sendKeys({ press: 'Tab' });
    expect(feed.shadowRoot!.activeElement).to.equal(retry);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => feed.status === 'live', `Try again did not connect (${feed.status})`, { timeout: 10_000 });
    await eventsArrive(feed);
  });

  it('honours a second script tag of another group, and warns about one that conflicts', async () => {
    const { win, doc } = await openPage('second-tag');
    const [first, second] = doc.querySelectorAll<ActivityFeed>('activity-feed');
    await waitUntil(() => first.status === 'live' && second.status === 'live', `not both live (${first.status}, ${second.status})`, { timeout: 10_000 });
    expect(await tokenAsks('second-tag')).to.be.greaterThan(0); // the second tag's own token URL
    await eventsArrive(second);
    await waitUntil(() => win.__watch.warnings.some((w) => w.includes('a second script tag sets up the group "default" again')), 'no warning', { timeout: 5_000 });
    expect(win.__watch.errors).to.deep.equal([]);
  });
});
