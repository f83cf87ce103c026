import type { ComponentProps } from 'react';
import { ExportButton as ExportButtonElement } from '../export-button/define.ts';
import { wrap, type TagProps, type Wrapper } from './wrap.ts';

const events = {
  onExportStart: 'lw-export-start',
  onExportProgress: 'lw-export-progress',
  onExportComplete: 'lw-export-complete',
  onExportError: 'lw-export-error',
} as const;

/** `<export-button>` for React (registers the tag). */
export const ExportButton: Wrapper<ExportButtonElement, typeof events> = wrap('export-button', ExportButtonElement, events, 'ExportButton');
export type ExportButtonProps = ComponentProps<typeof ExportButton>;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'export-button': TagProps<ExportButtonElement, typeof events>;
    }
  }
}
