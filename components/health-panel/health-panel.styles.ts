import { css } from 'lit';

export const healthPanelStyles = css`
  :host {
    min-width: 0;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    overflow: hidden;
  }
  header {
    display: flex;
    align-items: center;
    gap: var(--_space-2);
    padding: var(--_space-2) var(--_space-3);
    border-bottom: 1px solid var(--_border);
    background: var(--_surface-raised);
  }
  h2,
  h3 {
    margin: 0;
    font-size: var(--_font-size);
    font-weight: 600;
  }
  .problem {
    margin: var(--_space-2) var(--_space-3) 0;
    padding: var(--_space-2) var(--_space-3);
    border: 1px solid var(--_danger);
    border-left-width: 4px;
    border-radius: var(--_radius);
    color: var(--_text);
  }
  .problem[data-kind='forbidden'],
  .problem[data-kind='no-gateway'] {
    border-color: var(--_warning);
  }

  /* ---- tiles ---- */
  .tiles {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, var(--lw-health-tile-min-width, 150px)), 1fr));
    gap: var(--_space-2);
    margin: 0;
    padding: var(--_space-3);
    list-style: none;
  }
  .tile {
    display: flex;
    flex-direction: column;
    gap: 2px;
    min-width: 0;
    padding: var(--_space-2) var(--_space-3);
    border: 1px solid var(--_border);
    border-left: 4px solid var(--_tile-accent, var(--_border));
    border-radius: var(--_radius);
    background: var(--_surface-raised);
    /* Words break only when one alone cannot fit ("Disconnected" stays whole). */
    overflow-wrap: break-word;
  }
  .tile[data-level='ok'] {
    --_tile-accent: var(--_success);
  }
  .tile[data-level='warning'] {
    --_tile-accent: var(--_warning);
  }
  .tile[data-level='critical'] {
    --_tile-accent: var(--_danger);
    border-width: 2px 2px 2px 4px;
    border-color: var(--_danger);
  }
  .tile-label,
  .tile-detail {
    font-size: var(--_font-size-small);
    color: var(--_text-muted);
  }
  .tile-value {
    font-size: var(--lw-health-value-size, 17px);
    line-height: 24px;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  .tile[data-stale] .tile-value {
    font-style: italic;
  }
  .tile[data-stale][data-key='gateway'] .tile-value {
    font-style: normal;
  }
  .tile-level {
    align-self: flex-start;
    padding: 0 var(--_space-1);
    border: 1px solid currentColor;
    border-radius: 999px;
    font-size: var(--_font-size-small);
    font-weight: 600;
  }
  .tile[data-level='warning'] .tile-level {
    color: var(--_warning);
  }
  .tile[data-level='critical'] .tile-level {
    color: var(--_danger);
  }

  .more {
    margin: calc(-1 * var(--_space-1)) var(--_space-3) var(--_space-2);
    font-size: var(--_font-size-small);
  }
  .more > summary {
    width: max-content;
    cursor: pointer;
  }
  .more > .tiles {
    padding: var(--_space-2) 0 0;
  }

  /* ---- services from system.health ---- */
  .services {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space-2);
    margin: 0;
    padding: 0 var(--_space-3) var(--_space-3);
    list-style: none;
    font-size: var(--_font-size-small);
  }
  .services li {
    display: inline-flex;
    align-items: center;
    gap: var(--_space-1);
    padding: 0 var(--_space-2);
    border: 1px solid var(--_border);
    border-radius: 999px;
  }
  .dot {
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: var(--_success);
    forced-color-adjust: none;
  }
  [data-status='degraded'] .dot {
    background: var(--_warning);
  }
  [data-status='down'] .dot {
    background: var(--_danger);
  }

  /* One chart colour token per colour property, read by palette() in one go. Not adjusted in
     forced colours: the tokens themselves are system colours there. */
  .probe {
    position: absolute;
    width: 0;
    height: 0;
    overflow: hidden;
    forced-color-adjust: none;
    color: var(--_text);
    background-color: var(--_text-muted);
    border: 0 solid var(--_border);
    border-right-color: var(--_accent);
    border-bottom-color: var(--_success);
    border-left-color: var(--_warning);
    outline: 0 solid var(--_danger);
  }
  @media (forced-colors: active) {
    .tile {
      border-left-width: 4px;
    }
    .dot {
      background: CanvasText;
    }
  }
`;
