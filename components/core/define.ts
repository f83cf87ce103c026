/**
 * Guarded registration: loading the suite twice on one page must not throw. A tag already taken
 * by another class (e.g. another Leadwire version) is left alone, with a warning.
 */
export function define(tag: string, ctor: CustomElementConstructor): void {
  const existing = customElements.get(tag);
  if (!existing) {
    customElements.define(tag, ctor);
  } else if (existing !== ctor) {
    console.warn(`[leadwire] <${tag}> is already defined by another version; keeping the first one.`);
  }
}
