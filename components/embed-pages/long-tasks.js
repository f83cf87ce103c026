// Loaded by embed test pages that count main-thread tasks over 50 ms (a classic script from
// 'self', so CSP allows it): their durations, for the test in the parent frame to read.
window.__longTasks = [];
new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
