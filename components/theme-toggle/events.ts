/** The public events of <theme-toggle> and their details. */
import type { Theme, ThemeChoice } from '../core/tokens.ts';

export interface ThemeChangeDetail {
  /** What the user picked. */
  choice: ThemeChoice;
  /** The theme now in effect (`auto` resolved). */
  theme: Theme;
}

declare global {
  interface HTMLElementEventMap {
    'lw-theme-change': CustomEvent<ThemeChangeDetail>;
  }
}
