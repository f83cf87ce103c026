import { css } from 'lit';

/** The widget's own styles; the saved-filters manager brings its own (preset-manager.ts). */
export const filtersStyles = css`
  :host {
    min-width: 0;
  }
  fieldset {
    min-width: 0;
    margin: 0;
  }
  .base {
    padding: var(--_space-3);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  .bar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space-2);
  }
  .summary {
    flex: 1 1 12em;
    min-width: 0;
    margin: 0;
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .panel {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(200px, 1fr));
    gap: var(--_space-3);
    margin-top: var(--_space-3);
  }
  .panel[hidden] {
    display: none;
  }
  .group {
    padding: var(--_space-2) var(--_space-3) var(--_space-3);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface-raised);
  }
  .group.types,
  .group.presets {
    grid-column: 1 / -1;
  }
  legend {
    padding: 0 var(--_space-1);
    font-weight: 600;
  }
  .options {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space-1) var(--_space-2);
  }
  .option {
    display: inline-flex;
    align-items: center;
    gap: var(--_space-1);
    min-height: 28px;
    padding: 0 var(--_space-2) 0 var(--_space-1);
    border: 1px solid transparent;
    border-radius: 999px;
    cursor: pointer;
  }
  .option[part~='option-checked'] {
    border-color: var(--_accent);
  }
  input[type='checkbox'],
  input[type='radio'] {
    width: 16px;
    height: 16px;
    margin: 0;
    accent-color: var(--_accent);
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space-2);
    margin-top: var(--_space-2);
  }
  .field {
    display: flex;
    flex: 1 1 8em;
    flex-direction: column;
    gap: 2px;
    min-width: 0;
    font-size: var(--_font-size-small);
  }
  input:not([type='checkbox'], [type='radio']) {
    min-width: 0;
    min-height: 32px;
    padding: 0 var(--_space-2);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) - 2px);
    background: var(--_surface);
    color: var(--_text);
    font: inherit;
  }
  input[type='search'] {
    width: 100%;
  }
  .hint {
    display: block;
    margin: var(--_space-1) 0 0;
    color: var(--_text-muted);
    font-size: var(--_font-size-small);
  }
  button {
    min-height: 32px;
    padding: 0 var(--_space-3);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) - 2px);
    background: var(--_surface);
    cursor: pointer;
  }
  button:disabled {
    cursor: default;
    opacity: 0.6;
  }
  .disclosure {
    padding: 0 var(--_space-1);
    border-color: transparent;
    background: transparent;
    font-weight: 600;
  }
  #presets-manager[hidden] {
    display: none;
  }
  .icon-button {
    min-width: 32px;
    padding: 0;
  }
  .families {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(180px, 1fr));
    gap: var(--_space-2);
  }
  .family-head {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: var(--_space-1);
  }
  .count {
    color: var(--_text-muted);
    font-size: var(--_font-size-small);
  }
  .type-list {
    display: flex;
    flex-direction: column;
    padding-inline-start: var(--_space-4);
  }
  .type-list[hidden] {
    display: none;
  }
  :host([compact]) .base {
    padding: var(--_space-2);
  }
  :host([compact]) .summary {
    flex-basis: 100%;
  }
  :host([compact]) .panel {
    grid-template-columns: 1fr;
    gap: var(--_space-2);
  }
  :host([compact]) .families {
    grid-template-columns: 1fr;
  }
  @media (forced-colors: active) {
    .option[part~='option-checked'] {
      border: 2px solid Highlight;
    }
    button:disabled {
      opacity: 1;
      color: GrayText;
    }
  }
`;
