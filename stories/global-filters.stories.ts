import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { Filter } from '../protocol/index.ts';
import '../components/activity-feed/define.ts';
import '../components/global-filters/define.ts';
import { storageKey, type Preset } from '../components/global-filters/presets.ts';
import { storyGateway } from './support/story-gateway.ts';
import { applyArgs } from './support/args.ts';

interface Args {
  syncUrl: boolean;
  searchDelay: number;
  /** Any other property of the element, set from its control (see applyArgs). */
  [property: string]: unknown;
}

/** The widget in the story's group, its tenant's storage reset to `presets` on every render. */
function filters(
  id: string,
  { value, presets = [], width, args, presetsOpen = false }: { value?: Filter; presets?: Preset[]; width?: number; args?: Partial<Args>; presetsOpen?: boolean } = {},
) {
  const tenant = `story-${id}`;
  localStorage.setItem(storageKey(tenant), JSON.stringify({ v: 1, presets }));
  return html`<div style=${width ? `width: ${width}px` : ''}>
    <global-filters
      ${applyArgs(args ?? {})}
      name="filters"
      group=${id}
      tenant=${tenant}
      .value=${value ?? {}}
      ?sync-url=${args?.syncUrl ?? false}
      ?presets-open=${presetsOpen}
      search-delay=${args?.searchDelay ?? 300}
    ></global-filters>
  </div>`;
}

const meta: Meta<Args> = {
  title: 'Widgets/Global filters',
  component: 'global-filters',
  args: { syncUrl: false, searchDelay: 300 },
  parameters: { layout: 'padded' },
};
export default meta;
type Story = StoryObj<Args>;

/** Nothing filtered yet. */
export const Empty: Story = {
  render: (args, { id }) => filters(id, { args }),
};

/** The filters drive a feed beside them: they share a group, and the feed resubscribes. */
export const WithFeed: Story = {
  render: (args, { id }) => {
    storyGateway(id, { rate: 4, initial: 30 });
    return html`${filters(id, { args })}
      <div style="height: 12px"></div>
      <activity-feed group=${id} style="--lw-feed-height: 360px"></activity-feed>`;
  },
};

/** A relative date preset: "last 7 days", resolved to whole local days. */
export const LastSevenDays: Story = {
  render: (args, { id }) => filters(id, { args, value: { datePreset: '7d' } }),
};

/** A custom from/to range. */
export const CustomRange: Story = {
  render: (args, { id }) =>
    filters(id, { args, value: { datePreset: 'custom', from: new Date(2025, 2, 1).getTime(), to: new Date(2025, 2, 8).getTime() - 1 } }),
};

/** Several temperatures, stages and timelines at once. */
export const LeadFacts: Story = {
  render: (args, { id }) =>
    filters(id, { args, value: { temperatures: ['hot', 'warm'], stages: ['qualifying', 'appointment'], timelines: ['asap', '3-6m'] } }),
};

/** A budget range, shown with Intl money formatting in the summary. */
export const Budget: Story = {
  render: (args, { id }) => filters(id, { args, value: { budgetMin: 300_000, budgetMax: 600_000 } }),
};

/** Event types: a whole family (checked) and part of another (indeterminate). */
export const EventTypes: Story = {
  render: (args, { id }) =>
    filters(id, { args, value: { types: ['system', 'lead.created', 'lead.stage_changed'] } }),
};

/** Free-text search over lead name, source and message. */
export const Search: Story = {
  render: (args, { id }) => filters(id, { args, value: { text: 'maple' } }),
};

/** Everything at once: the summary line in full. */
export const Everything: Story = {
  render: (args, { id }) =>
    filters(id, {
      args,
      value: { temperatures: ['hot'], stages: ['qualifying'], budgetMin: 300_000, budgetMax: 600_000, datePreset: '7d', text: 'pre-approved' },
    }),
};

const savedPresets: Preset[] = [
  { id: 'hot', name: 'Hot buyers', filter: { temperatures: ['hot'] }, default: true },
  { id: 'handoff', name: 'Ready for an agent', filter: { stages: ['handoff', 'appointment'], datePreset: 'today' } },
  { id: 'errors', name: 'GHL trouble', filter: { types: ['ghl.api_error', 'system'] } },
];

/** Saved filters, opened: apply, rename, delete, and the default (★) applied when there is no last used filter. */
export const Presets: Story = {
  render: (args, { id }) => filters(id, { args, presets: savedPresets, value: { temperatures: ['hot'] }, presetsOpen: true }),
};

/** Under 480 px the controls fold behind a toggle (a 320 px GHL sidebar). */
export const Compact: Story = {
  render: (args, { id }) => filters(id, { args, width: 320, presets: savedPresets, value: { temperatures: ['hot'], datePreset: '7d' } }),
};

const themed = (theme: string): Story => ({
  parameters: { theme },
  render: (args, { id }) =>
    filters(id, { args, presets: savedPresets, value: { temperatures: ['warm'], types: ['lead.created', 'lead.message_received'] }, presetsOpen: true }),
});
export const Light = themed('light');
export const Dark = themed('dark');
export const HighContrast = themed('high-contrast');

/** Inside a form: the filter is submitted as JSON under the widget's name; reset clears it. */
export const InAForm: Story = {
  render: (args, { id }) => {
    const submitted = (event: SubmitEvent) => {
      event.preventDefault();
      const form = event.target as HTMLFormElement;
      form.querySelector('output')!.value = String(new FormData(form).get('filters'));
    };
    return html`<form @submit=${submitted}>
      ${filters(id, { args, value: { stages: ['new'] } })}
      <p><button type="submit">Submit</button> <button type="reset">Reset</button></p>
      <p>Submitted: <output>(nothing yet)</output></p>
    </form>`;
  },
};
