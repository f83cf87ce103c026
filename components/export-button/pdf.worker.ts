/** The PDF export worker: jsPDF and nothing of SheetJS (see worker-loop.ts). */
import { buildPdf } from './pdf-report.ts';
import { serveBuilds } from './worker-loop.ts';

serveBuilds(buildPdf);
