/**
 * English texts of the health panel's full view (charts, table, alert list):
 * health-panel/full-view.ts adds them (../l10n.ts: addStrings) when it loads, so the core bytes
 * carry only what the tiles say.
 */
export const fullViewStrings = {
  'health.charts': 'Latency and throughput',
  'health.chart.latency': 'Delivery latency (ms)',
  'health.chart.throughput': 'Events per second',
  'health.chart.summary': '{title}: {count} checks, latest {latest}. The table view lists every value.',
  'health.chart.warning': 'p95 warning ({value} ms)',
  'health.chart.critical': 'p95 critical ({value} ms)',
  'health.show-table': 'Show as table',
  'health.col.time': 'Time',
  'health.col.p50': 'p50 (ms)',
  'health.col.p95': 'p95 (ms)',
  'health.col.p99': 'p99 (ms)',
  'health.col.in': 'In (/s)',
  'health.col.out': 'Out (/s)',
  'health.alerts': 'Alerts',
  'health.no-alerts': 'No alerts.',
  'health.alert.cleared': 'cleared {time}',
  'health.alert.active': 'active',
} as const;
