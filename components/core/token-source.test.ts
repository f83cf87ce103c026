/**
 * Token refresh against the real gateway: short-lived tokens from a token-url the test serves
 * (/__leadwire/token, minted by the web-test-runner gateway plugin).
 */
import { expect, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { GatewayClient, type ConnectionState } from './client.ts';
import { tokenExpiry } from './token-source.ts';

interface Info {
  url: string;
}

const served = (sub: string) => executeServerCommand<number, { sub: string }>('gateway-tokens-served', { sub });

describe('TokenSource with a token-url, on a real gateway', () => {
  it('refreshes in-band before expiry after the client was stopped and started again', async () => {
    const { url } = (await executeServerCommand<Info, undefined>('gateway-info'))!;
    const sub = `refresh-${Date.now()}`;
    const tokenUrl = `/__leadwire/token?ttl=4&sub=${sub}`;
    const client = new GatewayClient({ url, tokenUrl, backoff: { initialMs: 50, maxMs: 500 } });
    let stop = client.listen({});
    try {
      await waitUntil(() => client.state.status === 'live', 'never live', { timeout: 10_000 });
      const first = (await client.token())!;
      stop();
      client.stop(); // what the idle timer does when the last widget leaves
      const states: ConnectionState[] = [];
      stop = client.listen({ state: (state) => states.push(state) });
      await waitUntil(() => client.state.status === 'live', 'never live again', { timeout: 10_000 });
      states.length = 0; // from here on the connection must just stay up
      expect(await served(sub)).to.equal(1); // the cached token was reused
      // The refresh is due at 80 % of the token's life; past its expiry the gateway would close.
      const expiry = tokenExpiry(first)!;
      await waitUntil(async () => (await served(sub))! >= 2, 'the token was never refreshed', { timeout: 10_000 });
      await waitUntil(() => Date.now() > expiry + 500, 'guard', { timeout: 10_000 });
      expect(await client.token()).not.to.equal(first);
      expect(states.map((s) => s.status).filter((s) => s !== 'live')).to.deep.equal([]);
      expect(client.state.status).to.equal('live');
    } finally {
      stop();
      client.stop();
    }
  });
});
