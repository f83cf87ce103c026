/**
 * Type test (checked by `npm run typecheck`, never run): another library on the page declares
 * the event names Leadwire used before its `lw-` prefix, with other detail types. Leadwire's
 * declarations must not clash with them (TS2717), and each keeps its own type.
 */
import type { NewEventDetail } from './activity-feed/events.ts';
import './index.ts';

declare global {
  interface HTMLElementEventMap {
    'new-event': CustomEvent<{ from: 'another library' }>;
    'filter-change': CustomEvent<{ query: string }>;
    'status-change': Event;
    'theme-change': CustomEvent<string>;
    'export-complete': CustomEvent<number>;
    'health-alert': CustomEvent<boolean>;
  }
}

export function listen(target: HTMLElement): void {
  target.addEventListener('lw-new-event', (e) => {
    const detail: NewEventDetail = e.detail;
    detail.events.map((event) => event.cursor);
  });
  target.addEventListener('new-event', (e) => e.detail.from.toUpperCase());
  target.addEventListener('lw-filter-change', (e) => e.detail.filter.temperatures);
  target.addEventListener('filter-change', (e) => e.detail.query.trim());
  // @ts-expect-error — Leadwire's detail has no `query`
  target.addEventListener('lw-filter-change', (e) => e.detail.query);
}
