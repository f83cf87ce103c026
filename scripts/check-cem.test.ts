import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { MANIFEST, generate, problems, sourceEvents, sourceParts, widgets, type Manifest } from './check-cem.ts';

const committed = () => JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
const element = (manifest: Manifest, tag: string) =>
  manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === tag)!;

test('the committed custom-elements.json is what `npm run cem` makes of the source now', () => {
  const fresh = generate().split('\n');
  const committed = readFileSync(MANIFEST, 'utf8').split('\n');
  // Name the first differing line rather than dumping two 250 KB strings.
  const at = fresh.findIndex((line, i) => line !== committed[i]);
  const line = at === -1 && fresh.length !== committed.length ? Math.min(fresh.length, committed.length) : at;
  assert.equal(line, -1, `custom-elements.json is stale from line ${line + 1} (now: ${fresh[line]?.trim()}): run \`npm run cem\` and commit it`);
});

test('every widget is in the manifest with its tag, description, parts and typed events', () => {
  const manifest = committed();
  assert.ok(widgets().length >= 4, `widgets: ${widgets()}`);
  assert.deepEqual(problems(manifest), []);
  for (const tag of widgets()) {
    const el = element(manifest, tag);
    assert.ok(el.customElement, tag);
    assert.ok((el.cssParts ?? []).length > 0, `${tag} has parts`);
  }
});

test('an event fired without @fires, or a rendered part without @csspart, is reported', () => {
  const manifest = committed();
  const [tag] = widgets().filter((w) => (element(manifest, w).events ?? []).length > 0);
  const el = element(manifest, tag);
  const [dropped, ...kept] = el.events!;
  el.events = kept;
  const [droppedPart, ...keptParts] = el.cssParts!;
  el.cssParts = keptParts;
  const found = problems(manifest);
  assert.ok(found.some((p) => p.includes(`"${dropped.name}" is fired but has no @fires`)), found.join('\n'));
  assert.ok(found.some((p) => p.includes(`part "${droppedPart.name}" is rendered`)), found.join('\n'));
});

test('an event without a type, or a widget missing from the manifest, is reported', () => {
  const manifest = committed();
  const [first, second] = widgets();
  const el = element(manifest, first);
  if (el.events?.[0]) el.events[0].type = { text: 'CustomEvent' };
  delete element(manifest, second).tagName;
  const found = problems(manifest);
  if (el.events?.[0]) assert.ok(found.some((p) => p.includes(`"${el.events![0].name}" has no type`)), found.join('\n'));
  assert.ok(found.some((p) => p.startsWith(`<${second}>: no custom element`)), found.join('\n'));
});

test('source scanning finds literal and conditional parts, dispatched and declared events', () => {
  const source = `
    html\`<div part="base item-\${p}"><b part=\${on ? 'option option-checked' : 'option'}></b><i part="group \${x ? 'dates' : ''}"></i></div>\`;
    this.dispatchEvent(new CustomEvent<Detail>('thing-done', { detail }));
    declare global { interface HTMLElementEventMap { 'thing-failed': CustomEvent<X>; } }`;
  assert.deepEqual([...sourceParts(source)].sort(), ['base', 'dates', 'group', 'option', 'option-checked']);
  assert.deepEqual([...sourceEvents(source)].sort(), ['thing-done', 'thing-failed']);
});

test('each React wrapper maps every event of its widget to an on… prop', () => {
  const manifest = committed();
  for (const tag of widgets()) {
    const wrapper = readFileSync(new URL(`../components/react/${tag}.ts`, import.meta.url), 'utf8');
    const mapped = [...wrapper.matchAll(/\bon[A-Z]\w*: '([\w-]+)'/g)].map((m) => m[1]).sort();
    assert.deepEqual(mapped, (element(manifest, tag).events ?? []).map((e) => e.name).sort(), `components/react/${tag}.ts`);
  }
});

test('docs/developers.md lists every event of the manifest with its React prop and detail type', () => {
  const docs = readFileSync(new URL('../docs/developers.md', import.meta.url), 'utf8');
  const rows = new Set(docs.split('\n').filter((l) => l.startsWith('| `<')).map((l) => l.split('|').slice(1, 5).map((c) => c.trim()).join(' | ')));
  const expected = widgets().flatMap((tag) =>
    (element(committed(), tag).events ?? []).map((e) => {
      // React props are per component and cannot collide: they leave out the library prefix.
      const prop = 'on' + e.name.replace(/^lw-/, '').replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());
      return `\`<${tag}>\` | \`${e.name}\` | \`${prop}\` | \`${/^CustomEvent<(\w+)>$/.exec(e.type!.text)?.[1]}\``;
    }),
  );
  for (const row of expected) assert.ok(rows.has(row), `docs/developers.md events table misses: | ${row} |`);
  assert.equal(rows.size, expected.length, 'docs/developers.md lists events the manifest does not have');
});
