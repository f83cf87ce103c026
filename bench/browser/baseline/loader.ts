// The load baseline's classic script: the same shape as Leadwire's loader (a classic script that
// imports an ES module beside itself), so the two differ only in what the module does.
(() => {
  const base = (document.currentScript as HTMLScriptElement).src;
  import(/* @vite-ignore */ new URL('./widgets.js', base).href);
})();
