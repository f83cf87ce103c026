/** The browser core: client, groups, base element, tokens, formatting. Registers nothing. */
export { GatewayClient } from './client.ts';
export { sharedClient } from './shared-clients.ts';
export type { ClientListener, ClientOptions, ConnectionState, ConnectionStatus } from './client.ts';
export { Backoff } from './backoff.ts';
export { ClockOffset } from './clock.ts';
export { define } from './define.ts';
export { LeadwireElement } from './element.ts';
export { formatDateTime, formatMoney, formatNumber, formatRelative, msg, setStrings, typeLabel } from './l10n.ts';
export { DEFAULT_GROUP, GroupController, GroupStore, groupContext, groupStore } from './store.ts';
export type { GatewayConfig, GroupKey } from './store.ts';
export { TokenSource, tokenClaims, tokenExpiry } from './token-source.ts';
export { DEFAULT_TRANSPORTS } from './default-transports.ts';
export { webSocketTransport } from './websocket-transport.ts';
export { pollTransport, sseTransport } from './http-transports.ts';
export type { Transport, TransportConnection, TransportName, TransportParams, TransportSink } from './transport.ts';
export { CONTRAST_PAIRS, PALETTES, THEMES, THEME_CHOICES, baseStyles, contrastRatio, tokenStyles } from './tokens.ts';
export type { Theme, ThemeChoice } from './tokens.ts';
