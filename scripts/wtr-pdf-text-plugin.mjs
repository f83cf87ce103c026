// Test-server side of PDF checks: `executeServerCommand('pdf-to-text', { base64, raw })` runs
// poppler's pdftotext (Debian poppler-utils, installed by scripts/setup-system.sh) on the bytes a
// test made in the browser and returns the text a reader would copy out of the file. `raw` keeps
// the order the text was drawn in; without it, pdftotext's reading order. The fonts PDF reports
// embed are served from node_modules where the export code asks for them (see pdf-fonts.mjs).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PDF_FONTS, pdfFontFile } from './pdf-fonts.mjs';

const run = promisify(execFile);

export function pdfTextPlugin() {
  return {
    name: 'pdf-to-text',
    async executeCommand({ command, payload }) {
      if (command !== 'pdf-to-text') return undefined;
      const dir = await mkdtemp(join(tmpdir(), 'leadwire-pdf-'));
      try {
        const file = join(dir, 'report.pdf');
        await writeFile(file, Buffer.from(payload.base64, 'base64'));
        const { stdout } = await run('pdftotext', [...(payload.raw ? ['-raw'] : []), '-enc', 'UTF-8', file, '-'], { maxBuffer: 64 * 1024 * 1024 });
        return stdout;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Serves /…/export-button/fonts/<font> (the source tree's font URLs) from the font packages. */
export async function pdfFontsMiddleware(context, next) {
  const match = /\/export-button\/fonts\/([\w.-]+\.ttf)$/.exec(context.path);
  if (!match || !PDF_FONTS[match[1]]) return next();
  context.type = 'font/ttf';
  context.body = await readFile(pdfFontFile(match[1]));
}
