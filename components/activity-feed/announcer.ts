/**
 * Polite screen-reader announcements of high-priority events (within the group's filter), at
 * most one every `announce-interval` ms; what arrives meanwhile is summed up as "N more" once
 * the quiet period is over.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { matches, type StreamEvent } from '../../protocol/index.ts';
import { msg } from '../core/l10n.ts';
import type { GroupStore } from '../core/store.ts';
import { summarize } from './summary.ts';

export const HIGH = new Set(['critical', 'high']);

/** The feed as its announcer sees it. */
export interface AnnouncerHost extends ReactiveControllerHost {
  readonly store: GroupStore;
  readonly announceInterval: number;
}

export class Announcer implements ReactiveController {
  /** The live region's text. */
  text = '';
  private lastAt = 0;
  private unannounced = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: AnnouncerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    if (this.unannounced) this.later(); // moved in the page with an announcement due
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Events just shown, oldest first. */
  announce(events: StreamEvent[]): void {
    const filter = this.host.store.filter;
    const important = events.filter((e) => HIGH.has(e.priority) && matches(e, filter));
    if (!important.length) return;
    if (this.lastAt + this.host.announceInterval > Date.now()) {
      this.unannounced += important.length;
      this.later();
      return;
    }
    const latest = important[important.length - 1];
    const summary = summarize(latest);
    this.say(msg('feed.announce', { priority: msg(`priority.${latest.priority}`), summary: `${summary.label}: ${summary.subject}` }));
    this.unannounced += important.length - 1;
  }

  private say(text: string): void {
    this.lastAt = Date.now();
    this.text = text;
    this.host.requestUpdate();
  }

  /** "N more" once the quiet period since the last announcement is over. */
  private later(): void {
    this.timer ??= setTimeout(
      () => {
        this.timer = undefined;
        if (!this.unannounced) return;
        this.say(msg('feed.announce-more', { count: this.unannounced }));
        this.unannounced = 0;
      },
      Math.max(0, this.lastAt + this.host.announceInterval - Date.now()),
    );
  }
}
