// Loaded first by the embed test pages (a classic script from 'self', so CSP allows it): keeps
// what the page reports — CSP violations, uncaught errors, console warnings — and the globals
// present before Leadwire loads, for the test in the parent frame to read.
window.__watch = { violations: [], errors: [], warnings: [], globalsBefore: Object.keys(window) };
document.addEventListener('securitypolicyviolation', (e) =>
  window.__watch.violations.push(`${e.violatedDirective} ${e.blockedURI}`),
);
// Chromium reports the feed's virtualizer resizing inside a ResizeObserver callback as an error
// event; it is benign (the browser delivers the rest next frame) and not the page's fault.
window.addEventListener('error', (e) => String(e.message).includes('ResizeObserver loop') || window.__watch.errors.push(String(e.message)));
window.addEventListener('unhandledrejection', (e) => window.__watch.errors.push(String(e.reason)));
const warn = console.warn;
console.warn = (...args) => {
  window.__watch.warnings.push(args.map(String).join(' '));
  warn.apply(console, args);
};
