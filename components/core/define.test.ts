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
