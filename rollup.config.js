// Builds the widgets package (components/, published as `leadwire`) into components/dist:
//  - leadwire.js            classic-script loader for <script src> embedding (one global: Leadwire)
//  - leadwire-rollout.js    the same loader as a gateway serves it at /leadwire.js during rollouts:
//                           it asks which version the page's location gets (docs/rollout.md)
//  - leadwire/*.js          the ES chunks it imports: widgets with Lit bundled; heavy libraries
//                           (chart.js, SheetJS, jsPDF) stay separate chunks loaded on first use
//  - esm/**/*.js            the ESM package for bundlers: Lit external, one module per source file,
//                           except the export workers (esm/**/*.worker.js), each one self-contained
//  - vendor/jspdf.js        jsPDF as one module, for pages that use an import map instead of a bundler
// Minified but readable (class names kept, local names shortened) with source maps, so a reviewer
// can follow it. `--environment BUILD:embed` or `BUILD:esm` builds one half.
import { readFileSync, readdirSync, existsSync, rmSync } from 'node:fs';
import esbuild from 'rollup-plugin-esbuild';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { workerChunks } from './scripts/rollup-worker-plugin.mjs';
import { pdfFontAssets } from './scripts/pdf-fonts.mjs';
import { bundleReport } from './scripts/bundle-report.mjs';
import { minifyCssLiterals, minifyHtmlLiterals } from './scripts/rollup-minify-css.mjs';

// LEADWIRE_OUT: another output directory (a version built beside the package's own dist).
const OUT = process.env.LEADWIRE_OUT || 'components/dist';
// LEADWIRE_VERSION names a build published for a rollout (docs/rollout.md); LEADWIRE_TEST_FAULT=1
// makes a build whose widgets throw, for the rollout's proof only.
const version = process.env.LEADWIRE_VERSION || JSON.parse(readFileSync('components/package.json', 'utf8')).version;
const testFault = process.env.LEADWIRE_TEST_FAULT === '1';
const widgets = readdirSync('components', { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'core' && existsSync(`components/${d.name}/define.ts`))
  .map((d) => d.name);
/** Module workers (`x.worker.ts`), started with `new Worker(new URL('./x.worker.ts', import.meta.url))`. */
const workers = readdirSync('components', { recursive: true })
  .filter((f) => f.endsWith('.worker.ts') && !/^(dist|node_modules)\//.test(f))
  .map((f) => `components/${f}`);

const ts = () => esbuild({ target: 'es2021', tsconfig: 'tsconfig.json', define: { __LEADWIRE_VERSION__: JSON.stringify(version), __LEADWIRE_TEST_FAULT__: String(testFault) } });
const readable = (module) =>
  terser({ module, compress: { passes: 2 }, mangle: { keep_classnames: true, keep_fnames: false }, format: { comments: false } });
const resolve = () => nodeResolve({ browser: true, exportConditions: ['browser', 'production', 'import', 'default'] });
// jsPDF reaches for these only in its html() and SVG features, which Leadwire never calls;
// they are stubbed so neither their bytes nor their CommonJS quirks enter the build.
const UNUSED_BY_JSPDF = new Set(['canvg', 'html2canvas', 'dompurify']);
const stubUnused = () => ({
  name: 'leadwire-stub-unused',
  resolveId: (id) => (UNUSED_BY_JSPDF.has(id) ? `\0unused:${id}` : null),
  load: (id) =>
    id.startsWith('\0unused:')
      ? `export default function unused() { throw new Error(${JSON.stringify(`${id.slice(8)} is not bundled with Leadwire`)}); }`
      : null,
});
const quiet = (warning, warn) => {
  // SheetJS and jsPDF ship eval-free but with `this` at top level in some builds; not ours.
  if (warning.code === 'THIS_IS_UNDEFINED' || warning.code === 'CIRCULAR_DEPENDENCY') return;
  warn(warning);
};

/**
 * `new URL('./x.worker.ts', import.meta.url)` → `./x.worker.js`, the worker's self-contained
 * build beside the module (see esmWorker): the URL keeps the form an app's bundler (Vite,
 * webpack 5) recognises, and a page without a bundler loads the file as it is.
 */
const workerUrls = () => ({
  name: 'leadwire-worker-urls',
  async transform(code, id) {
    const pattern = /(new URL\((['"])(\.{1,2}\/[^'"]+\.worker))\.ts(\2, import\.meta\.url\))/g;
    const found = [...code.matchAll(pattern)];
    for (const [, , , path] of found) {
      if (!(await this.resolve(`${path}.ts`, id))) this.error(`${path}.ts (from ${id}) not found`);
    }
    return found.length ? { code: code.replace(pattern, '$1.js$4'), map: null } : null;
  },
});

/**
 * One export worker for the ESM package, with everything it imports (SheetJS or jsPDF) in the
 * one file: a worker sees neither the page's import map nor the app's bundler configuration,
 * so it must resolve nothing.
 */
const esmWorker = (input) => ({
  input,
  output: { file: `${OUT}/esm/${input.replace(/\.ts$/, '.js')}`, format: 'es', inlineDynamicImports: true, sourcemap: true },
  // The fonts sit beside the worker already: the ESM build below copies them there.
  plugins: [stubUnused(), pdfFontAssets('keep'), resolve(), ts(), readable(true)],
  onwarn: quiet,
});

/**
 * jsPDF as one ES module (dist/vendor/jspdf.js), for pages without a bundler (docs/developers.md's
 * import map), where the page itself draws a PDF (charts, or an export no worker could build):
 * jsPDF's ES build imports fast-png, whose ES build names its modules without file extensions,
 * which only a bundler resolves.
 */
const vendorJsPdf = {
  input: 'jspdf',
  preserveEntrySignatures: 'strict',
  output: { file: `${OUT}/vendor/jspdf.js`, format: 'es', inlineDynamicImports: true },
  plugins: [stubUnused(), resolve(), readable(true)],
  onwarn: quiet,
};

/**
 * The ESM package: one module per source file (dist/esm mirrors the repository, as dist/types
 * does), so bundlers tree-shake per widget and `sideEffects` can name the registering modules.
 * Every package import stays external: Lit, chart.js, SheetJS, jsPDF, React are the app's.
 */
const esm = {
  input: [
    'components/index.ts',
    'components/core/index.ts',
    'components/core/tokens.ts',
    ...widgets.flatMap((w) => [`components/${w}/define.ts`, `components/${w}/${w}.ts`]),
    ...(existsSync('components/react') ? readdirSync('components/react').filter((f) => /^[\w-]+\.ts$/.test(f)).map((f) => `components/react/${f}`) : []),
  ],
  external: (id) => !/^[./\0]/.test(id),
  output: { dir: `${OUT}/esm`, format: 'es', preserveModules: true, entryFileNames: '[name].js', sourcemap: true },
  plugins: [workerUrls(), pdfFontAssets('copy'), ts()],
  onwarn: quiet,
};

const embed = [
  {
    input: 'components/loader.ts',
    output: { file: `${OUT}/leadwire.js`, format: 'iife', sourcemap: true },
    plugins: [ts(), readable(false)],
    onwarn: quiet,
  },
  {
    input: 'components/rollout-loader.ts',
    output: { file: `${OUT}/leadwire-rollout.js`, format: 'iife', sourcemap: true },
    plugins: [ts(), readable(false)],
    onwarn: quiet,
  },
  {
    input: { embed: 'components/embed.ts', telemetry: 'components/telemetry.ts' },
    // Lets the shared core live in embed.js itself rather than behind a one-line facade.
    preserveEntrySignatures: 'allow-extension',
    output: {
      dir: `${OUT}/leadwire`,
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: 'chunks/[name]-[hash].js',
      sourcemap: true,
      // jsPDF with the stubs of its optional parts: one chunk, not three 100-byte files beside it.
      manualChunks: (id) => (id.startsWith('\0unused:') || id.includes('/node_modules/jspdf/') ? 'jspdf' : undefined),
      // A core helper used only by lazy chunks (core/yield.ts) goes into the core, which is loaded
      // anyway, instead of a chunk of its own: one more request, after its importer, on the way
      // to a chart or an export.
      experimentalMinChunkSize: 1024,
    },
    plugins: [stubUnused(), workerChunks(), pdfFontAssets('rewrite'), resolve(), ts(), minifyCssLiterals(), minifyHtmlLiterals(), readable(true), bundleReport({ loader: `${OUT}/leadwire.js` })],
    onwarn: quiet,
  },
];

// Each build starts from an empty output directory: a module renamed or moved in the source
// must not survive as a stale file that the package tests (or a publish) would pick up.
const builds = { embed: [`${OUT}/leadwire.js`, `${OUT}/leadwire.js.map`, `${OUT}/leadwire-rollout.js`, `${OUT}/leadwire-rollout.js.map`, `${OUT}/leadwire`], esm: [`${OUT}/esm`, `${OUT}/vendor`] };
const chosen = process.env.BUILD ? [process.env.BUILD] : Object.keys(builds);
for (const dir of chosen.flatMap((name) => builds[name] ?? [])) rmSync(dir, { recursive: true, force: true });

export default chosen.flatMap((name) => ({ embed, esm: [esm, ...workers.map(esmWorker), vendorJsPdf] })[name] ?? []);
