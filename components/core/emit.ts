/** The detail type of an event declared in HTMLElementEventMap as a CustomEvent. */
export type DetailOf<K extends keyof HTMLElementEventMap> = HTMLElementEventMap[K] extends CustomEvent<infer D> ? D : never;

/**
 * Fires one of a widget's public events: a CustomEvent that bubbles and crosses shadow roots,
 * its detail typed by the event's entry in HTMLElementEventMap (each widget's events.ts).
 * False when a listener cancelled it (cancelable events only).
 */
export function emit<K extends keyof HTMLElementEventMap>(target: EventTarget, type: K, detail: DetailOf<K>, cancelable = false): boolean {
  return target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable }));
}
