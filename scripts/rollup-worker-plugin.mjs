/**
 * Rollup plugin: module Web Workers written the standard way,
 *
 *   new Worker(new URL('./export.worker.ts', import.meta.url), { type: 'module' })
 *
 * get their script emitted as a chunk of its own (sharing chunks with the page code where they
 * overlap), and the URL rewritten to that chunk's final file. Without it Rollup leaves the
 * `.ts` URL as is and the worker 404s. Touched: URLs passed straight to `new Worker(` /
 * `new SharedWorker(`, and `new URL('./x.worker.ts', import.meta.url)` anywhere (a worker script
 * by its name: the URL a cross-origin `blob:` worker imports, see export-button/start-worker.ts);
 * other `new URL(…, import.meta.url)` assets are left alone.
 */
const WORKER_URL = /(new\s+(?:Shared)?Worker\s*\(\s*)new\s+URL\(\s*(['"])(\.{1,2}\/[^'"]+)\2\s*,\s*import\.meta\.url\s*\)/g;
const WORKER_SCRIPT_URL = /()new\s+URL\(\s*(['"])(\.{1,2}\/[^'"]+\.worker\.[jt]s)\2\s*,\s*import\.meta\.url\s*\)/g;

export function workerChunks() {
  return {
    name: 'leadwire-worker-chunks',
    async transform(code, id) {
      if (!code.includes('import.meta.url') || !/Worker\s*\(/.test(code)) return null;
      let out = code;
      for (const pattern of [WORKER_URL, WORKER_SCRIPT_URL]) out = await rewrite(this, out, id, pattern);
      // The rewrite stays on its line, so the incoming source map still holds: `map: null`
      // tells Rollup to keep it rather than drop it.
      return out === code ? null : { code: out, map: null };
    },
  };
}

/** `pattern`'s worker URLs in `code` → the emitted chunk's URL (`opening` kept before it). */
async function rewrite(context, code, id, pattern) {
  const found = [...code.matchAll(pattern)];
  let out = '';
  let last = 0;
  for (const match of found) {
    const [whole, opening, , specifier] = match;
    const resolved = await context.resolve(specifier, id);
    if (!resolved) context.error(`worker script ${specifier} (from ${id}) not found`);
    const ref = context.emitFile({ type: 'chunk', id: resolved.id });
    out += code.slice(last, match.index) + `${opening}new URL(import.meta.ROLLUP_FILE_URL_${ref})`;
    last = match.index + whole.length;
  }
  return out + code.slice(last);
}
