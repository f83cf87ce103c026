/**
 * Text in PDF reports as a reader expects it: several scripts in one line (each drawn in its
 * face), Arabic letters joined (jsPDF's presentation-form shaping), right-to-left runs in visual
 * order, and cells wrapped to their column instead of cut. jsPDF's own bidi step is switched off:
 * it leaves Hebrew in logical order (drawn backwards); the reordering here is a reduced Unicode
 * bidi algorithm (strong types, numbers, neutrals between runs, mirrored brackets) — no explicit
 * embeddings or isolates, which names and messages in a CRM do not carry.
 */
import type { jsPDF as JsPdf } from 'jspdf';
import { FONT_NAMES, faceOf, type Face } from './pdf-fonts.ts';

/** Options that stop jsPDF reordering text that is already in visual order. */
const AS_IS = { isInputVisual: true, isOutputVisual: true } as const;

const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/;
const ARABIC = /[\u0600-\u06ff\u0750-\u077f]/;
const MIRROR: Readonly<Record<string, string>> = { '(': ')', ')': '(', '[': ']', ']': '[', '{': '}', '}': '{', '<': '>', '>': '<', '«': '»', '»': '«' };

type Kind = 'L' | 'R' | 'D' | 'N' | 'M';

function kindOf(ch: string): Kind {
  if (RTL.test(ch)) return 'R';
  if (ch >= '0' && ch <= '9') return 'D';
  if (/\p{M}/u.test(ch)) return 'M';
  if (/[\p{L}\p{N}]/u.test(ch)) return 'L';
  return 'N';
}

/** Logical → visual order for one line (the line's direction is that of its first strong letter). */
export function visualOrder(text: string): string {
  if (!RTL.test(text)) return text;
  const chars = [...text];
  const kinds = chars.map(kindOf);
  for (let i = 1; i < kinds.length; i++) if (kinds[i] === 'M') kinds[i] = kinds[i - 1];
  const firstStrong = kinds.find((k) => k === 'L' || k === 'R') ?? 'L';
  const base = firstStrong === 'R' ? 1 : 0;
  const levels = new Array<number>(chars.length);
  // Strong letters and digits (digits after a left-to-right letter in a left-to-right line stay there).
  let previous: 'L' | 'R' = firstStrong;
  kinds.forEach((kind, i) => {
    if (kind === 'L') (levels[i] = base === 0 ? 0 : 2), (previous = 'L');
    else if (kind === 'R') (levels[i] = 1), (previous = 'R');
    else if (kind === 'D') levels[i] = previous === 'L' && base === 0 ? 0 : 2;
  });
  // Neutrals: the direction of the letters on both sides when they agree (digits count as
  // right-to-left there), else the line's.
  const direction = (i: number) => (kinds[i] === 'L' ? 'L' : kinds[i] === 'R' || kinds[i] === 'D' ? (kinds[i] === 'D' && levels[i] === 0 ? 'L' : 'R') : undefined);
  for (let i = 0; i < chars.length; i++) {
    if (levels[i] !== undefined) continue;
    let end = i;
    while (end < chars.length && levels[end] === undefined) end++;
    const before = i > 0 ? direction(i - 1) : base ? 'R' : 'L';
    const after = end < chars.length ? direction(end) : base ? 'R' : 'L';
    const dir = before === after ? before : base ? 'R' : 'L';
    const level = dir === 'R' ? 1 : base ? 2 : 0;
    for (let j = i; j < end; j++) levels[j] = level;
    i = end - 1;
  }
  for (let i = 0; i < chars.length; i++) if (levels[i] % 2 === 1 && MIRROR[chars[i]]) chars[i] = MIRROR[chars[i]];
  // Reverse every run at each level from the highest down to 1.
  for (let level = Math.max(...levels); level >= 1; level--) {
    for (let i = 0; i < chars.length; i++) {
      if (levels[i] < level) continue;
      let end = i;
      while (end < chars.length && levels[end] >= level) end++;
      const run = chars.slice(i, end).reverse();
      const runLevels = levels.slice(i, end).reverse();
      chars.splice(i, end - i, ...run);
      levels.splice(i, end - i, ...runLevels);
      i = end - 1;
    }
  }
  return chars.join('');
}

/** Pieces of a string drawn in one face each, in order. */
export function faceRuns(text: string): Array<{ face: Face; text: string }> {
  const runs: Array<{ face: Face; text: string }> = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    // Spaces, marks and punctuation stay in the run they sit in.
    const face = /[\s\p{M}\p{P}]/u.test(ch) && runs.length ? runs[runs.length - 1].face : faceOf(code);
    const last = runs[runs.length - 1];
    if (last && last.face === face) last.text += ch;
    else runs.push({ face, text: ch });
  }
  return runs;
}

/** Writes text in a report's fonts: measured, wrapped and drawn by script. */
export class ReportText {
  private readonly widths = new Map<string, number>();

  constructor(
    private readonly doc: JsPdf,
    private size: number,
  ) {}

  setSize(size: number): this {
    if (size !== this.size) this.widths.clear();
    this.size = size;
    this.doc.setFontSize(size);
    return this;
  }

  /** The text as drawn: NFC (one glyph per accented letter) with Arabic letters joined. */
  private shaped(text: string): string {
    const nfc = text.normalize('NFC');
    return ARABIC.test(nfc) ? this.doc.processArabic(nfc) : nfc;
  }

  /** Width in points at the current size. */
  width(text: string): number {
    let width = this.widths.get(text);
    if (width === undefined) {
      width = 0;
      for (const run of faceRuns(this.shaped(text))) {
        this.doc.setFont(FONT_NAMES[run.face], 'normal');
        width += this.doc.getTextWidth(run.text);
      }
      if (this.widths.size > 20_000) this.widths.clear();
      this.widths.set(text, width);
    }
    return width;
  }

  /** One line at (x, y); `align: 'right'` puts its end at x. */
  draw(text: string, x: number, y: number, align: 'left' | 'right' = 'left'): void {
    const visual = visualOrder(this.shaped(text));
    let at = align === 'right' ? x - this.width(text) : x;
    for (const run of faceRuns(visual)) {
      this.doc.setFont(FONT_NAMES[run.face], 'normal');
      this.doc.text(run.text, at, y, AS_IS);
      at += this.doc.getTextWidth(run.text);
    }
  }

  /**
   * Lines of at most `width` points: breaks at spaces, between CJK characters, and inside a
   * word only when the word alone is wider than the line. At most `maxLines`; the last line of a
   * longer text ends in "…".
   */
  wrap(text: string, width: number, maxLines = Infinity): string[] {
    const lines: string[] = [];
    for (const paragraph of text.split(/\r\n|[\r\n\u2028\u2029]/)) {
      // Words with their trailing spaces, and each CJK character on its own.
      const tokens = paragraph.match(/[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]\s*|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+\s*|\s+/g) ?? [''];
      let line = '';
      for (const token of tokens) {
        if (this.width(line + token.trimEnd()) <= width) {
          line += token;
          continue;
        }
        if (line.trim()) lines.push(line.trimEnd());
        line = '';
        let rest = token;
        // A word wider than the column on its own: split by characters.
        while (this.width(rest.trimEnd()) > width) {
          const chars = [...rest];
          let n = 1;
          while (n < chars.length && this.width(chars.slice(0, n + 1).join('')) <= width) n++;
          // Rather after an address's or a name's own separators: "lead@", "example.", "Smith-".
          const soft = chars.slice(0, n).findLastIndex((ch, i) => i >= n / 2 && '@./-_'.includes(ch));
          if (soft > 0 && n < chars.length) n = soft + 1;
          lines.push(chars.slice(0, n).join(''));
          rest = chars.slice(n).join('');
          if (lines.length > maxLines) break;
        }
        line = rest;
        if (lines.length > maxLines) break;
      }
      lines.push(line.trimEnd());
      if (lines.length > maxLines) break;
    }
    if (lines.length <= maxLines) return lines;
    const kept = lines.slice(0, maxLines);
    let last = kept[maxLines - 1];
    while (last && this.width(`${last}…`) > width) last = [...last].slice(0, -1).join('');
    kept[maxLines - 1] = `${last}…`;
    return kept;
  }
}
