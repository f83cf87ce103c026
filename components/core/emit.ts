/** The detail type of an event declared in HTMLElementEventMap as a CustomEvent. */
export type DetailOf<K extends keyof HTMLElementEventMap> = HTMLElementEventMap[K] extends CustomEvent<infer D> ? D : never;

/** Leadwire's event names: `lw-` and the event (`lw-new-event`), as Shoelace's are `sl-…`. */
export type LeadwireEventName = keyof HTMLElementEventMap & `lw-${string}`;

/**
 * Fires one of a widget's public events: a CustomEvent that bubbles and crosses shadow roots,
 * its detail typed by the event's entry in HTMLElementEventMap (each widget's events.ts).
 * The name without `lw-` (`new-event`) fires right after it, for one release, so listeners of
 * the old names keep working (untyped: other libraries declare such names too).
 * False when a listener cancelled either (cancelable events only).
 */
export function emit<K extends LeadwireEventName>(target: EventTarget, type: K, detail: DetailOf<K>, cancelable = false): boolean {
  const fire = (name: string) => target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable }));
  const kept = fire(type);
  return fire(type.slice(3)) && kept;
}
