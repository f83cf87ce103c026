import { define } from '../core/define.ts';
import { HealthPanel } from './health-panel.ts';

define('health-panel', HealthPanel);
export { HealthPanel };
export { MetricsError, gatewayMetricsSource, type MetricsSource } from './metrics-source.ts';
export type { ThresholdOverrides, Thresholds } from './thresholds.ts';
export type { HealthAlertDetail } from './events.ts';
export type { StreamEvent } from '../../protocol/index.ts';
