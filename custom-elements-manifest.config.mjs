// `npm run cem`: custom-elements.json from the widgets' JSDoc (@tagname, @summary, @csspart,
// @cssprop, @fires, @slot) and Lit's decorators (litelement: true). Storybook's autodocs and
// editors read it; scripts/check-cem.test.ts fails when the committed file is stale.
import { existsSync, readFileSync, readdirSync } from 'node:fs';

/**
 * The elements (`components/<tag>/<tag>.ts`), their registration modules (`define.ts`) and their
 * base class (for inherited members). The helper modules beside them are not element API.
 */
function elementModules() {
  const widgets = readdirSync('components', { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(`components/${d.name}/define.ts`) && existsSync(`components/${d.name}/${d.name}.ts`))
    .map((d) => d.name);
  return ['components/core/element.ts', ...widgets.flatMap((w) => [`components/${w}/${w}.ts`, `components/${w}/define.ts`])];
}

/**
 * Tags are registered by `define('tag', Class)` in each widget's define.ts (components/core/define.ts),
 * which the analyzer does not recognise as `customElements.define`: read those calls and give each
 * class its tag name and the module its custom-element definition export.
 */
function leadwireDefine() {
  return {
    name: 'leadwire-define',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isCallExpression(node) || node.expression.getText() !== 'define') return;
      const [tag, ctor] = node.arguments;
      if (!tag || !ctor || !ts.isStringLiteral(tag)) return;
      moduleDoc.exports ??= [];
      moduleDoc.exports.push({
        kind: 'custom-element-definition',
        name: tag.text,
        declaration: { name: ctor.getText(), module: moduleDoc.path.replace(/define\.ts$/, `${tag.text}.ts`) },
      });
    },
    packageLinkPhase({ customElementsManifest }) {
      const modules = customElementsManifest.modules;
      // The glob yields directory order, which differs between file systems: sort so the file
      // is the same on every machine (the staleness test compares it byte for byte).
      modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      for (const definition of modules.flatMap((m) => m.exports ?? []).filter((e) => e.kind === 'custom-element-definition')) {
        const module = modules.find((m) => m.path === definition.declaration.module);
        const declaration = module?.declarations?.find((d) => d.name === definition.declaration.name);
        if (declaration) {
          declaration.tagName ??= definition.name;
          declaration.customElement = true;
        }
      }
      for (const module of modules) {
        // Module-level helpers that are not exported are not API either.
        const exported = new Set((module.exports ?? []).map((e) => e.declaration?.name));
        if (module.declarations) module.declarations = module.declarations.filter((d) => exported.has(d.name));
        for (const declaration of module.declarations ?? []) {
          if (declaration.events) declaration.events = typedEvents(module.path, declaration.events);
          // The manifest is the public API: private and protected members are implementation,
          // and listing them made every internal refactor a manifest change.
          if (declaration.members) declaration.members = declaration.members.filter(isPublic);
        }
      }
    },
  };
}

const isPublic = (member) => (member.privacy ?? 'public') === 'public' && !/^[_#]/.test(member.name);

/**
 * Events as the widget declares them in `HTMLElementEventMap` (the source of truth for types):
 * a `@fires` without a `{type}` gets it from there, and an event the analyzer inferred from
 * `new CustomEvent(name, …)` with a variable name (no such event exists) is dropped.
 */
function typedEvents(path, events) {
  const source = readFileSync(path, 'utf8');
  const declared = new Map([...source.matchAll(/^\s*'([\w-]+)': (CustomEvent<\w+>|\w*Event);$/gm)].map(([, name, type]) => [name, type]));
  return events
    .filter((event) => event.description || declared.has(event.name) || source.includes(`'${event.name}'`))
    .map((event) => {
      const type = declared.get(event.name);
      if (type && (!event.type?.text || event.type.text === 'CustomEvent')) event.type = { text: type };
      if (event.description) event.description = event.description.replace(/\s*detail: \w+$/, '');
      return event;
    });
}

export default {
  globs: elementModules(),
  outdir: '.',
  litelement: true,
  packagejson: false,
  plugins: [leadwireDefine()],
};
