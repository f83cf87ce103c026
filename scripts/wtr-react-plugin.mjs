// web-test-runner plugin: React and react-dom ship CommonJS only, which the dev server cannot
// serve to the browser. esbuild bundles them once into one ES module (one React instance for
// both), and `react`, `react-dom` and `react-dom/client` resolve to thin modules re-exporting it.
import { execFileSync } from 'node:child_process';
import esbuild from 'esbuild';

const MODULES = { react: 'React', 'react-dom': 'ReactDOM', 'react-dom/client': 'ReactDOMClient' };
const BUNDLE = '/__react/bundle.js';
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The CommonJS module's export names, read in a child process (React logs through the
 * console on load, which the runner's own console interception does not survive). */
const exportNames = (spec) =>
  JSON.parse(execFileSync(process.execPath, ['-p', `JSON.stringify(Object.keys(require(${JSON.stringify(spec)})))`], { encoding: 'utf8' }));

export function reactPlugin() {
  let bundle;
  const build = async () =>
    (bundle ??= esbuild
      .build({
        stdin: {
          contents: Object.entries(MODULES).map(([spec, name]) => `export * as ${name} from '${spec}';`).join('\n'),
          resolveDir: process.cwd(),
        },
        bundle: true,
        format: 'esm',
        write: false,
        define: { 'process.env.NODE_ENV': '"development"' },
      })
      .then((result) => result.outputFiles[0].text));
  return {
    name: 'leadwire-react',
    resolveImport({ source }) {
      if (source in MODULES) return `/__react/${source}.js`;
    },
    async serve({ path }) {
      if (path === BUNDLE) return { body: await build(), type: 'js' };
      const spec = path.match(/^\/__react\/(.+)\.js$/)?.[1];
      if (!(spec in MODULES)) return;
      const names = exportNames(spec).filter((n) => IDENTIFIER.test(n) && n !== 'default');
      const name = MODULES[spec];
      return {
        body: `import { ${name} } from '${BUNDLE}';\nconst m = ${name}.default ?? ${name};\nexport default m;\nexport const { ${names.join(', ')} } = m;\n`,
        type: 'js',
      };
    },
  };
}
