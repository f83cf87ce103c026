/**
 * The worker side of an XLSX or PDF export (xlsx.worker.ts, pdf.worker.ts): builds the file off
 * the page's main thread. Protocol (one job per worker):
 *   page → worker: { type: 'begin', job } · { type: 'rows', rows } … · { type: 'end' }
 *   worker → page: { type: 'ready' } · { type: 'progress', fraction } · { type: 'done', bytes }
 *                  · { type: 'error', message }
 * Cancelling is terminating the worker.
 */
import type { BuildJob, BuildProgress } from './heavy-formats.ts';
import type { Cell } from './columns.ts';

export type ToWorker = { type: 'begin'; job: BuildJob } | { type: 'rows'; rows: Cell[][] } | { type: 'end' };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'progress'; fraction: number }
  | { type: 'done'; bytes: ArrayBuffer }
  | { type: 'error'; message: string };

export type Builder = (job: BuildJob, rows: Cell[][], onProgress: BuildProgress) => Promise<ArrayBuffer>;

// The DOM lib has no worker-scope types; this is the slice used here.
const scope = self as unknown as {
  postMessage(message: FromWorker, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};
const post = (message: FromWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

/** Answers the page's messages with `build`, then says it is ready. */
export function serveBuilds(build: Builder): void {
  let job: BuildJob | undefined;
  let rows: Cell[][] = [];
  scope.onmessage = async (event: MessageEvent<ToWorker>) => {
    const message = event.data;
    if (message.type === 'begin') {
      job = message.job;
      rows = [];
    } else if (message.type === 'rows') {
      for (const row of message.rows) rows.push(row);
    } else if (message.type === 'end' && job) {
      try {
        const bytes = await build(job, rows, (fraction) => post({ type: 'progress', fraction }));
        post({ type: 'done', bytes }, [bytes]);
      } catch (error) {
        post({ type: 'error', message: (error as Error).message ?? String(error) });
      }
    }
  };
  post({ type: 'ready' });
}
