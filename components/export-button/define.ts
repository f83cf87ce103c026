import { define } from '../core/define.ts';
import { ExportButton } from './export-button.ts';

define('export-button', ExportButton);
export { ExportButton };
export type { ExportCompleteDetail, ExportErrorDetail, ExportKind, ExportProgressEventDetail, ExportStartDetail } from './events.ts';
export type { ExportSource } from './host.ts';
export type { StreamEvent } from '../../protocol/index.ts';
