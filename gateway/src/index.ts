/**
 * The gateway as a library (`import { startGateway } from 'leadwire-gateway'`): for programs that
 * run it with parts of their own, as the repository's demo does. The `leadwire-gateway` command
 * is main.ts.
 */
export { startGateway, type Gateway } from './gateway.ts';
export { InvalidEnvelopeError } from './ingest/writer.ts';
export { runGateway, type ProcessHooks } from './process.ts';
export { loadConfig, ConfigError, type Config } from './config.ts';
export { mintToken, SCOPES, type Scope, type TokenClaims } from './auth.ts';
