// The import rules of docs/architecture.md, checked by scripts/architecture.test.ts and drawn by
// `npm run graph`. Every kind of import counts: static, type-only and dynamic import().
const TEST = '\\.(test|typecheck)\\.tsx?$';
const PRODUCTION = '^(protocol|gateway/src|components)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A circle means two modules cannot be understood, tested or loaded apart.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-upward-imports',
      severity: 'error',
      comment: 'Production code never imports the programs and test support built on top of it.',
      from: { path: PRODUCTION, pathNot: TEST },
      to: { path: '^(demo|stories|fixtures|scripts|bench)/' },
    },
    {
      name: 'production-imports-no-tests',
      severity: 'error',
      from: { path: PRODUCTION, pathNot: TEST },
      to: { path: TEST },
    },
    {
      name: 'widgets-not-gateway',
      severity: 'error',
      comment: 'The widgets package ships browser code only; the two meet in protocol/.',
      from: { path: '^components/' },
      to: { path: '^gateway/' },
    },
    {
      name: 'gateway-not-widgets',
      severity: 'error',
      from: { path: '^gateway/src/' },
      to: { path: '^components/' },
    },
    {
      name: 'protocol-is-the-bottom',
      severity: 'error',
      comment: 'protocol/ is the contract both packages compile in; it depends on nothing of ours.',
      from: { path: '^protocol/', pathNot: TEST },
      to: { path: '^(gateway|components|demo|stories|fixtures|scripts|bench)/' },
    },
    {
      name: 'widgets-load-no-zod',
      severity: 'error',
      comment: 'Validation is the gateway\'s job; zod would cost the embed ~13 KB gzip.',
      from: { path: '^components/', pathNot: TEST },
      to: { path: '(^|/)node_modules/zod/|^protocol/schemas\\.ts$' },
    },
    {
      name: 'core-imports-no-widget',
      severity: 'error',
      comment: 'core/ is what every widget shares; it knows none of them.',
      from: { path: '^components/core/', pathNot: TEST },
      to: { path: '^components/(?!core/)' },
    },
    {
      name: 'widgets-import-no-widget',
      severity: 'error',
      comment: 'A widget folder never reaches into another; what two share lives in core/.',
      from: { path: '^components/(activity-feed|export-button|global-filters|health-panel|theme-toggle)/', pathNot: TEST },
      to: {
        path: '^components/(activity-feed|export-button|global-filters|health-panel|theme-toggle)/',
        pathNot: '^components/$1/',
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|packs|storybook-static)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs'] },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
