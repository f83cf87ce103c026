import type { StorybookConfig } from '@storybook/web-components-vite';
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// @ts-expect-error — plain .mjs build helpers, no declarations
import { pdfFontAssets, pdfFontFile, PDF_FONTS } from '../scripts/pdf-fonts.mjs';

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
    // The PDF report's fonts: served from their packages while developing, emitted by the build.
    vite.plugins = [
      ...(vite.plugins ?? []),
      { ...pdfFontAssets('rewrite'), apply: 'build' as const },
      {
        name: 'leadwire-pdf-fonts-dev',
        apply: 'serve' as const,
        configureServer(server: { middlewares: { use(fn: (req: { url?: string }, res: { setHeader(k: string, v: string): void; end(b: Buffer): void }, next: () => void) => void): void } }) {
          server.middlewares.use((req, res, next) => {
            const name = /\/export-button\/fonts\/([\w.-]+\.ttf)(\?|$)/.exec(req.url ?? '')?.[1];
            if (!name || !PDF_FONTS[name]) return next();
            res.setHeader('content-type', 'font/ttf');
            res.end(readFileSync(pdfFontFile(name)));
          });
        },
      },
    ];
    // Lit's legacy decorators need the tsconfig flags; esbuild reads them from tsconfig.json.
    return vite;
  },
};
export default config;
