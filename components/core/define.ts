/**
 * Guarded registration of a widget's tag. Loading the suite twice on one page must not throw: a
 * tag already held by another Leadwire class (another version) is left alone, with a warning.
 * A tag the page itself defined first is left alone too, with a warning naming that cause and
 * the way out: registering Leadwire under a prefix (`<lw-activity-feed>`), as `prefix` does.
 */
export interface DefineOptions {
  /** Registers `<prefix>-<tag>` instead of `<tag>`: lowercase letters, digits and hyphens, a letter first. */
  prefix?: string;
}

const VALID_PREFIX = /^[a-z][a-z0-9-]*$/;

/** Registers `ctor` as `tag` (or `<prefix>-<tag>`); answers the tag it holds, or null when taken. */
export function define(tag: string, ctor: CustomElementConstructor, { prefix }: DefineOptions = {}): string | null {
  if (prefix !== undefined && !VALID_PREFIX.test(prefix)) {
    throw new SyntaxError(`[leadwire] "${prefix}" is not a tag prefix: use lowercase letters, digits and hyphens, a letter first (e.g. "lw").`);
  }
  const name = prefix ? `${prefix}-${tag}` : tag;
  const existing = customElements.get(name);
  if (!existing) {
    // A class registers under one name only: under a second one (a prefix), a subclass does.
    customElements.define(name, customElements.getName?.(ctor) ? class extends (ctor as typeof HTMLElement) {} : ctor);
    return name;
  }
  if (existing === ctor || existing.prototype instanceof ctor) return name;
  console.warn(
    'groupKeys' in existing
      ? `[leadwire] <${name}> is already defined by another version of Leadwire; keeping the first one.`
      : `[leadwire] <${name}> is already defined by the page, not by Leadwire: Leadwire's is not registered. ` +
          `Use a prefix (data-prefix="lw" on the script tag, or define(…, { prefix: 'lw' })) for <lw-${tag}>.`,
  );
  return null;
}
