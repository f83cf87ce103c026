import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { StreamEvent } from '../protocol/index.ts';
import '../components/activity-feed/define.ts';
import '../components/export-button/define.ts';
import '../components/health-panel/define.ts';
import { groupStore } from '../components/core/store.ts';
import { fakeMetrics } from '../fixtures/fake-metrics.ts';
import { storyGateway } from './support/story-gateway.ts';
import { applyArgs } from './support/args.ts';
import { trafficEvents } from '../fixtures/stream-events.ts';

interface Args {
  formats: string;
  filename: string;
  reportTitle: string;
  allowFormulas: boolean;
  /** Any other property of the element, set from its control (see applyArgs). */
  [property: string]: unknown;
}

/** n seeded events, newest first like the feed shows them. */
const events = (n: number, seed = 11): StreamEvent[] => trafficEvents(n, seed).reverse();

/** An unsigned token naming these scopes (the button reads scopes; the gateway verifies). */
const token = (scopes: string[]) => `e30.${btoa(JSON.stringify({ sub: 'agent', tenants: ['loc_demo'], scopes }))}.unsigned`;

const button = (id: string, args: Args, rows?: readonly unknown[]) =>
  html`<export-button
    ${applyArgs(args)}
    group=${id}
    formats=${args.formats}
    filename=${args.filename}
    report-title=${args.reportTitle}
    ?allow-formulas=${args.allowFormulas}
    .rows=${rows}
  ></export-button>`;

const meta: Meta<Args> = {
  title: 'Widgets/Export button',
  component: 'export-button',
  args: { formats: 'csv,xlsx,json,pdf', filename: 'leadwire-activity', reportTitle: 'Leadwire activity', allowFormulas: false },
  parameters: { layout: 'padded' },
};
export default meta;
type Story = StoryObj<Args>;

/** Every format over 200 events given as `rows`: pick CSV, Excel, JSON or the PDF report. */
export const AllFormats: Story = {
  render: (args, { id }) => button(id, args, events(200)),
};

/** One format per story, for designers comparing files. */
export const CsvOnly: Story = { args: { formats: 'csv' }, render: (args, { id }) => button(id, args, events(50)) };
export const ExcelOnly: Story = { args: { formats: 'xlsx' }, render: (args, { id }) => button(id, args, events(50)) };
export const JsonOnly: Story = { args: { formats: 'json' }, render: (args, { id }) => button(id, args, events(50)) };
export const PdfOnly: Story = { args: { formats: 'pdf' }, render: (args, { id }) => button(id, args, events(50)) };

/** Next to a live feed in the same group: exports what the feed shows, with the group's filters. */
export const WithFeed: Story = {
  render: (args, { id }) => {
    storyGateway(id, { rate: 2, initial: 30 });
    groupStore(id).setFilter({ types: ['lead'] });
    return html`<div style="display: grid; gap: 12px; max-width: 640px">
      ${button(id, args)}
      <activity-feed group=${id} style="--lw-feed-height: 360px"></activity-feed>
    </div>`;
  },
};

/** 100,000 rows: the progress bar moves, the page stays responsive, and Cancel stops it. */
export const LargeExport: Story = {
  render: (args, { id }) => button(id, args, events(100_000)),
};

/** The token lacks the `export` scope: disabled, and it says why. */
export const DisabledWithoutScope: Story = {
  render: (args, { id }) => html`<export-button ${applyArgs(args)} group=${id} token=${token(['events:read'])} .rows=${events(10)}></export-button>`,
};

/** From a <health-panel> (fed by the stories' fake metrics): its charts as PNG, a PDF of the charts, and its history rows. */
export const Charts: Story = {
  render: (args, { id }) => {
    storyGateway(id, { rate: 1, initial: 0 });
    return html`<div style="display: grid; gap: 12px">
      <export-button ${applyArgs(args)} group=${id} for=${`${id}-health`} formats=${args.formats}></export-button>
      <health-panel id=${`${id}-health`} group=${id} interval="1000" .source=${fakeMetrics('healthy')}></health-panel>
    </div>`;
  },
};

/**
 * A failed export: the button names an export source that is not on the page, so picking a format
 * fails and the status says why (the trigger is picked for you once the story renders).
 */
export const FailedExport: Story = {
  render: (args, { id }) => {
    setTimeout(async () => {
      const el = document.querySelector<HTMLElement>(`export-button[group="${id}"]`);
      el?.shadowRoot?.querySelector<HTMLButtonElement>('[part~="trigger"]')?.click();
      for (let i = 0; i < 50 && !el?.shadowRoot?.querySelector('[part~="item"]'); i++) await new Promise((r) => setTimeout(r, 50));
      el?.shadowRoot?.querySelector<HTMLButtonElement>('[part~="item"]')?.click();
    }, 100);
    return html`<export-button ${applyArgs(args)} group=${id} for="no-such-source" formats="csv"></export-button>`;
  },
};
