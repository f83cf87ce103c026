// The fonts PDF reports embed (SIL Open Font License 1.1), by the file name the export code asks
// for (`new URL('./fonts/<name>', import.meta.url)` in components/export-button/pdf-fonts.ts) and
// the npm package file that provides it. The build copies them beside its output; the test server
// serves them from node_modules.
import { existsSync, readFileSync } from 'node:fs';

export const PDF_FONTS = {
  'NotoSans-Regular.ttf': '@embedpdf/fonts-latin/fonts/NotoSans-Regular.ttf',
  'NotoNaskhArabic-Regular.ttf': '@embedpdf/fonts-arabic/fonts/NotoNaskhArabic-Regular.ttf',
  'NotoSansHebrew-Regular.ttf': '@embedpdf/fonts-hebrew/fonts/NotoSansHebrew-Regular.ttf',
  'NotoSansSC-Regular.ttf': '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
};

/** The font file on disk, from the repository root. */
export function pdfFontFile(name) {
  const path = PDF_FONTS[name] && `node_modules/${PDF_FONTS[name]}`;
  if (!path || !existsSync(path)) throw new Error(`PDF font ${name} not found (${path ?? 'unknown name'}); run npm install`);
  return path;
}

const FONT_URL = /new URL\((['"])\.\/fonts\/([\w.-]+\.ttf)\1, import\.meta\.url\)/g;

/**
 * Rollup: each `new URL('./fonts/X.ttf', import.meta.url)` becomes a URL of the font emitted as an
 * asset of the build (`rewrite`, for the embed build whose chunks live elsewhere), or stays as it
 * is with the font copied to components/export-button/fonts/ of the output (`copy`, for the ESM
 * package, whose modules and PDF worker sit in that folder), or stays with nothing emitted (`keep`).
 */
export function pdfFontAssets(mode = 'rewrite') {
  return {
    name: 'leadwire-pdf-fonts',
    transform(code) {
      if (mode === 'keep' || !code.includes('./fonts/')) return null;
      let changed = false;
      const out = code.replace(FONT_URL, (whole, _q, name) => {
        const source = readFileSync(pdfFontFile(name));
        if (mode === 'copy') {
          this.emitFile({ type: 'asset', fileName: `components/export-button/fonts/${name}`, source });
          return whole;
        }
        changed = true;
        const ref = this.emitFile({ type: 'asset', name, source });
        return `new URL(import.meta.ROLLUP_FILE_URL_${ref})`;
      });
      return changed ? { code: out, map: null } : null;
    },
  };
}
