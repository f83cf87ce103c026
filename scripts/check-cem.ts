// custom-elements.json checks: the committed file is what the analyzer makes of the source now,
// and every widget documents what its source shows (tag, parts, events with their types).
// `node --import tsx scripts/check-cem.ts` prints the problems and exits non-zero (for CI).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = resolve(import.meta.dirname, '..');
export const MANIFEST = join(ROOT, 'custom-elements.json');

interface Described {
  name: string;
  description?: string;
  type?: { text: string };
}
export interface Declaration {
  kind: string;
  name: string;
  tagName?: string;
  customElement?: boolean;
  description?: string;
  cssParts?: Described[];
  cssProperties?: Described[];
  events?: Described[];
}
export interface Manifest {
  schemaVersion: string;
  modules: Array<{ path: string; declarations?: Declaration[] }>;
}

/** Widgets: a directory with `<name>.ts` (the class) and `define.ts` (the registration). */
export function widgets(): string[] {
  return readdirSync(join(ROOT, 'components'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && ['define.ts', `${d.name}.ts`].every((f) => existsSync(join(ROOT, 'components', d.name, f))))
    .map((d) => d.name)
    .sort();
}

/** The manifest the analyzer writes for the current source (in a temporary directory). */
export function generate(): string {
  const dir = mkdtempSync(join(tmpdir(), 'leadwire-cem-'));
  try {
    const config = join(dir, 'config.mjs');
    const base = pathToFileURL(join(ROOT, 'custom-elements-manifest.config.mjs')).href;
    // The analyzer joins outdir to the working directory.
    writeFileSync(config, `import config from ${JSON.stringify(base)};\nexport default { ...config, outdir: ${JSON.stringify(relative(ROOT, dir))} };\n`);
    execFileSync(join(ROOT, 'node_modules/.bin/cem'), ['analyze', '--config', config], { cwd: ROOT, stdio: 'pipe' });
    return readFileSync(join(dir, 'custom-elements.json'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Part names a template names literally: `part="a b ${x ? 'c' : ''}"` and `part=${x ? 'a' : 'b'}`. */
export function sourceParts(source: string): Set<string> {
  const parts = new Set<string>();
  const quoted = (expr: string) => [...expr.matchAll(/'([^']*)'/g)].map((m) => m[1]).join(' ');
  const values = [
    ...[...source.matchAll(/\bpart="([^"]*)"/g)].map((m) => m[1].replace(/\$\{([^}]*)\}/g, (_, expr: string) => ` ${quoted(expr)} `)),
    ...[...source.matchAll(/\bpart=\$\{([^}]*)\}/g)].map((m) => quoted(m[1])),
  ];
  for (const token of values.flatMap((v) => v.split(/\s+/))) if (/^[a-z][a-z0-9-]*[a-z0-9]$/.test(token)) parts.add(token);
  return parts;
}

/** Events a module fires by literal name, or declares in HTMLElementEventMap. */
export function sourceEvents(source: string): Set<string> {
  const dispatched = [...source.matchAll(/new CustomEvent(?:<[^>]*>)?\(\s*'([\w-]+)'/g)].map((m) => m[1]);
  const eventMap = /interface HTMLElementEventMap \{([^}]*)\}/.exec(source)?.[1] ?? '';
  const declared = [...eventMap.matchAll(/'([\w-]+)':/g)].map((m) => m[1]);
  return new Set([...dispatched, ...declared]);
}

/** What the manifest misses or gets wrong, as readable lines; empty when all is well. */
export function problems(manifest: Manifest): string[] {
  const out: string[] = [];
  const elements = manifest.modules.flatMap((m) => (m.declarations ?? []).filter((d) => d.tagName).map((d) => ({ ...d, path: m.path })));
  for (const widget of widgets()) {
    const path = `components/${widget}/${widget}.ts`;
    const element = elements.find((e) => e.tagName === widget);
    if (!element) {
      out.push(`<${widget}>: no custom element with that tag in the manifest (define.ts registers it?)`);
      continue;
    }
    if (element.path !== path) out.push(`<${widget}>: declared in ${element.path}, expected ${path}`);
    if (!element.description?.trim()) out.push(`<${widget}>: no description (class JSDoc)`);
    // The element renders through modules beside it (controls, rows, tiles, parts loaded later)
    // and declares its events in events.ts: all of the widget's modules are its source.
    const dir = join(ROOT, 'components', widget);
    const source = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    const parts = new Map((element.cssParts ?? []).map((p) => [p.name, p]));
    // A variant may be documented inside its base part's description: "(also `item-high`)".
    const variants = new Set([...parts.values()].flatMap((p) => [...(p.description ?? '').matchAll(/`([a-z][\w-]*)`/g)].map((m) => m[1])));
    for (const part of sourceParts(source)) {
      if (!parts.has(part) && !variants.has(part)) out.push(`<${widget}>: part "${part}" is rendered but has no @csspart`);
    }
    for (const part of parts.values()) if (!part.description?.trim()) out.push(`<${widget}>: @csspart ${part.name} has no description`);
    const events = new Map((element.events ?? []).map((e) => [e.name, e]));
    for (const name of sourceEvents(source)) {
      if (!events.get(name)?.description?.trim()) out.push(`<${widget}>: event "${name}" is fired but has no @fires with a description`);
    }
    for (const event of events.values()) {
      if (!/^CustomEvent<\w+>$|^(?!CustomEvent$)\w*Event$/.test(event.type?.text ?? '')) out.push(`<${widget}>: event "${event.name}" has no type (declare it in HTMLElementEventMap)`);
    }
    for (const prop of element.cssProperties ?? []) if (!prop.description?.trim()) out.push(`<${widget}>: @cssprop ${prop.name} has no description`);
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const committed = readFileSync(MANIFEST, 'utf8');
  const found = [...(generate() === committed ? [] : ['custom-elements.json is stale: run `npm run cem` and commit it']), ...problems(JSON.parse(committed))];
  for (const line of found) console.error(line);
  process.exit(found.length ? 1 : 0);
}
