import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/health-panel/define.ts';
import '../components/theme-toggle/define.ts';
import { fakeMetrics, type Scenario } from '../fixtures/fake-metrics.ts';
import { storyGateway } from './support/story-gateway.ts';
import { applyArgs } from './support/args.ts';

interface Args {
  interval: number;
  historySize: number;
  compact: boolean;
  /** Any other property of the element, set from its control (see applyArgs). */
  [property: string]: unknown;
}

const panel = (id: string, scenario: Scenario, args: Partial<Args> = {}) => {
  const gateway = storyGateway(id, { rate: 1, initial: 0 });
  if (scenario === 'alerting') {
    setTimeout(
      () =>
        gateway.publish(1, (ts) => ({
          id: `alert-${ts}`,
          type: 'system.alert',
          tenant: '*',
          ts,
          priority: 'critical',
          data: { severity: 'critical', title: 'Lead bot queue stuck', message: 'No replies sent for 5 minutes', service: 'lead-bot' },
        })),
      1_500,
    );
  }
  if (scenario === 'degraded') {
    setTimeout(
      () =>
        gateway.publish(1, (ts) => ({
          id: `health-${ts}`,
          type: 'system.health',
          tenant: '*',
          ts,
          priority: 'low',
          data: { service: 'redis', status: 'down', message: 'connection refused' },
        })),
      300,
    );
  }
  return html`<health-panel
    ${applyArgs(args)}
    group=${id}
    interval=${args.interval ?? 1_000}
    history-size=${args.historySize ?? 100}
    ?compact=${args.compact ?? false}
    .source=${fakeMetrics(scenario)}
  ></health-panel>`;
};

const meta: Meta<Args> = {
  title: 'Widgets/Health panel',
  component: 'health-panel',
  args: { interval: 1_000, historySize: 100, compact: false },
  parameters: { layout: 'padded' },
};
export default meta;
type Story = StoryObj<Args>;

/** Everything green: figures wobble a little around their baselines. */
export const Healthy: Story = { render: (args, { id }) => panel(id, 'healthy', args) };

/** Redis is unreachable: the gateway is degraded, the Redis tile red, lag climbing. */
export const Degraded: Story = { render: (args, { id }) => panel(id, 'degraded', args) };

/** The gateway stops answering after a few checks: "down" with the last known values. */
export const Down: Story = { render: (args, { id }) => panel(id, 'down', args) };

/** Latency, errors, CPU and event-loop lag climb through their thresholds; a publisher alert too. */
export const Alerting: Story = { render: (args, { id }) => panel(id, 'alerting', args) };

/** Tiles only, for a 320 px sidebar. */
export const Compact: Story = {
  args: { compact: true },
  render: (args, { id }) => html`<div style="width: 320px">${panel(id, 'healthy', args)}</div>`,
};

/** The token lacks `system:read`. */
export const MissingScope: Story = { render: (args, { id }) => panel(id, 'forbidden', args) };

/** The full panel in a 320 px column. */
export const Narrow: Story = {
  render: (args, { id }) => html`<div style="width: 320px">${panel(id, 'alerting', args)}</div>`,
};

/** With a theme toggle in the same group: the charts repaint with the theme. */
export const WithThemeToggle: Story = {
  render: (args, { id }) => html`<theme-toggle group=${id}></theme-toggle>
    <div style="height: 12px"></div>
    ${panel(id, 'healthy', args)}`,
};

const themed = (theme: string): Story => ({ parameters: { theme }, render: (args, { id }) => panel(id, 'alerting', args) });
export const Light = themed('light');
export const Dark = themed('dark');
export const HighContrast = themed('high-contrast');
