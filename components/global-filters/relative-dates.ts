/**
 * Keeps a relative date preset current. "Today", "last 7 days" and "last 30 days" have no upper
 * bound and a start that moves at local midnight: re-resolved then (a timer), when the tab is
 * shown again (timers sleep in hidden tabs and suspended laptops) and when the widget is
 * attached again. Not a user action: no `filter-change`, but the group (and the feed's
 * subscription) follows.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Filter } from '../../protocol/index.ts';
import { clock, isRelative, nextMidnight } from '../core/filter-value.ts';

export class RelativeDates implements ReactiveController {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Set once the widget has a filter of its own (restored): only then is there one to keep current. */
  active = false;

  /**
   * @param filter the group's filter now
   * @param reapply applies the filter again, re-resolved as of now, without an event; true when it changed
   */
  constructor(
    private readonly host: ReactiveControllerHost & { readonly isConnected: boolean },
    private readonly filter: () => Filter,
    private readonly reapply: () => boolean,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.onVisibility);
    if (this.active) this.refresh(); // back in the page: "today" may be another day now
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
    document.removeEventListener('visibilitychange', this.onVisibility);
  }

  /** The filter changed: the next move of its start, if it has one that moves. */
  schedule(): void {
    clearTimeout(this.timer);
    if (!this.host.isConnected || !isRelative(this.filter())) return;
    const now = clock.now();
    this.timer = setTimeout(() => this.refresh(), Math.max(0, nextMidnight(now) - now));
  }

  private refresh(): void {
    if (!isRelative(this.filter())) return;
    if (!this.reapply()) this.schedule();
  }

  private onVisibility = () => {
    if (document.visibilityState === 'visible') this.refresh();
  };
}
