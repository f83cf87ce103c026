/**
 * Gives the page a turn — input, rendering, other tasks — before carrying on: `scheduler.yield()`
 * where it exists (the continuation keeps its place ahead of unrelated tasks), else a macrotask.
 */
export function yieldToPage(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (scheduler?.yield) return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}
