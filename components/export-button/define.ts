import { define } from '../core/define.ts';
import { ExportButton } from './export-button.ts';

define('export-button', ExportButton);
export { ExportButton };
