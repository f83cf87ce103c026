import { css } from 'lit';

/** The button at rest; the menu and progress styles come with the menu (menu.ts). */
export const exportButtonStyles = css`
  :host {
    display: inline-block;
    position: relative;
  }
  [part~='base'] {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space-2);
  }
  button {
    min-height: 32px;
    padding: var(--_space-1) var(--_space-3);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    cursor: pointer;
  }
  [part~='trigger'] {
    transition: background-color var(--_motion);
    display: inline-flex;
    align-items: center;
    gap: var(--_space-1);
    background: var(--lw-export-background, var(--_accent));
    border-color: var(--lw-export-background, var(--_accent));
    color: var(--lw-export-color, var(--_on-accent));
    font-weight: 600;
  }
  [part~='trigger']:disabled {
    cursor: not-allowed;
    background: var(--_surface-raised);
    border-color: var(--_border);
    color: var(--_text-muted);
  }
  [part~='caret'] {
    font-size: 10px;
  }
  [part~='reason'],
  [part~='status'] {
    font-size: var(--_font-size-small);
    color: var(--_text-muted);
  }
  [part~='status'][data-kind='error'] {
    color: var(--_danger);
  }
  /* Forced colours: the trigger paints its own system-colour pair (no backplate, no kept author
     colour that can land on the same colour as the backplate). */
  @media (forced-colors: active) {
    [part~='trigger'] {
      forced-color-adjust: none;
      background: ButtonFace;
      color: ButtonText;
      border: 2px solid ButtonText;
    }
    [part~='trigger']:disabled {
      color: GrayText;
      border-color: GrayText;
    }
  }
`;
