/**
 * What editors read, made from custom-elements.json (`npm run cem`, the widgets' JSDoc) into
 * components/dist, shipped with the widgets package (`npm run build`, target editor):
 *  - custom-elements.json: the manifest as shipped. Module paths name the package's `.js` files
 *    (their declarations sit at the same place under dist/types), and every element lists the
 *    design tokens of components/core/tokens.ts among its CSS properties;
 *  - vscode.html-custom-data.json, vscode.css-custom-data.json: VS Code custom data
 *    (custom-element-vs-code-integration, as Shoelace does);
 *  - web-types.json: JetBrains web-types (custom-element-jet-brains-integration), named by the
 *    package.json `web-types` field.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { getVsCodeCssCustomData, getVsCodeHtmlCustomData } from 'custom-element-vs-code-integration';
import { getWebTypesData } from 'custom-element-jet-brains-integration';
import { COLOR_TOKENS, PALETTES, tokenStyles } from '../components/core/tokens.ts';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'components/dist');
const pkg = JSON.parse(readFileSync(join(ROOT, 'components/package.json'), 'utf8')) as { name: string; version: string };

interface CssProperty {
  name: string;
  description?: string;
  default?: string;
}
interface Declaration {
  tagName?: string;
  cssProperties?: CssProperty[];
}
interface Manifest {
  modules: Array<{ path: string; declarations?: Declaration[]; exports?: Array<{ declaration?: { module?: string } }> }>;
}

/** `components/x/y.ts` → `dist/esm/components/x/y.js`, the module as the package ships it. */
export const shippedPath = (source: string) => source.replace(/^\/?(components\/.+)\.ts$/, 'dist/esm/$1.js');

/** Every `module` under `node` (some are relative to the module they sit in), rewritten to the shipped module. */
function shipReferences(node: unknown, base: string): void {
  if (Array.isArray(node)) return node.forEach((item) => shipReferences(item, base));
  if (!node || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    if (key === 'module' && typeof value === 'string') record[key] = shippedPath(value.startsWith('.') ? posix.join(posix.dirname(base), value) : value);
    else shipReferences(value, base);
  }
}

const SIZE_TOKENS: Record<string, string> = {
  'font-family': 'Font family of the text.',
  'font-mono': 'Font family of codes and payloads.',
  'font-size': 'Base font size in px (the widget ignores the page’s root size).',
  'font-size-small': 'Font size of secondary text.',
  'line-height': 'Line height of the text.',
  'space-1': 'Smallest spacing step.',
  'space-2': 'Second spacing step.',
  'space-3': 'Third spacing step.',
  'space-4': 'Largest spacing step.',
  radius: 'Corner radius.',
  'motion-duration': 'Duration of transitions (0ms under prefers-reduced-motion).',
};

/** The design tokens every widget reads (components/core/tokens.ts), with their defaults. */
export function designTokens(): CssProperty[] {
  const colors = COLOR_TOKENS.map((token) => ({
    name: `--lw-color-${token}`,
    description: `Colour "${token}" of the theme (light ${PALETTES.light[token]}, dark ${PALETTES.dark[token]}, high contrast ${PALETTES['high-contrast'][token]}).`,
    default: PALETTES.light[token],
  }));
  const others = [...tokenStyles.cssText.matchAll(/var\(--lw-([\w-]+),\s*([^;]+?)\);/g)]
    .filter(([, name]) => !name.startsWith('color-'))
    .map(([, name, fallback]) => ({ name: `--lw-${name}`, description: SIZE_TOKENS[name] ?? `Design token ${name}.`, default: fallback.trim() }));
  return [...colors, ...others];
}

export function shippedManifest(source: Manifest): Manifest {
  const manifest = structuredClone(source);
  const tokens = designTokens();
  for (const declaration of manifest.modules.flatMap((m) => m.declarations ?? [])) {
    if (!declaration.tagName) continue;
    const own = declaration.cssProperties ?? [];
    const missing = tokens.filter((token) => !own.some((p) => p.name === token.name));
    declaration.cssProperties = [...own, ...missing];
  }
  // `export type { X } from './events.ts'` lists X as an export of a module the manifest does not
  // describe: a module of types only, which ships declarations but no JavaScript.
  const described = new Set(manifest.modules.map((m) => m.path));
  for (const module of manifest.modules) {
    const from = (ref: string) => (ref.startsWith('.') ? posix.join(posix.dirname(module.path), ref) : ref);
    module.exports = module.exports?.filter((e) => !e.declaration?.module || described.has(from(e.declaration.module)));
  }
  for (const module of manifest.modules) {
    shipReferences(module, module.path);
    module.path = shippedPath(module.path);
  }
  return manifest;
}

if (process.argv[1]?.endsWith('editor-data.ts')) {
  const manifest = shippedManifest(JSON.parse(readFileSync(join(ROOT, 'custom-elements.json'), 'utf8')));
  // An element's hover text lists its events and methods; its CSS properties (the two dozen
  // design tokens included) are offered where they are used, in CSS.
  const options = { hideLogs: true, descriptionSrc: 'description', hideCssPropertiesDocs: true };
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'custom-elements.json'), JSON.stringify(manifest, null, 2) + '\n');
  writeFileSync(join(OUT, 'vscode.html-custom-data.json'), getVsCodeHtmlCustomData(manifest as never, options));
  writeFileSync(join(OUT, 'vscode.css-custom-data.json'), getVsCodeCssCustomData(manifest as never, options));
  // The library names the file after the package.json of the working directory: give it ours.
  const webTypes = JSON.parse(getWebTypesData(manifest as never, { ...options, packageJson: false }));
  Object.assign(webTypes, { name: pkg.name, version: pkg.version });
  writeFileSync(join(OUT, 'web-types.json'), JSON.stringify(webTypes, null, 2) + '\n');
  console.log(`editor data: custom-elements.json, vscode.html-custom-data.json, vscode.css-custom-data.json, web-types.json in ${OUT}`);
}
