import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/activity-feed/define.ts';
import '../components/export-button/define.ts';
import '../components/global-filters/define.ts';
import '../components/health-panel/define.ts';
import '../components/theme-toggle/define.ts';
import { storageKey, type Preset } from '../components/global-filters/presets.ts';
import { fakeMetrics } from '../fixtures/fake-metrics.ts';
import { storyGateway } from './support/story-gateway.ts';
import { SPANISH } from './support/strings.ts';

interface Args {
  /** Events per second the fake gateway publishes. */
  rate: number;
}

/** Saved filters an agent might keep. */
const presets: Preset[] = [
  { id: 'hot', name: 'Hot leads', filter: { temperatures: ['hot'] } },
  { id: 'failures', name: 'Failures and alerts', filter: { types: ['lead.analysis_failed', 'ghl.api_error', 'system.alert'] } },
];

/**
 * Every widget in one group, as a GHL dashboard page with separate snippets would have them:
 * the filters slice the feed (and the gateway subscription), the export takes what the feed
 * shows, the health panel watches the gateway (fake metrics) and hears its alerts, and the theme
 * toggle themes them all. Side by side from 800 px, stacked below.
 */
function dashboard(id: string, { rate }: Args) {
  const tenant = `story-${id}`;
  localStorage.setItem(storageKey(tenant), JSON.stringify({ v: 1, presets }));
  storyGateway(id, { rate, initial: 40 });
  return html`<style>
      .kitchen-sink {
        display: grid;
        gap: 16px;
        container-type: inline-size;
      }
      .kitchen-sink .bar {
        display: flex;
        flex-wrap: wrap;
        gap: 12px;
        align-items: center;
        justify-content: space-between;
      }
      .kitchen-sink .main {
        display: grid;
        gap: 16px;
        align-items: start;
      }
      @container (min-width: 800px) {
        .kitchen-sink .main {
          grid-template-columns: minmax(280px, 1fr) minmax(0, 2fr);
        }
      }
    </style>
    <div class="kitchen-sink">
      <div class="bar">
        <theme-toggle group=${id}></theme-toggle>
        <export-button group=${id} filename="leadwire-activity" report-title="Leadwire activity"></export-button>
      </div>
      <div class="main">
        <global-filters group=${id} tenant=${tenant} name="filters"></global-filters>
        <activity-feed group=${id} style="--lw-feed-height: 520px"></activity-feed>
      </div>
      <health-panel group=${id} interval="2000" .source=${fakeMetrics('healthy')}></health-panel>
    </div>`;
}

const meta: Meta<Args> = {
  title: 'Kitchen sink',
  // One page of live widgets, not a component: no docs page of its own.
  tags: ['!autodocs'],
  args: { rate: 3 },
  argTypes: { rate: { control: { type: 'range', min: 0, max: 50, step: 1 }, description: 'Events per second from the fake gateway.' } },
  parameters: { layout: 'fullscreen' },
  render: (args, { id }) => dashboard(id, args),
};
export default meta;
type Story = StoryObj<Args>;

/** Live traffic from the demo's generator; themed by the toolbar. */
export const Live: Story = {};

/** A busy afternoon: 25 events a second. */
export const Busy: Story = { args: { rate: 25 } };

/** A 320 px GHL sidebar: the filters fold behind a toggle, everything stacks. */
export const Sidebar: Story = {
  name: 'GHL sidebar (320 px)',
  render: (args, { id }) => html`<div style="width: 320px">${dashboard(id, args)}</div>`,
};

const themed = (theme: string): Story => ({ parameters: { theme } });
export const Light = themed('light');
export const Dark = themed('dark');
export const HighContrast = themed('high-contrast');

/**
 * Windows High Contrast (forced colours): the story test renders it with forced colours emulated
 * (its `forced-colors` tag); in Storybook, turn on DevTools → Rendering → "Emulate CSS media
 * feature forced-colors: active". The Export button, the checked theme option and pressed toggles
 * keep their text readable in system colours.
 */
export const ForcedColours: Story = { name: 'Forced colours', tags: ['forced-colors'] };

/** Localised: the texts through setStrings() (Spanish here), numbers and dates by the page's lang. */
export const Localised: Story = { name: 'Localised (es)', parameters: { strings: SPANISH, lang: 'es' } };
