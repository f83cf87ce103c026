/**
 * Design tokens. Every colour lives here once, per theme, as data (so a unit test can check the
 * WCAG contrast of every pair) and is turned into CSS custom properties scoped to the widget.
 *
 * Public knobs are `--lw-*` properties that cross the shadow boundary: a page sets
 * `activity-feed { --lw-color-accent: … }` (or on any ancestor, or per theme through the reflected
 * `data-theme` attribute). Inside, components read the private `--_*` twins, which fall back to
 * the theme's value. Sizes are px, never rem: a host page with `html { font-size: 62.5% }` must
 * not shrink the widgets.
 */
import { css, unsafeCSS, type CSSResult } from 'lit';

export const THEMES = ['light', 'dark', 'high-contrast'] as const;
export type Theme = (typeof THEMES)[number];
/** What a user picks; `auto` follows prefers-color-scheme (and prefers-contrast: more). */
export type ThemeChoice = Theme | 'auto';
export const THEME_CHOICES: readonly ThemeChoice[] = ['auto', 'light', 'dark', 'high-contrast'];

export const COLOR_TOKENS = [
  'surface',
  'surface-raised',
  'text',
  'text-muted',
  'border',
  'accent',
  'on-accent',
  'success',
  'warning',
  'danger',
  'focus',
] as const;
export type ColorToken = (typeof COLOR_TOKENS)[number];

export const PALETTES: Readonly<Record<Theme, Readonly<Record<ColorToken, string>>>> = {
  light: {
    surface: '#ffffff',
    'surface-raised': '#f4f6f8',
    text: '#1b1f24',
    'text-muted': '#555f6b',
    border: '#7a838e',
    accent: '#0a5bd3',
    'on-accent': '#ffffff',
    success: '#17733a',
    warning: '#8a5a00',
    danger: '#c0252d',
    focus: '#0a5bd3',
  },
  dark: {
    surface: '#0f1318',
    'surface-raised': '#182029',
    text: '#e8edf2',
    'text-muted': '#a3aebb',
    border: '#76818d',
    accent: '#5aa2ff',
    'on-accent': '#0f1318',
    success: '#4cc46a',
    warning: '#e0a82e',
    danger: '#ff7b72',
    focus: '#8cc0ff',
  },
  'high-contrast': {
    surface: '#000000',
    'surface-raised': '#000000',
    text: '#ffffff',
    'text-muted': '#ffffff',
    border: '#ffffff',
    accent: '#ffe14d',
    'on-accent': '#000000',
    success: '#7dff8a',
    warning: '#ffe14d',
    danger: '#ff9c9c',
    focus: '#ffe14d',
  },
};

/** Pairs that must stay readable: [foreground, background, minimum ratio]. Text 4.5, UI 3. */
export const CONTRAST_PAIRS: ReadonlyArray<readonly [ColorToken, ColorToken, number]> = [
  ...(['text', 'text-muted', 'accent', 'success', 'warning', 'danger'] as const).flatMap((fg) =>
    (['surface', 'surface-raised'] as const).map((bg) => [fg, bg, 4.5] as const),
  ),
  ['on-accent', 'accent', 4.5],
  ['border', 'surface', 3],
  ['border', 'surface-raised', 3],
  ['focus', 'surface', 3],
  ['focus', 'surface-raised', 3],
];

const declarations = (palette: Readonly<Record<ColorToken, string>>) =>
  COLOR_TOKENS.map((token) => `--_${token}: var(--lw-color-${token}, ${palette[token]});`).join('\n');

const forcedColors: Record<ColorToken, string> = {
  surface: 'Canvas',
  'surface-raised': 'Canvas',
  text: 'CanvasText',
  'text-muted': 'CanvasText',
  border: 'CanvasText',
  accent: 'LinkText',
  'on-accent': 'HighlightText',
  success: 'CanvasText',
  warning: 'CanvasText',
  danger: 'CanvasText',
  focus: 'Highlight',
};
// Built outside the css`` literal below: a nested template inside its `${}` would keep the build's
// CSS minifier from touching the literal at all.
const forcedDeclarations = COLOR_TOKENS.map((token) => `--_${token}: ${forcedColors[token]};`).join('\n');

/** Custom properties for every theme; the host's `data-theme` attribute picks one. */
export const tokenStyles: CSSResult = css`
  :host {
    ${unsafeCSS(declarations(PALETTES.light))}
    color-scheme: light;
    --_font-family: var(--lw-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_font-mono: var(--lw-font-mono, ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace);
    --_font-size: var(--lw-font-size, 14px);
    --_font-size-small: var(--lw-font-size-small, 12px);
    --_line-height: var(--lw-line-height, 20px);
    --_space-1: var(--lw-space-1, 4px);
    --_space-2: var(--lw-space-2, 8px);
    --_space-3: var(--lw-space-3, 12px);
    --_space-4: var(--lw-space-4, 16px);
    --_radius: var(--lw-radius, 6px);
    --_focus-ring: 2px solid var(--_focus);
    --_motion: var(--lw-motion-duration, 150ms);
  }
  :host([data-theme='dark']) {
    ${unsafeCSS(declarations(PALETTES.dark))}
    color-scheme: dark;
  }
  :host([data-theme='high-contrast']) {
    ${unsafeCSS(declarations(PALETTES['high-contrast']))}
    color-scheme: dark;
  }
  @media (forced-colors: active) {
    :host {
      ${unsafeCSS(forcedDeclarations)}
    }
  }
  @media (prefers-reduced-motion: reduce) {
    :host {
      --_motion: 0ms;
    }
  }
`;

/** What every Leadwire element starts from: tokens, box model, type, focus, reduced motion. */
export const baseStyles: CSSResult = css`
  ${tokenStyles}
  :host {
    display: block;
    /* Important: a host page's '* { box-sizing: content-box !important }' reaches the host
       element itself, and every box inside inherits from it; an !important of the shadow tree's
       own wins over the page's (Export button 32 px, not 42). */
    box-sizing: border-box !important;
    font-family: var(--_font-family);
    font-size: var(--_font-size);
    line-height: var(--_line-height);
    color: var(--_text);
    -webkit-text-size-adjust: 100%;
  }
  /* Again one level in: a host page rule on the element itself ('* { all: unset }', a 62.5% root)
     beats :host, but cannot reach into the shadow root. */
  :host > * {
    font-family: var(--_font-family);
    font-size: var(--_font-size);
    line-height: var(--_line-height);
    color: var(--_text);
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  /* A <details> element's children inherit through its own built-in shadow tree, which keeps
     content-box: they take border-box again, and what is inside them inherits it. */
  details > * {
    box-sizing: border-box;
  }
  :focus-visible {
    outline: var(--_focus-ring);
    outline-offset: 2px;
  }
  button {
    font: inherit;
    color: inherit;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation-duration: 0ms !important;
      transition-duration: 0ms !important;
    }
  }
`;

// ---- WCAG contrast (used by tests and by anyone checking a custom palette) ----------------

function channel(value: number): number {
  const c = value / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** Relative luminance of a #rrggbb colour. */
export function luminance(hex: string): number {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new TypeError(`not a #rrggbb colour: ${hex}`);
  const [r, g, b] = match.slice(1).map((h) => channel(parseInt(h, 16)));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
