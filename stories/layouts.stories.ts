import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/activity-feed/define.ts';
import '../components/global-filters/define.ts';
import '../components/health-panel/define.ts';
import { fakeMetrics } from '../fixtures/fake-metrics.ts';
import { storyGateway } from './support/story-gateway.ts';

interface Args {
  /** `<global-filters layout>`: chips with popover editors, or every control at once. */
  layout: 'bar' | 'panel';
  /** `<activity-feed density>`: one line per event, or facts and text on lines of their own. */
  density: 'compact' | 'comfortable';
  /** Width of the frame, px (360 shows the narrow behaviour). */
  width: number;
}

/**
 * The dashboard's first screen: the filter bar (or panel) over a live feed, in the chosen layout
 * and density. The controls change the elements' attributes; the toolbar's theme applies to all.
 */
const meta: Meta<Args> = {
  title: 'Layouts/Filters and feed',
  // Three widgets at once: their API pages are theirs (Widgets/…), not this set's.
  tags: ['!autodocs'],
  args: { layout: 'bar', density: 'compact', width: 960 },
  argTypes: {
    layout: { control: 'inline-radio', options: ['bar', 'panel'] },
    density: { control: 'inline-radio', options: ['compact', 'comfortable'] },
    width: { control: { type: 'range', min: 320, max: 1440, step: 40 } },
  },
  parameters: { layout: 'padded' },
  render: (args, { id }) => {
    storyGateway(id, { rate: 3, initial: 40 });
    return html`<div style=${`display: grid; gap: 12px; max-width: 100%; width: ${args.width}px`}>
      <global-filters group=${id} tenant=${`story-${id}`} layout=${args.layout}></global-filters>
      <activity-feed group=${id} density=${args.density} style="--lw-feed-height: 420px"></activity-feed>
    </div>`;
  },
};
export default meta;
type Story = StoryObj<Args>;

/** The default: the filter bar and compact rows. */
export const Default: Story = {};
/** The form layout of the filters and comfortable rows. */
export const PanelComfortable: Story = { args: { layout: 'panel', density: 'comfortable' } };
/** At 360 px: the chips wrap onto a second line; editors open as wide as the screen allows. */
export const Narrow: Story = { args: { width: 360 } };

const themed = (theme: string, args: Partial<Args> = {}): Story => ({ args, parameters: { theme } });
export const BarCompactLight = themed('light');
export const BarCompactDark = themed('dark');
export const BarCompactHighContrast = themed('high-contrast');
export const PanelComfortableLight = themed('light', { layout: 'panel', density: 'comfortable' });
export const PanelComfortableDark = themed('dark', { layout: 'panel', density: 'comfortable' });
export const PanelComfortableHighContrast = themed('high-contrast', { layout: 'panel', density: 'comfortable' });

/**
 * Windows High Contrast (forced colours). The story test renders these with forced colours
 * emulated; in a browser, DevTools › Rendering › "Emulate CSS media feature forced-colors" shows it.
 */
export const BarCompactForcedColors: Story = { tags: ['forced-colors'] };
export const PanelComfortableForcedColors: Story = { args: { layout: 'panel', density: 'comfortable' }, tags: ['forced-colors'] };

/** The health panel's first screen in a 440 px sidebar: the tiles that matter and the charts. */
export const HealthSidebar: Story = {
  render: (_args, { id }) => {
    storyGateway(id, { rate: 2, initial: 10 });
    return html`<health-panel group=${id} interval="1000" .source=${fakeMetrics('healthy')}
      style="width: 440px; --lw-health-chart-height: 125px"></health-panel>`;
  },
};
