/**
 * Starts the export worker of a format wherever the widgets were loaded from, or says once, on
 * the console, why it could not and what fixes it. The worker scripts resolve nothing (the ESM
 * package ships each one whole, the embed's are chunks beside it), so:
 *  - on the page's own origin (node_modules, an app's bundle, dist/ beside the page), the
 *    standard module worker from a URL relative to `import.meta.url` (sameOrigin below), the
 *    form bundlers (Vite, webpack 5) recognise and bundle;
 *  - from another origin (leadwire.js or the package on a CDN) browsers refuse that with a
 *    SecurityError; then a same-origin blob: module loads the script with import(), which a
 *    Content-Security-Policy checks against script-src, where the CDN is already allowed (a
 *    static import would be checked against worker-src, and fail).
 */
import type { HeavyFormat } from './heavy-formats.ts';
import type { FromWorker } from './worker-loop.ts';

/**
 * The worker script's URL (the blob: module's import, and the warning). Bundlers copy the file
 * this names as an asset beside the worker they build: an app served from a CDN origin starts
 * that copy through the blob: module, which works because the script is self-contained.
 */
const scriptUrl = (format: HeavyFormat): URL =>
  format === 'xlsx' ? new URL('./xlsx.worker.ts', import.meta.url) : new URL('./pdf.worker.ts', import.meta.url);

/** The worker from its own URL; throws a SecurityError when that URL is on another origin. */
const sameOrigin = (format: HeavyFormat): Worker =>
  format === 'xlsx'
    ? new Worker(new URL('./xlsx.worker.ts', import.meta.url), { type: 'module' })
    : new Worker(new URL('./pdf.worker.ts', import.meta.url), { type: 'module' });

type Failure =
  | { cause: 'csp'; crossOrigin: boolean }
  | { cause: 'import'; url: string; message: string }
  | { cause: 'load'; url: string; message: string }
  | { cause: 'unsupported'; message: string };

function explain(failure: Failure): string {
  switch (failure.cause) {
    case 'csp':
      return failure.crossOrigin
        ? "the page's Content-Security-Policy refuses blob: workers. The widgets' scripts come from another origin, so their worker starts from a blob: URL: add blob: to worker-src"
        : "the page's Content-Security-Policy refuses the worker. Allow the widgets' origin ('self' when they are served by the page's site) in worker-src";
    case 'import':
      return `${failure.url} could not be loaded into it (${failure.message}). The server of the widgets' files must answer with Access-Control-Allow-Origin, and a Content-Security-Policy must allow their origin in script-src`;
    case 'load':
      return `${failure.url} did not load${failure.message ? ` (${failure.message})` : ''}. Serve the package's files as shipped: each worker script sits beside the module that starts it`;
    case 'unsupported':
      return `this browser could not create it (${failure.message})`;
  }
}

let warned = false;

/** Says once per page why exports are built on the page. */
function warn(format: HeavyFormat, failure: Failure): void {
  if (warned) return;
  warned = true;
  console.warn(
    `[leadwire] XLSX and PDF exports are built on the page (slower, and a very large one can pause it): the ${format.toUpperCase()} export worker could not start: ${explain(failure)}.`,
  );
}

/** A module worker whose only code is `import(url)`, on the page's origin; reports a failed import. */
function viaBlob(url: URL): { worker: Worker; dispose(): void } {
  const code = `import(${JSON.stringify(url.href)}).catch((e) => postMessage({ type: 'import-failed', message: String(e && e.message || e) }));\n`;
  const source = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
  try {
    return { worker: new Worker(source, { type: 'module' }), dispose: () => URL.revokeObjectURL(source) };
  } catch (error) {
    URL.revokeObjectURL(source);
    throw error;
  }
}

/**
 * A started export worker for `format` (it said `ready`), or undefined when none can start here;
 * then the console has said why, once per page.
 */
export function startWorker(format: HeavyFormat): Promise<Worker | undefined> {
  let crossOrigin = false;
  let started: { worker: Worker; dispose(): void };
  try {
    try {
      started = { worker: sameOrigin(format), dispose() {} };
    } catch (error) {
      if ((error as DOMException)?.name !== 'SecurityError') throw error;
      crossOrigin = true;
      started = viaBlob(scriptUrl(format));
    }
  } catch (error) {
    warn(format, { cause: 'unsupported', message: (error as Error)?.message ?? String(error) });
    return Promise.resolve(undefined);
  }
  const { worker, dispose } = started;
  // A refusal by the page's CSP shows only as a violation report: the worker's error event says nothing.
  let refused = false;
  const onViolation = (event: SecurityPolicyViolationEvent) => {
    if (/^(worker|child|script|default)-src/.test(event.effectiveDirective)) refused = true;
  };
  document.addEventListener('securitypolicyviolation', onViolation);
  return new Promise<Worker | undefined>((resolve) => {
    const settle = (result: Worker | undefined, failure?: () => Failure) => {
      dispose(); // the blob: script has been read by now
      const done = () => document.removeEventListener('securitypolicyviolation', onViolation);
      if (result) done();
      else {
        worker.terminate();
        // The violation report may be queued behind the error event: it gets that turn.
        setTimeout(() => {
          done();
          warn(format, refused ? { cause: 'csp', crossOrigin } : failure!());
        });
      }
      resolve(result);
    };
    worker.onmessage = (event: MessageEvent<FromWorker | { type: 'import-failed'; message: string }>) => {
      const message = event.data;
      if (message.type === 'ready') settle(worker);
      else if (message.type === 'import-failed') settle(undefined, () => ({ cause: 'import', url: scriptUrl(format).href, message: message.message }));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      settle(undefined, () => ({ cause: 'load', url: scriptUrl(format).href, message: event.message ?? '' }));
    };
  });
}
