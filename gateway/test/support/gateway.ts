/** A gateway for tests: a free port, quiet logs, the test secret. */
import { startGateway, type Gateway } from '../../src/gateway.ts';
import type { Config } from '../../src/config.ts';

export const SECRET = 'test-secret-test-secret-test-secret-0123';

export function testGateway(overrides: Partial<Config> = {}): Promise<Gateway> {
  return startGateway({ PORT: 0, AUTH_SECRET: SECRET, LOG_LEVEL: 'silent', ...overrides });
}
