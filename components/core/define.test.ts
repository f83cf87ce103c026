import { expect } from '@open-wc/testing';
import { define } from './define.ts';

describe('define()', () => {
  it('registers once and tolerates a second load of the same class', () => {
    class One extends HTMLElement {}
    define('lw-define-probe', One);
    expect(customElements.get('lw-define-probe')).to.equal(One);
    expect(() => define('lw-define-probe', One)).not.to.throw();
  });

  it('warns instead of throwing when another version holds the tag', () => {
    class First extends HTMLElement {}
    class Second extends HTMLElement {}
    define('lw-define-probe-2', First);
    const warnings: unknown[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args[0]);
    try {
      expect(() => define('lw-define-probe-2', Second)).not.to.throw();
    } finally {
      console.warn = original;
    }
    expect(customElements.get('lw-define-probe-2')).to.equal(First);
    expect(String(warnings[0])).to.contain('lw-define-probe-2');
  });
});

describe('define() under a prefix, and a tag the page took first', () => {
  const quietly = (run: () => void): string[] => {
    const warnings: string[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
    try {
      run();
    } finally {
      console.warn = original;
    }
    return warnings;
  };

  it('leaves a tag the page defined first alone, says why, and registers under a prefix', async () => {
    class HostToggle extends HTMLElement {}
    customElements.define('theme-toggle', HostToggle);
    const { ThemeToggle } = await import('../theme-toggle/theme-toggle.ts');
    let held: string | null = 'unset';
    const warnings = quietly(() => (held = define('theme-toggle', ThemeToggle)));
    expect(held).to.equal(null);
    expect(customElements.get('theme-toggle')).to.equal(HostToggle);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain('<theme-toggle> is already defined by the page, not by Leadwire');
    expect(warnings[0]).to.contain('data-prefix="lw"');

    expect(define('theme-toggle', ThemeToggle, { prefix: 'lw' })).to.equal('lw-theme-toggle');
    const el = document.createElement('lw-theme-toggle') as InstanceType<typeof ThemeToggle>;
    expect(el).to.be.instanceOf(ThemeToggle);
    el.setAttribute('group', `prefix-${Date.now()}`);
    document.body.append(el);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('input[type="radio"]').length).to.be.greaterThan(0);
    el.remove();
  });

  it('shares a group across prefixed tags', async () => {
    const { ThemeToggle } = await import('../theme-toggle/theme-toggle.ts');
    const { ActivityFeed } = await import('../activity-feed/activity-feed.ts');
    define('theme-toggle', ThemeToggle, { prefix: 'acme' });
    define('activity-feed', ActivityFeed, { prefix: 'acme' });
    const group = `shared-${Date.now()}`;
    const toggle = Object.assign(document.createElement('acme-theme-toggle'), { group }) as InstanceType<typeof ThemeToggle>;
    const feed = Object.assign(document.createElement('acme-activity-feed'), { group }) as InstanceType<typeof ActivityFeed>;
    document.body.append(toggle, feed);
    await Promise.all([toggle.updateComplete, feed.updateComplete]);
    toggle.value = 'dark';
    await feed.updateComplete;
    expect(feed.dataset.theme).to.equal('dark');
    toggle.remove();
    feed.remove();
  });

  it('registers a class already registered under another name as a subclass', () => {
    class Probe extends HTMLElement {}
    define('lw-probe-3', Probe);
    expect(define('lw-probe-3', Probe, { prefix: 'x' })).to.equal('x-lw-probe-3');
    const other = customElements.get('x-lw-probe-3')!;
    expect(other).not.to.equal(Probe);
    expect(other.prototype).to.be.instanceOf(Probe);
    expect(define('lw-probe-3', Probe, { prefix: 'x' })).to.equal('x-lw-probe-3'); // again: no throw, no warning
  });

  it('refuses a prefix no tag can start with, with a clear error', () => {
    class Probe extends HTMLElement {}
    for (const prefix of ['LW', '1x', 'a b', '-lw']) {
      expect(() => define('lw-probe-4', Probe, { prefix })).to.throw(SyntaxError, `"${prefix}" is not a tag prefix`);
    }
    expect(customElements.get('lw-probe-4')).to.equal(undefined);
  });
});
