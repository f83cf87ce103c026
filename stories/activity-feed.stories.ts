import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { CloseCode, type StreamEvent } from '../protocol/index.ts';
import '../components/activity-feed/define.ts';
import '../components/theme-toggle/define.ts';
import { storyGateway } from './support/story-gateway.ts';
import { applyArgs } from './support/args.ts';
import { FakeGateway } from '../fixtures/fake-gateway.ts';

interface Args {
  maxItems: number;
  latencyWarning: number;
  latencyCritical: number;
  /** Any other property of the element, set from its control (see applyArgs). */
  [property: string]: unknown;
}

const feed = (id: string, args: Partial<Args> = {}) =>
  html`<activity-feed
    ${applyArgs(args)}
    group=${id}
    max-items=${args.maxItems ?? 1000}
    latency-warning=${args.latencyWarning ?? 50}
    latency-critical=${args.latencyCritical ?? 100}
  ></activity-feed>`;

const meta: Meta<Args> = {
  title: 'Widgets/Activity feed',
  component: 'activity-feed',
  args: { maxItems: 1000, latencyWarning: 50, latencyCritical: 100 },
  parameters: { layout: 'padded' },
};
export default meta;
type Story = StoryObj<Args>;

/** Live traffic at a few events per second. */
export const Live: Story = {
  render: (args, { id }) => (storyGateway(id, { rate: 3, initial: 12 }), feed(id, args)),
};

/** The gateway drops the connection every 6 s: the chip says so, and nothing is lost. */
export const Reconnecting: Story = {
  render: (args, { id }) => {
    const gateway = storyGateway(id, { rate: 3, initial: 8 });
    // Storybook has no unmount hook for web components: the drops end with the story's feed.
    const timer = setInterval(() => {
      if (document.querySelector(`activity-feed[group="${id}"]`)) gateway.dropAll();
      else {
        clearInterval(timer);
        gateway.stop();
      }
    }, 6_000);
    return feed(id, args);
  },
};

/** WebSocket blocked by a proxy: the feed runs on SSE and keeps probing WebSocket. */
export const FallbackSse: Story = {
  name: 'Fallback (SSE)',
  render: (args, { id }) => (storyGateway(id, { rate: 2, initial: 6, refuse: ['websocket'] }), feed(id, args)),
};

/** The gateway no longer serves this protocol version: offline, with the reason. */
export const Offline: Story = {
  render: (args, { id }) => {
    const gateway = storyGateway(id, { rate: 0, initial: 5 });
    setTimeout(() => gateway.dropAll(CloseCode.UnsupportedVersion, 'protocol version no longer served'), 400);
    return feed(id, args);
  },
};

/** Connected, nothing has happened yet. */
export const Empty: Story = {
  render: (args, { id }) => (storyGateway(id, { rate: 0 }), feed(id, args)),
};

/** Still connecting (a slow network). */
export const Loading: Story = {
  render: (args, { id }) => (storyGateway(id, { rate: 0, delayMs: 3_600_000 }), feed(id, args)),
};

/** The token was refused. */
export const Unauthorised: Story = {
  render: (args, { id }) => (storyGateway(id, { rate: 0, token: 'expired', acceptTokens: ['valid'] }), feed(id, args)),
};

/** The gateway could not replay everything after a long disconnect: a gap marker. */
export const Gap: Story = {
  render: (args, { id }) => {
    const gateway = storyGateway(id, { rate: 1, initial: 6 });
    setTimeout(() => {
      gateway.dropAll();
      gateway.publish(20);
      gateway.trimRetention();
    }, 800);
    return feed(id, args);
  },
};

function manyEvents(count: number): StreamEvent[] {
  const gateway = new FakeGateway({ seed: 7 });
  gateway.backfill(count, count * 1000);
  return gateway.log as StreamEvent[];
}

/** Ten thousand events, virtualised: scroll freely. */
export const TenThousandItems: Story = {
  name: '10k items',
  args: { maxItems: 10_000 },
  render: (args, { id }) => {
    storyGateway(id, { rate: 1 });
    const events = manyEvents(10_000);
    return html`<activity-feed ${applyArgs(args)} group=${id} max-items=${args.maxItems} .events=${events}></activity-feed>`;
  },
};

/** High priority events (alerts, failures) with their styling. */
export const Priorities: Story = {
  render: (args, { id }) => {
    const gateway = storyGateway(id, { rate: 0 });
    setTimeout(() => {
      for (const type of ['system.alert', 'lead.analysis_failed', 'ghl.api_error', 'lead.created', 'cache.hit']) {
        gateway.publish(1, (ts) => gateway.nextOfType([type], ts));
      }
    }, 50);
    return feed(id, args);
  },
};

const themed = (theme: string): Story => ({
  parameters: { theme },
  render: (args, { id }) => (storyGateway(id, { rate: 2, initial: 10 }), feed(id, args)),
});
export const Light = themed('light');
export const Dark = themed('dark');
export const HighContrast = themed('high-contrast');

/** A 320 px GHL sidebar. */
export const Narrow: Story = {
  render: (args, { id }) => (storyGateway(id, { rate: 2, initial: 10 }), html`<div style="width: 320px">${feed(id, args)}</div>`),
};

/** The feed and a theme toggle side by side share their group. */
export const WithThemeToggle: Story = {
  render: (args, { id }) => {
    storyGateway(id, { rate: 2, initial: 10 });
    return html`<theme-toggle group=${id}></theme-toggle>
      <div style="height: 12px"></div>
      ${feed(id, args)}`;
  },
};
