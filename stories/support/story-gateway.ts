/**
 * Wires a story's group to a fresh FakeGateway. One running gateway per story id: re-rendering a
 * story (or switching stories) stops the previous one's traffic.
 */
import { groupStore } from '../../components/core/store.ts';
import type { TransportName } from '../../components/core/transport.ts';
import { FakeGateway, type FakeGatewayOptions } from '../../fixtures/fake-gateway.ts';

const running = new Map<string, FakeGateway>();

export interface StoryGatewayOptions extends FakeGatewayOptions {
  /** Events per second published while the story is shown (0: none). */
  rate?: number;
  /** Events already in the feed when it opens. */
  initial?: number;
  refuse?: TransportName[];
  token?: string;
}

export function storyGateway(group: string, { rate = 2, initial = 0, refuse = [], token, ...options }: StoryGatewayOptions = {}) {
  running.get(group)?.stop();
  const gateway = new FakeGateway({ delayMs: 3, ...options });
  running.set(group, gateway);
  for (const name of refuse) gateway.refused.add(name);
  // A new URL per render: a fresh client, so the story starts from its own first frame.
  groupStore(group).configureGateway({
    url: `fake://${group}/${Date.now()}`,
    token,
    transports: gateway.transports(),
    backoff: { initialMs: 500, maxMs: 4_000 },
    probeMs: 15_000,
  });
  if (initial) setTimeout(() => gateway.publish(initial), 50);
  if (rate) gateway.start(rate);
  return gateway;
}
