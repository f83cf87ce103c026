/**
 * What every classic-script loader does before the widgets arrive: define one global,
 * `window.Leadwire`, queue calls made before the widgets are loaded, import the embed module
 * from wherever `locate` says, and hand it the script's data attributes. Loading twice is a
 * no-op; after a failed load (a wrong path, a network error, a refused token) another script tag
 * may try again. A later tag with a `data-group` of its own connects that group (its
 * `data-gateway`, `data-token-url`, `data-token`); one that names another gateway, token or
 * prefix for a group already set up cannot be honoured and says so in a console warning.
 */
import type { EmbedNamespace } from './embed.ts';

const METHODS = ['configure', 'setToken', 'on', 'off'] as const;

export interface EmbedModule {
  install(ns: EmbedNamespace, defaults: Record<string, string | undefined>): void;
}

/** The script tag running the loader: its URL and its `data-*` attributes. */
export interface LoaderScript {
  base: string;
  data: DOMStringMap;
}

/** `locate` resolves the embed module's URL for this script. */
export function boot(locate: (script: LoaderScript) => Promise<string>): void {
  const script = document.currentScript as HTMLScriptElement | null;
  const ns = ((window as unknown as { Leadwire?: EmbedNamespace }).Leadwire ??= { q: [] } as unknown as EmbedNamespace);
  const self: LoaderScript = { base: script?.src || document.baseURI, data: script?.dataset ?? {} };
  const { data } = self;
  const config = { gateway: data.gateway, tokenUrl: data.tokenUrl, token: data.token, group: data.group };
  const start = () => {
    ns.prefix = data.prefix; // read by the widgets as they register
    // A loader that cannot resolve its URL (a script without a usable src) fails here too.
    Promise.resolve()
      .then(() => locate(self))
      .then((url) => import(/* @vite-ignore */ url))
      .then((embed: EmbedModule) => {
        delete ns.retry; // loaded: other script tags have nothing left to do
        embed.install(ns, config);
      }, failed);
  };
  const failed = (error: unknown) => {
    console.error('[leadwire] could not load the widgets', error);
    // Another script tag that ran meanwhile tries its own URL; else a later one may try again.
    const next = ns.retry?.shift();
    if (next) next();
    else ns.loading = false;
  };
  if (ns.loading) {
    (ns.retry ??= []).push(start); // used only if the load in progress fails
    const first = ns.first!;
    const group = data.group || 'default';
    // Another group: its own connection (queued until loaded). The same group or prefix set up
    // otherwise cannot be honoured: the connection and the tags exist.
    if (group !== (first.group || 'default')) data.gateway && ns.configure(config);
    else if (['gateway', 'tokenUrl', 'token', 'prefix'].some((key) => data[key] !== undefined && data[key] !== first[key as 'prefix'])) {
      console.warn(`[leadwire] a second script tag sets up the group "${group}" again, with other data-*: ignored. Give it a data-group of its own.`);
    }
    return;
  }
  ns.loading = true;
  ns.first = { ...config, prefix: data.prefix };
  ns.q ??= [];
  for (const method of METHODS) {
    ns[method] ??= ((...args: unknown[]) => void ns.q!.push([method, ...args])) as never;
  }
  start();
}
