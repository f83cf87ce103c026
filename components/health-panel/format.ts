/** Number and time formatting shared by the panel's tiles and its full view. */
import { formatDateTime, formatNumber, msg } from '../core/l10n.ts';

const ONE_DECIMAL = { maximumFractionDigits: 1 } as const;
export const num = (value: number | null | undefined) => (value === null || value === undefined ? msg('health.none') : formatNumber(value, ONE_DECIMAL));
export const time = (ts: number) => formatDateTime(ts, { timeStyle: 'medium' });
