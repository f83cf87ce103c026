/**
 * What a widget needs around a native popover (`popover="auto"`: top layer, light dismiss,
 * Escape): placing it at its anchor, and keeping Tab inside it. The placement is a few lines of
 * arithmetic rather than CSS anchor positioning, which not every browser a GHL user has
 * supports, and rather than a library the core bytes would carry.
 */

const GAP = 4;
const MARGIN = 8;

/**
 * Places a popover (fixed, in the top layer) under its anchor, or above it when there is more
 * room there, kept inside the viewport and scrolling inside when taller than the room it has.
 * Before it is shown (`measured` false) only the anchor is known: it goes under it at once, so
 * it never flashes where the browser would centre it. Its width is the stylesheet's to bound.
 */
export function placePopover(popover: HTMLElement, anchor: Element, measured = true): void {
  const a = anchor.getBoundingClientRect();
  const vw = document.documentElement.clientWidth;
  const vh = window.innerHeight;
  const style = popover.style;
  const below = vh - a.bottom - GAP - MARGIN;
  const above = a.top - GAP - MARGIN;
  if (!measured) {
    style.top = `${a.bottom + GAP}px`;
    style.left = `${Math.max(MARGIN, a.left)}px`;
    style.maxHeight = `${Math.max(160, below)}px`;
    return;
  }
  style.maxHeight = '';
  const natural = popover.offsetHeight;
  const up = natural > below && above > below;
  const room = Math.max(160, up ? above : below);
  style.maxHeight = `${room}px`;
  const { width, height } = popover.getBoundingClientRect();
  const rtl = getComputedStyle(anchor).direction === 'rtl';
  const start = rtl ? a.right - width : a.left;
  style.left = `${Math.max(MARGIN, Math.min(start, vw - MARGIN - width))}px`;
  style.top = `${Math.max(MARGIN, up ? a.top - GAP - height : a.bottom + GAP)}px`;
}

/**
 * The Tab stops inside `container`, in order: enabled, rendered, not taken out of the order, and
 * one per radio group (its checked radio, else its first), as Tab visits them.
 */
export function tabStops(container: Element): HTMLElement[] {
  const all = [...container.querySelectorAll<HTMLElement>('button, input, select, textarea, [tabindex]')].filter(
    (el) => !el.matches(':disabled, [tabindex="-1"]') && el.getClientRects().length > 0,
  );
  return all.filter((el) => {
    if (!(el instanceof HTMLInputElement) || el.type !== 'radio' || !el.name) return true;
    const group = all.filter((o): o is HTMLInputElement => o instanceof HTMLInputElement && o.type === 'radio' && o.name === el.name);
    return el === (group.find((o) => o.checked) ?? group[0]);
  });
}

/** Keeps Tab and Shift+Tab inside `container`, wrapping at either end. */
export function trapTab(event: KeyboardEvent, container: Element): void {
  if (event.key !== 'Tab') return;
  const stops = tabStops(container);
  if (!stops.length) return;
  const active = (container.getRootNode() as ShadowRoot | Document).activeElement;
  const first = stops[0];
  const last = stops[stops.length - 1];
  const target = event.shiftKey ? (active === first || !container.contains(active) ? last : null) : active === last ? first : null;
  if (target) {
    event.preventDefault();
    target.focus();
  }
}
