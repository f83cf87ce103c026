import { expect } from '@open-wc/testing';
import { COLOR_TOKENS, CONTRAST_PAIRS, PALETTES, THEMES, contrastRatio, tokenStyles } from './tokens.ts';

describe('design tokens', () => {
  it('computes WCAG ratios correctly for known pairs', () => {
    expect(contrastRatio('#000000', '#ffffff')).to.be.closeTo(21, 0.001);
    expect(contrastRatio('#777777', '#ffffff')).to.be.closeTo(4.48, 0.01);
    expect(contrastRatio('#ffffff', '#ffffff')).to.equal(1);
  });

  for (const theme of THEMES) {
    it(`meets WCAG AA for every text/background and UI pair in ${theme}`, () => {
      const failures = CONTRAST_PAIRS.map(([fg, bg, min]) => {
        const ratio = contrastRatio(PALETTES[theme][fg], PALETTES[theme][bg]);
        return { pair: `${fg} on ${bg}`, ratio: Number(ratio.toFixed(2)), min };
      }).filter(({ ratio, min }) => ratio < min);
      expect(failures, JSON.stringify(failures)).to.deep.equal([]);
    });
  }
});

describe('forced-colors rules', () => {
  it('map every colour token to a CSS system colour', () => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(tokenStyles.cssText);
    const media = [...sheet.cssRules].find(
      (rule): rule is CSSMediaRule => rule instanceof CSSMediaRule && rule.conditionText.includes('forced-colors: active'),
    );
    expect(media, 'no @media (forced-colors: active) block').to.exist;
    const host = media!.cssRules[0] as CSSStyleRule;
    const system = /^(Canvas|CanvasText|LinkText|VisitedText|ActiveText|ButtonFace|ButtonText|ButtonBorder|Field|FieldText|Highlight|HighlightText|SelectedItem|SelectedItemText|Mark|MarkText|GrayText|AccentColor|AccentColorText)$/;
    for (const token of COLOR_TOKENS) {
      const value = host.style.getPropertyValue(`--_${token}`).trim();
      expect(value, token).to.match(system);
    }
  });
});
