/**
 * `npm start`: a gateway configured from the environment as in production (REDIS_URL for a
 * Redis Stream, else the in-memory log), plus the demo: a throwaway AUTH_SECRET when none is
 * set, a loopback-only token for the demo page, the page itself and live demo traffic.
 */
import { randomBytes } from 'node:crypto';
import { runGateway } from '../gateway/src/process.ts';
import { installDemo } from './server.ts';

await runGateway(process.env, {
  configure(config) {
    config.AUTH_SECRET ??= randomBytes(32).toString('hex');
  },
  started: installDemo,
});
