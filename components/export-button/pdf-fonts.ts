/**
 * The fonts of PDF reports: Noto Sans (Latin, Cyrillic, Greek, Vietnamese), Noto Naskh Arabic,
 * Noto Sans Hebrew and Noto Sans SC (CJK), all under the SIL Open Font License. jsPDF's own
 * fonts cover Latin-1 only. Each font is fetched when a report needs it — the CJK one, the
 * largest by far, only when a report holds CJK text — and jsPDF embeds just the glyphs used.
 */
import type { jsPDF as JsPdf } from 'jspdf';

export type Face = 'base' | 'arabic' | 'hebrew' | 'cjk';

// One static `new URL(…, import.meta.url)` per font, the form bundlers (and the Leadwire build)
// recognise as an asset beside the module.
const FONT_URLS: Record<Face, () => URL> = {
  base: () => new URL('./fonts/NotoSans-Regular.ttf', import.meta.url),
  arabic: () => new URL('./fonts/NotoNaskhArabic-Regular.ttf', import.meta.url),
  hebrew: () => new URL('./fonts/NotoSansHebrew-Regular.ttf', import.meta.url),
  cjk: () => new URL('./fonts/NotoSansSC-Regular.ttf', import.meta.url),
};

/** The jsPDF font name of each face. */
export const FONT_NAMES: Readonly<Record<Face, string>> = { base: 'LwSans', arabic: 'LwArabic', hebrew: 'LwHebrew', cjk: 'LwCjk' };

/** The face that draws a code point (marks are given their base's face by the caller). */
export function faceOf(code: number): Face {
  if (code < 0x0590) return 'base';
  if (code <= 0x05ff || (code >= 0xfb1d && code <= 0xfb4f)) return 'hebrew';
  if (code <= 0x08ff || (code >= 0xfb50 && code <= 0xfdff) || (code >= 0xfe70 && code <= 0xfeff)) return 'arabic';
  if (
    (code >= 0x2e80 && code <= 0x9fff) || // CJK radicals, punctuation, kana, Han
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xffef) || // full-width forms
    code >= 0x20000
  ) {
    return 'cjk';
  }
  return 'base';
}

/** The faces the given texts need: always the base, plus each script present. */
export function facesFor(texts: Iterable<string>): Set<Face> {
  const faces = new Set<Face>(['base']);
  for (const text of texts) {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code < 0x0590) continue;
      faces.add(faceOf(text.codePointAt(i)!));
    }
    if (faces.size === 4) break;
  }
  return faces;
}

/** The bytes as a binary string, which jsPDF's virtual file system takes. */
function binary(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 0x8000) out += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return out;
}

const cache = new Map<Face, Promise<string>>();

function fetchFont(face: Face): Promise<string> {
  let font = cache.get(face);
  if (!font) {
    const url = FONT_URLS[face]();
    font = fetch(url).then(async (response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return binary(new Uint8Array(await response.arrayBuffer()));
    });
    font = font.catch((error: Error) => {
      cache.delete(face);
      throw new Error(`the PDF font ${url.pathname.split('/').pop()} could not load from ${url.href}: ${error.message}`);
    });
    cache.set(face, font);
  }
  return font;
}

/** Registers the faces in the document (fetching each once per page or worker). */
export async function addFonts(doc: JsPdf, faces: Iterable<Face>): Promise<void> {
  const wanted = [...faces];
  const files = await Promise.all(wanted.map(fetchFont));
  wanted.forEach((face, i) => {
    const file = `${FONT_NAMES[face]}.ttf`;
    doc.addFileToVFS(file, files[i]);
    doc.addFont(file, FONT_NAMES[face], 'normal', undefined, 'Identity-H');
  });
}
