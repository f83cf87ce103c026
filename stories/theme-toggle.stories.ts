import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/theme-toggle/define.ts';
import { applyArgs } from './support/args.ts';

const meta: Meta<{ applyToRoot: boolean }> = {
  title: 'Widgets/Theme toggle',
  component: 'theme-toggle',
  args: { applyToRoot: false },
};
export default meta;
type Story = StoryObj<{ applyToRoot: boolean }>;

export const Default: Story = {
  render: (args, { id }) => html`<theme-toggle ${applyArgs(args)} group=${id} ?apply-to-root=${args.applyToRoot}></theme-toggle>`,
};

const themed = (theme: string): Story => ({ ...Default, parameters: { theme } });
export const Light = themed('light');
export const Dark = themed('dark');
export const HighContrast = themed('high-contrast');

/** Also sets data-lw-theme and color-scheme on <html>, for pages that want to follow. */
export const ApplyToRoot: Story = { ...Default, args: { applyToRoot: true } };
