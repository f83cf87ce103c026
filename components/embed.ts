/**
 * The script-tag build's module entry: registers every widget (Lit bundled in; under the
 * script's `data-prefix` when it has one) and turns the `window.Leadwire` stub the loader made
 * into the real API, replaying queued calls.
 */
import { locationFromUrl, tokenUrlFor } from './core/ghl-location.ts';
import { groupStore } from './core/store.ts';
import { defineWidgets } from './widgets.ts';

export interface EmbedConfig {
  gateway?: string;
  token?: string;
  tokenUrl?: string;
  group?: string;
}

export interface EmbedNamespace {
  version?: string;
  /** The script's `data-prefix`, set by the loader before the widgets load: tags are `<prefix>-<tag>`. */
  prefix?: string;
  /** Set by the loader while (or once) the widgets load; cleared when loading failed. */
  loading?: boolean;
  /** Loaders of script tags that ran while a load was in progress: tried in turn if it fails. */
  retry?: Array<() => void>;
  /** The first script tag's settings (its data-* attributes), which later tags are compared with. */
  first?: EmbedConfig & { prefix?: string };
  /** Calls made before the widgets loaded: [method, ...args]. */
  q?: unknown[][];
  /** Points a group's widgets at a gateway; attributes on the widgets still win. */
  configure(config: EmbedConfig): void;
  /**
   * Replaces the token of a group's connection (e.g. from the host app's own session): the
   * group keeps its gateway (from `data-gateway` or `configure()`) and uses this token instead
   * of its token URL. `group` defaults to the script's `data-group`. Before the group has a
   * gateway the token waits for the next `configure()`.
   */
  setToken(token: string, group?: string): void;
  /** Listens to the widgets' events (`lw-new-event`, `lw-status-change`, `lw-export-complete`, …). */
  on(type: string, listener: (event: CustomEvent) => void): void;
  off(type: string, listener: (event: CustomEvent) => void): void;
}

/** Registers the widgets as this module loads, under the prefix the loader was given, if any. */
function register(prefix: string | undefined): void {
  try {
    defineWidgets({ prefix: prefix || undefined });
  } catch (error) {
    // A prefix no tag can start with: said once, and the widgets still work under their own names.
    console.error(`${(error as Error).message} The widgets are registered without one.`);
    defineWidgets();
  }
}
register((window as { Leadwire?: EmbedNamespace }).Leadwire?.prefix);

declare const __LEADWIRE_TEST_FAULT__: boolean | undefined;
// Builds made with LEADWIRE_TEST_FAULT=1 only (the rollout's proof): the widgets throw once
// registered, as a bad release would. Every other build drops this as dead code.
if (typeof __LEADWIRE_TEST_FAULT__ === 'boolean' && __LEADWIRE_TEST_FAULT__) {
  setTimeout(() => {
    throw new Error('leadwire test fault: this build fails on purpose');
  });
}

export { locationFromUrl, tokenUrlFor };

declare const __LEADWIRE_VERSION__: string;
const version = typeof __LEADWIRE_VERSION__ === 'string' ? __LEADWIRE_VERSION__ : 'dev';

/** `config` without the keys it leaves unset: an explicit `undefined` must not override a default. */
const defined = (config: EmbedConfig): EmbedConfig =>
  Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined)) as EmbedConfig;

export function install(ns: EmbedNamespace, defaults: EmbedConfig = {}): void {
  const queued = ns.q ?? [];
  const location = locationFromUrl(window.location.href);
  defaults = defined(defaults);
  /** Tokens set for a group before it had a gateway: applied by the next configure(). */
  const waitingTokens = new Map<string | undefined, string>();
  const configure = (config: EmbedConfig) => {
    const merged = { ...defaults, ...defined(config) };
    const token = merged.token ?? waitingTokens.get(merged.group);
    if (!merged.gateway) return;
    waitingTokens.delete(merged.group);
    groupStore(merged.group).configureGateway({
      url: merged.gateway,
      ...(token !== undefined && { token }),
      ...(merged.tokenUrl !== undefined && { tokenUrl: tokenUrlFor(merged.tokenUrl, location) }),
    });
  };
  // One wrapper per (type, listener): the same function may listen to several types.
  const listeners = new Map<string, Map<(event: CustomEvent) => void, EventListener>>();
  Object.assign(ns, {
    version,
    q: [],
    configure,
    setToken(token: string, group?: string) {
      const name = group ?? defaults.group;
      const store = groupStore(name);
      if (!store.gateway) {
        waitingTokens.set(name, token); // no gateway yet: the next configure() for the group uses it
        return;
      }
      // The group's connection as it is (gateway from data-gateway or configure(), transports,
      // backoff…), with this token instead of whatever it had, token URL included.
      const { tokenUrl: _replaced, ...current } = store.gateway;
      store.configureGateway({ ...current, token });
    },
    on(type: string, listener: (event: CustomEvent) => void) {
      let byListener = listeners.get(type);
      if (!byListener) listeners.set(type, (byListener = new Map()));
      if (byListener.has(listener)) return; // as addEventListener: adding twice is adding once
      const wrapped = ((event: Event) => listener(event as CustomEvent)) as EventListener;
      byListener.set(listener, wrapped);
      document.addEventListener(type, wrapped);
    },
    off(type: string, listener: (event: CustomEvent) => void) {
      const wrapped = listeners.get(type)?.get(listener);
      if (!wrapped) return;
      document.removeEventListener(type, wrapped);
      listeners.get(type)!.delete(listener);
    },
  } satisfies Partial<EmbedNamespace>);
  if (defaults.gateway) configure({});
  for (const [method, ...args] of queued) {
    const fn = ns[method as keyof EmbedNamespace];
    if (typeof fn === 'function') (fn as (...a: unknown[]) => void)(...args);
  }
}
