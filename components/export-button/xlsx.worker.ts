/** The XLSX export worker: SheetJS and nothing of jsPDF (see worker-loop.ts). */
import { buildXlsx } from './heavy-formats.ts';
import { serveBuilds } from './worker-loop.ts';

serveBuilds(buildXlsx);
