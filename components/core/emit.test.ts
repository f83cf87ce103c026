import { expect } from '@open-wc/testing';
import { emit } from './emit.ts';
import '../theme-toggle/events.ts';
import '../export-button/events.ts';

describe('emit()', () => {
  it('fires the lw- event, bubbling and composed, then the old name for one release', () => {
    const el = document.body.appendChild(document.createElement('div'));
    const seen: string[] = [];
    const listen = (type: string) => document.addEventListener(type, (e) => seen.push(`${e.type}:${e.bubbles}:${e.composed}:${JSON.stringify((e as CustomEvent).detail)}`), { once: true });
    listen('lw-theme-change');
    listen('theme-change');
    expect(emit(el, 'lw-theme-change', { choice: 'dark', theme: 'dark' })).to.equal(true);
    expect(seen).to.deep.equal([
      'lw-theme-change:true:true:{"choice":"dark","theme":"dark"}',
      'theme-change:true:true:{"choice":"dark","theme":"dark"}',
    ]);
    el.remove();
  });

  it('answers false when a listener of either name cancels a cancelable event', () => {
    const el = document.body.appendChild(document.createElement('div'));
    const detail = { format: 'csv' as const, fileName: 'a.csv', rows: 1 };
    el.addEventListener('export-start', (e) => e.preventDefault(), { once: true }); // an old listener
    expect(emit(el, 'lw-export-start', detail, true)).to.equal(false);
    el.addEventListener('lw-export-start', (e) => e.preventDefault(), { once: true });
    expect(emit(el, 'lw-export-start', detail, true)).to.equal(false);
    expect(emit(el, 'lw-export-start', detail, true)).to.equal(true);
    el.remove();
  });
});
