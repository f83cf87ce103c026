import type { StorybookConfig } from '@storybook/web-components-vite';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// node_modules may be a symlink to a shared install outside the repo: let Vite serve from there.
const root = fileURLToPath(new URL('..', import.meta.url));
const modules = realpathSync(new URL('../node_modules', import.meta.url));

const config: StorybookConfig = {
  framework: { name: '@storybook/web-components-vite', options: {} },
  stories: ['../stories/**/*.stories.ts', '../stories/**/*.mdx'],
  addons: ['@storybook/addon-a11y', '@storybook/addon-docs'],
  core: { disableTelemetry: true },
  async viteFinal(vite) {
    vite.server ??= {};
    vite.server.fs = { ...vite.server.fs, allow: [...(vite.server.fs?.allow ?? []), root, modules] };
    vite.resolve ??= {};
    vite.resolve.preserveSymlinks = false;
    // Lit's legacy decorators need the tsconfig flags; esbuild reads them from tsconfig.json.
    return vite;
  },
};
export default config;
