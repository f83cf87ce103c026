/** The public events of <health-panel> and their details. */

/** An entry of the alert list: a threshold crossing, or a `system.alert` event from a publisher. */
export interface HealthAlertDetail {
  id: string;
  source: 'threshold' | 'event';
  level: 'info' | 'warning' | 'critical';
  /** Metric name (thresholds) or the alert's title (events). */
  title: string;
  message: string;
  metric?: string;
  value?: number;
  threshold?: number;
  /** When it was raised (epoch ms, gateway clock when known). */
  at: number;
  /** When it cleared (threshold alerts only), null while active. */
  clearedAt: number | null;
}

declare global {
  interface HTMLElementEventMap {
    'lw-health-alert': CustomEvent<HealthAlertDetail>;
  }
}
