import { expect } from '@open-wc/testing';
import { addStrings, formatMoney, formatRelative, msg, setStrings, typeLabel, type StringKey } from './l10n.ts';

describe('l10n', () => {
  it('fills placeholders and accepts overrides', () => {
    expect(msg('feed.new-events', { count: 3 })).to.equal('3 new events');
    setStrings({ 'feed.new-events': '{count} nuevos eventos' });
    try {
      expect(msg('feed.new-events', { count: 3 })).to.equal('3 nuevos eventos');
    } finally {
      setStrings({ 'feed.new-events': '{count} new events' });
    }
  });

  it('adds the texts of a part loaded later under the page\'s own replacements', () => {
    const early = `test.early-${Date.now()}` as StringKey;
    const plain = `test.plain-${Date.now()}` as StringKey;
    setStrings({ [early]: 'Temprano' }); // set before the part loaded
    addStrings({ [early]: 'Early', [plain]: 'Plain' });
    expect(msg(early)).to.equal('Temprano');
    expect(msg(plain)).to.equal('Plain');
    setStrings({ [plain]: 'Llano' }); // and after
    expect(msg(plain)).to.equal('Llano');
  });

  it('knows the texts of the health full view and alerts, the saved-filter manager, the export menu and files once they load', async () => {
    const { fullViewStrings } = await import('./strings/health-full-view.ts');
    const { checksStrings } = await import('./strings/health-checks.ts');
    const { presetManagerStrings } = await import('./strings/preset-manager.ts');
    const { exportMenuStrings } = await import('./strings/export-menu.ts');
    const { exportFileStrings } = await import('./strings/export-file.ts');
    await Promise.all([
      import('../health-panel/full-view.ts'),
      import('../health-panel/checks.ts'),
      import('../global-filters/preset-manager.ts'),
      import('../export-button/menu.ts'),
      import('../export-button/create-export.ts'),
    ]);
    for (const [key, text] of Object.entries({ ...fullViewStrings, ...checksStrings, ...presetManagerStrings, ...exportMenuStrings, ...exportFileStrings })) {
      expect(msg(key as StringKey), key).to.equal(text);
    }
  });

  it('formats relative time and money with Intl in the page language', () => {
    const lang = document.documentElement.lang;
    document.documentElement.lang = 'en-US';
    try {
      expect(formatRelative(1_000_000 - 5_000, 1_000_000)).to.equal('5 seconds ago');
      expect(formatRelative(1_000_000 - 2 * 3600_000, 1_000_000)).to.equal('2 hours ago');
      expect(formatMoney(450_000, 'USD')).to.equal('$450K');
      expect(formatMoney(450_000, 'QQQ')).to.contain('450');
    } finally {
      document.documentElement.lang = lang;
    }
  });

  it('falls back to the key for an unknown one (built from event fields), warning once', () => {
    const warnings: unknown[][] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      const key = `priority.urgent-${Date.now()}` as StringKey;
      expect(msg(key)).to.equal(key);
      expect(msg(key, { count: 2 })).to.equal(key);
      expect(warnings).to.have.length(1);
      expect(String(warnings[0][0])).to.contain(key);
    } finally {
      console.warn = warn;
    }
  });

  it('labels event types', () => {
    expect(typeLabel('lead.analysis_completed')).to.equal('Analysis completed');
    expect(typeLabel('ghl.api_error')).to.equal('GHL API error');
    expect(typeLabel('cache.hit')).to.equal('Cache hit');
  });
});
