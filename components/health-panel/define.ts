import { define } from '../core/define.ts';
import { HealthPanel } from './health-panel.ts';

define('health-panel', HealthPanel);
export { HealthPanel };
export type { HealthAlertDetail } from './health-panel.ts';
export { MetricsError, gatewayMetricsSource, type MetricsSource } from './metrics-source.ts';
export type { ThresholdOverrides, Thresholds } from './thresholds.ts';
