import { setCustomElementsManifest, type Preview } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ref } from 'lit/directives/ref.js';
import manifest from '../custom-elements.json' with { type: 'json' };
import { groupStore } from '../components/core/store.ts';
import { PALETTES, type ThemeChoice } from '../components/core/tokens.ts';
import { apiArgTypes } from './manifest.ts';
import { storyStrings } from '../stories/support/strings.ts';

// Autodocs take each widget's description and API table (attributes, properties, events, slots,
// CSS parts, CSS properties) from the manifest.
setCustomElementsManifest(manifest);

/**
 * Paints the story canvas in its group's theme (background, text, form controls), following later
 * changes (a theme-toggle in the story), so a story's own text around the widgets stays readable.
 */
const canvases = new Map<string, { element?: HTMLElement; unsubscribe: () => void }>();
function paintCanvas(group: string, element: Element | undefined) {
  let canvas = canvases.get(group);
  const paint = () => {
    if (!canvas?.element) return;
    const theme = groupStore(group).theme;
    Object.assign(canvas.element.style, {
      background: PALETTES[theme].surface,
      color: PALETTES[theme].text,
      colorScheme: theme === 'light' ? 'light' : 'dark',
    });
  };
  if (!canvas) canvases.set(group, (canvas = { unsubscribe: groupStore(group).subscribe(paint, ['theme']) }));
  canvas.element = element as HTMLElement | undefined;
  paint();
}

const preview: Preview = {
  parameters: {
    controls: { expanded: true },
    options: { storySort: { order: ['Introduction', 'Kitchen sink', 'Widgets'] } },
    a11y: { test: 'error' },
    docs: { toc: true, extractArgTypes: (tagName: string) => apiArgTypes(manifest, tagName) },
    viewport: {
      options: {
        narrow: { name: 'GHL sidebar (320px)', styles: { width: '320px', height: '640px' }, type: 'mobile' },
        tablet: { name: 'Tablet (768px)', styles: { width: '768px', height: '1024px' }, type: 'tablet' },
        desktop: { name: 'Desktop (1280px)', styles: { width: '1280px', height: '800px' }, type: 'desktop' },
      },
    },
  },
  globalTypes: {
    theme: {
      description: 'Leadwire theme of the story’s group',
      toolbar: {
        title: 'Theme',
        icon: 'contrast',
        items: [
          { value: 'auto', title: 'Auto (system)' },
          { value: 'light', title: 'Light' },
          { value: 'dark', title: 'Dark' },
          { value: 'high-contrast', title: 'High contrast' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: 'auto' },
  decorators: [
    (story, context) => {
      // Each story's widgets live in a group named after the story; the toolbar themes that group
      // (a story may pin its theme with `parameters.theme`).
      const theme = (context.parameters.theme ?? context.globals.theme ?? 'auto') as ThemeChoice;
      storyStrings(context.parameters.strings); // a localised story's texts, else English
      document.documentElement.lang = context.parameters.lang ?? 'en';
      groupStore(context.id).setTheme(theme, { persist: false });
      // A full-screen story paints the whole frame, not just its content's height.
      const height = context.parameters.layout === 'fullscreen' ? 'min-height: 100vh; box-sizing: border-box;' : '';
      return html`<div style="padding: 16px; ${height}" ${ref((element) => paintCanvas(context.id, element))}>${story()}</div>`;
    },
  ],
  tags: ['autodocs'],
};
export default preview;
