/**
 * English texts of the health panel's threshold alerts: health-panel/checks.ts adds them
 * (../l10n.ts: addStrings) when it loads, with the first check.
 */
export const checksStrings = {
  'health.metric.latencyP95': 'Latency p95',
  'health.metric.errorRate': 'Error rate',
  'health.metric.cpu': 'CPU',
  'health.metric.memory': 'Memory',
  'health.metric.eventLoopLag': 'Event-loop lag',
  'health.alert.threshold': '{metric} at {value}, {level} threshold {threshold}',
} as const;
