import { css } from 'lit';

export const feedStyles = css`
  :host {
    --_row-padding: var(--lw-feed-row-padding, 4px);
    display: flex;
    flex-direction: column;
    min-width: 0;
    height: var(--lw-feed-height, 480px);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    overflow: hidden;
    position: relative;
  }
  header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space-2);
    padding: var(--_space-2) var(--_space-3);
    border-bottom: 1px solid var(--_border);
    background: var(--_surface-raised);
  }
  h2 {
    flex: 1 1 auto;
    margin: 0;
    font-size: var(--_font-size);
    font-weight: 600;
  }
  .chip {
    display: inline-flex;
    align-items: center;
    gap: var(--_space-1);
    padding: 0 var(--_space-2);
    border: 1px solid var(--_border);
    border-radius: 999px;
    font-size: var(--_font-size-small);
    white-space: nowrap;
  }
  .dot {
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: var(--_text-muted);
    forced-color-adjust: none;
  }
  .chip[data-status='live'] .dot,
  .chip[data-status='fallback'] .dot {
    background: var(--_success);
  }
  .chip[data-status='reconnecting'] .dot,
  .chip[data-status='connecting'] .dot {
    background: var(--_warning);
  }
  .chip[data-status='offline'] .dot,
  .chip[data-status='unauthorised'] .dot {
    background: var(--_danger);
  }
  .latency[data-level='excellent'],
  .latency[data-level='good'] {
    color: var(--_success);
  }
  .latency[data-level='warning'] {
    color: var(--_warning);
  }
  .latency[data-level='critical'] {
    color: var(--_danger);
    font-weight: 600;
  }
  .control {
    min-height: 28px;
    padding: 2px var(--_space-2);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    cursor: pointer;
    font-size: var(--_font-size-small);
  }
  .control[aria-pressed='true'] {
    background: var(--_accent);
    color: var(--_on-accent);
    border-color: var(--_accent);
  }
  .banner,
  .state {
    margin: 0;
    padding: var(--_space-3);
    color: var(--_text-muted);
  }
  .banner {
    border-bottom: 1px solid var(--_border);
    color: var(--_danger);
  }
  .state {
    flex: 1;
    display: grid;
    place-items: center;
    text-align: center;
  }
  .state[data-kind='unauthorised'],
  .state[data-kind='error'] {
    color: var(--_danger);
  }
  .list {
    flex: 1 1 auto;
    min-height: 0;
    overflow: auto;
    contain: strict;
  }
  .pill {
    position: absolute;
    top: 52px;
    left: 50%;
    transform: translateX(-50%);
    z-index: 1;
    padding: var(--_space-1) var(--_space-3);
    border: 1px solid var(--_accent);
    border-radius: 999px;
    background: var(--_accent);
    color: var(--_on-accent);
    cursor: pointer;
    font-size: var(--_font-size-small);
    box-shadow: 0 2px 6px rgb(0 0 0 / 25%);
  }
  :host([density='comfortable']) {
    --_row-padding: var(--lw-feed-row-padding, var(--_space-2));
  }
  .item {
    display: grid;
    grid-template-columns: 20px minmax(0, 1fr);
    gap: var(--_space-2);
    width: 100%;
    padding: var(--_row-padding) var(--_space-2) var(--_row-padding) var(--_space-3);
    border-bottom: 1px solid var(--_border);
    border-left: 4px solid transparent;
    background: var(--_surface);
  }
  .item:focus-visible {
    outline-offset: -2px;
  }
  .item[data-priority='critical'] {
    border-left-color: var(--_danger);
  }
  .item[data-priority='high'] {
    border-left-color: var(--_warning);
  }
  .item[data-priority='normal'] {
    border-left-color: var(--_accent);
  }
  .icon {
    color: var(--_text-muted);
    text-align: center;
  }
  .head {
    display: flex;
    align-items: baseline;
    gap: 0 var(--_space-2);
    min-width: 0;
    white-space: nowrap;
  }
  .label {
    flex: 0 1 auto;
    min-width: 3em;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .line {
    flex: 1 1 0;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    color: var(--_text-muted);
    font-size: var(--_font-size-small);
  }
  .details {
    display: none;
  }
  [data-open] .details {
    display: grid;
  }
  [data-open] .line {
    visibility: hidden;
  }
  :host([density='comfortable']) .head {
    flex-wrap: wrap;
  }
  :host([density='comfortable']) .line {
    display: none;
  }
  :host([density='comfortable']) .details {
    display: grid;
  }
  .label {
    font-weight: 600;
  }
  .subject {
    flex: 0 1 auto;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    max-width: 100%;
  }
  .priority {
    font-size: var(--_font-size-small);
    font-weight: 600;
    text-transform: uppercase;
  }
  .item[data-priority='critical'] .priority {
    color: var(--_danger);
  }
  .item[data-priority='high'] .priority {
    color: var(--_warning);
  }
  time {
    flex: none;
    margin-inline-start: auto;
    color: var(--_text-muted);
    font-size: var(--_font-size-small);
    white-space: nowrap;
  }
  .facts,
  .text {
    margin: 0;
    color: var(--_text-muted);
    font-size: var(--_font-size-small);
    overflow-wrap: anywhere;
  }
  .text {
    color: var(--_text);
  }
  .toggle {
    flex: none;
    align-self: center;
    width: 24px;
    height: 24px;
    padding: 0;
    border: 1px solid transparent;
    border-radius: var(--_radius);
    background: none;
    color: var(--_text-muted);
    cursor: pointer;
    line-height: 1;
  }
  .toggle:hover,
  .toggle[aria-expanded='true'] {
    border-color: var(--_border);
    color: var(--_text);
  }
  pre {
    max-height: 240px;
    margin: var(--_space-1) 0 0;
    padding: var(--_space-2);
    overflow: auto;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface-raised);
    font-family: var(--_font-mono);
    font-size: var(--_font-size-small);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .gap {
    padding: var(--_space-2) var(--_space-3);
    border-bottom: 1px dashed var(--_warning);
    color: var(--_warning);
    font-size: var(--_font-size-small);
    width: 100%;
  }
  .main {
    display: grid;
    min-width: 0;
  }
  @media (forced-colors: active) {
    .control[aria-pressed='true'],
    .pill {
      forced-color-adjust: none;
      background: Highlight;
      color: HighlightText;
      border-color: Highlight;
    }
  }
  .history {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space-2);
    padding: var(--_space-1) var(--_space-3);
    border-top: 1px solid var(--_border);
    color: var(--_text-muted);
    font-size: var(--_font-size-small);
  }
  .backdated {
    margin-inline-start: var(--_space-1);
    color: var(--_text-muted);
    font-size: var(--_font-size-small);
  }
`;
