/**
 * Groups: widgets placed side by side on a page (five separate GHL snippets, say) act as one app
 * by naming the same `group` (or none: the default group). A group holds the shared filter,
 * theme, gateway connection and the feed's visible events. Nested widgets may instead receive a
 * group through @lit/context from any ancestor that provides `groupContext`.
 */
import { createContext, ContextConsumer, ContextProvider } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Filter, StreamEvent } from '../../protocol/index.ts';
import type { ClientOptions, GatewayClient } from './client.ts';
import { releaseClient, sharedClient } from './shared-clients.ts';
import { THEME_CHOICES, type Theme, type ThemeChoice } from './tokens.ts';

export const DEFAULT_GROUP = 'default';

export type GroupKey = 'filter' | 'theme' | 'gateway' | 'visibleEvents';

export type GatewayConfig = Pick<ClientOptions, 'url' | 'token' | 'tokenUrl' | 'transports'> &
  Partial<Omit<ClientOptions, 'url' | 'token' | 'tokenUrl' | 'transports'>>;

const THEME_KEY = (group: string) => `leadwire:theme:${group}`;

function readStoredTheme(group: string): ThemeChoice {
  try {
    const stored = localStorage.getItem(THEME_KEY(group));
    if (stored && (THEME_CHOICES as readonly string[]).includes(stored)) return stored as ThemeChoice;
  } catch {
    // storage blocked (third-party iframe, privacy mode): the default will do
  }
  return 'auto';
}

const darkQuery = () => matchMedia('(prefers-color-scheme: dark)');
const moreContrastQuery = () => matchMedia('(prefers-contrast: more)');

export class GroupStore {
  readonly name: string;
  filter: Filter = {};
  themeChoice: ThemeChoice;
  /** The theme in effect (`auto` resolved against the system preferences). */
  theme: Theme;
  gateway: GatewayConfig | undefined;
  client: GatewayClient | undefined;
  /** What the group's feed shows now, after filters: the default rows of an export. */
  visibleEvents: readonly StreamEvent[] = [];

  private readonly listeners = new Map<(key: GroupKey) => void, ReadonlySet<GroupKey> | null>();

  constructor(name: string) {
    this.name = name;
    this.themeChoice = readStoredTheme(name);
    this.theme = this.resolveTheme();
    const onSystemChange = () => this.themeChoice === 'auto' && this.applyTheme();
    darkQuery().addEventListener('change', onSystemChange);
    moreContrastQuery().addEventListener('change', onSystemChange);
  }

  /** Calls `listener` when one of `keys` (or anything, when omitted) changes. */
  subscribe(listener: (key: GroupKey) => void, keys?: readonly GroupKey[]): () => void {
    this.listeners.set(listener, keys ? new Set(keys) : null);
    return () => this.listeners.delete(listener);
  }

  setFilter(filter: Filter): void {
    this.filter = filter;
    this.emit('filter');
  }

  setTheme(choice: ThemeChoice, { persist = true } = {}): void {
    this.themeChoice = choice;
    if (persist) {
      try {
        localStorage.setItem(THEME_KEY(this.name), choice);
      } catch {
        // not persisted; still applied
      }
    }
    this.applyTheme();
  }

  setVisibleEvents(events: readonly StreamEvent[]): void {
    this.visibleEvents = events;
    this.emit('visibleEvents');
  }

  /**
   * Connects the group to a gateway; widgets of the group share one client. Another token for
   * the same gateway goes to that client (the feed carries on from its cursor); another gateway
   * gets a new client and the old one closes once its widgets have moved over.
   */
  configureGateway(config: GatewayConfig): void {
    const same =
      this.gateway &&
      this.gateway.url === config.url &&
      this.gateway.token === config.token &&
      this.gateway.tokenUrl === config.tokenUrl;
    this.gateway = config;
    if (same && this.client) return;
    const previous = this.client;
    this.client = sharedClient(config, this.name);
    this.emit('gateway');
    if (previous && previous !== this.client) releaseClient(previous, this.name);
  }

  private resolveTheme(): Theme {
    if (this.themeChoice !== 'auto') return this.themeChoice;
    if (moreContrastQuery().matches) return 'high-contrast';
    return darkQuery().matches ? 'dark' : 'light';
  }

  private applyTheme(): void {
    this.theme = this.resolveTheme();
    this.emit('theme');
  }

  private emit(key: GroupKey): void {
    for (const [listener, keys] of [...this.listeners]) if (!keys || keys.has(key)) listener(key);
  }
}

const groups = new Map<string, GroupStore>();

/** The page's store for the named group, created on first use. */
export function groupStore(name: string = DEFAULT_GROUP): GroupStore {
  let store = groups.get(name);
  if (!store) groups.set(name, (store = new GroupStore(name)));
  return store;
}

/** Provide a GroupStore under this context to give nested widgets a group without a name. */
export const groupContext = createContext<GroupStore | undefined>(Symbol.for('leadwire.group'));

type GroupHost = ReactiveControllerHost & HTMLElement & { group: string | null };
type GroupWatcher = (key: GroupKey, store: GroupStore) => void;

/**
 * Finds the host's group (its `group` attribute, else a context from an ancestor, else the
 * default), re-provides it to the host's own descendants, and re-renders the host when the
 * keys it cares about change.
 */
export class GroupController implements ReactiveController {
  store: GroupStore = groupStore();
  private fromContext: GroupStore | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly provider: ContextProvider<typeof groupContext, GroupHost>;
  /** Other controllers of the host told of some keys' changes (see watch()). */
  private readonly watchers: Array<[ReadonlySet<GroupKey>, GroupWatcher]> = [];

  constructor(
    private readonly host: GroupHost,
    private readonly keys: readonly GroupKey[],
    private readonly onChange?: GroupWatcher,
  ) {
    new ContextConsumer(host, {
      context: groupContext,
      subscribe: true,
      callback: (store) => {
        this.fromContext = store;
        if (host.isConnected) this.resolve();
      },
    });
    this.provider = new ContextProvider(host, { context: groupContext });
    host.addController(this);
  }

  /**
   * Calls `watcher` when one of `keys` changes in the host's group, and once for each when the
   * group is resolved (the host connects, or its group changes), while the host is connected.
   */
  watch(keys: readonly GroupKey[], watcher: GroupWatcher): void {
    this.watchers.push([new Set(keys), watcher]);
  }

  hostConnected(): void {
    this.resolve();
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** Call when the host's `group` attribute changes. */
  resolve(): void {
    const next = this.host.group ? groupStore(this.host.group) : (this.fromContext ?? groupStore());
    if (next === this.store && this.unsubscribe) return;
    this.unsubscribe?.();
    this.store = next;
    this.provider.setValue(next);
    this.unsubscribe = next.subscribe((key) => this.changed(key, next));
    for (const key of new Set([...this.keys, ...this.watchers.flatMap(([keys]) => [...keys])])) this.changed(key, next, false);
    this.host.requestUpdate();
  }

  private changed(key: GroupKey, store: GroupStore, update = true): void {
    for (const [keys, watcher] of this.watchers) if (keys.has(key)) watcher(key, store);
    if (!this.keys.includes(key)) return;
    this.onChange?.(key, store);
    if (update) this.host.requestUpdate();
  }
}
