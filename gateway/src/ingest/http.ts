/**
 * `POST /v1/events` for publishers that cannot reach Redis: one envelope or an array, with
 * `Authorization: Bearer <publisher key>`. All envelopes are checked before any is appended,
 * so a 400 means nothing was written and the publisher can fix and resend the whole batch;
 * a resend after a 202 is harmless too (appends are deduped on the envelope id).
 */
import { BreakerOpenError } from '../log/breaker.ts';
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type ErrorRequestHandler, type RequestHandler, type Router } from 'express';
import type { Config } from '../config.ts';
import type { Envelope } from '../../../protocol/index.ts';
import { bearerToken, refuse } from '../http-requests.ts';
import type { Logger } from '../logger.ts';
import type { LogWriter } from './writer.ts';

export const EVENTS_PATH = '/v1/events';

const digest = (key: string) => createHash('sha256').update(key).digest();

/** Constant-time check against every configured key (hashing first makes lengths equal). */
export function publisherKeyCheck(keys: readonly string[] = []): (presented: string | undefined) => boolean {
  const known = keys.map(digest);
  return (presented) => {
    if (presented === undefined) return false;
    const given = digest(presented);
    let match = false;
    for (const key of known) match = timingSafeEqual(key, given) || match;
    return match;
  };
}

export function ingestRouter(config: Pick<Config, 'PUBLISHER_KEYS' | 'INGEST_MAX_BYTES' | 'INGEST_MAX_BATCH'>, writer: LogWriter, logger: Logger): Router {
  const router = express.Router();
  const isPublisher = publisherKeyCheck(config.PUBLISHER_KEYS);
  const maxBytes = config.INGEST_MAX_BYTES;

  const authorise: RequestHandler = (req, res, next) => {
    if (!config.PUBLISHER_KEYS?.length) {
      writer.stats.publisherKeyFailures++;
      return refuse(res, 401, 'unauthorized', 'HTTP ingest is off: the gateway has no PUBLISHER_KEYS');
    }
    if (!isPublisher(bearerToken(req))) {
      writer.stats.publisherKeyFailures++;
      logger.info({ ip: req.ip }, 'publisher key refused');
      return refuse(res, 401, 'unauthorized', 'a valid publisher key is required: Authorization: Bearer <key>');
    }
    if (!req.is('application/json')) {
      return refuse(res, 415, 'unsupported_media_type', 'send the envelope(s) as Content-Type: application/json');
    }
    next();
  };

  const parse = express.json({ limit: maxBytes, strict: false, type: () => true });

  const parseErrors: ErrorRequestHandler = (error: { type?: string; message: string }, _req, res, next) => {
    if (error.type === 'entity.too.large') return refuse(res, 413, 'payload_too_large', `the body is over the ${maxBytes}-byte limit`);
    if (error.type === 'entity.parse.failed') {
      writer.reject('http');
      return refuse(res, 400, 'invalid_json', `the body is not JSON: ${error.message}`);
    }
    next(error);
  };

  const ingest: RequestHandler = async (req, res) => {
    const batch: unknown[] = Array.isArray(req.body) ? req.body : [req.body];
    if (batch.length === 0) return refuse(res, 400, 'invalid_event', 'the array is empty');
    if (batch.length > config.INGEST_MAX_BATCH) {
      return refuse(res, 413, 'payload_too_large', `at most ${config.INGEST_MAX_BATCH} envelopes per request`);
    }
    const envelopes: Envelope[] = [];
    const details: Array<{ index: number; path: string; message: string }> = [];
    batch.forEach((value, index) => {
      const checked = writer.check(value);
      if (checked.ok) envelopes.push(checked.envelope);
      else for (const issue of checked.issues) details.push({ index, ...issue });
    });
    if (details.length > 0) {
      writer.reject('http', new Set(details.map((d) => d.index)).size);
      res.status(400).json({ error: 'invalid_event', message: `${details.length} problem(s); nothing was appended`, details });
      return;
    }
    try {
      const accepted = [];
      for (const envelope of envelopes) {
        const { cursor, duplicate } = await writer.appendOnce(envelope, 'http');
        accepted.push({ id: envelope.id, cursor, ...(duplicate ? { duplicate } : {}) });
      }
      res.status(202).json({ accepted });
    } catch (error) {
      logger.error({ err: (error as Error).message }, 'HTTP ingest append failed');
      // An open breaker knows when it will try Redis again; otherwise a second is a fair wait.
      const retryMs = error instanceof BreakerOpenError ? error.retryAfterMs : 1_000;
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil(retryMs / 1_000))));
      refuse(res, 503, 'unavailable', 'the event log is unreachable; retry (appends are idempotent by id)');
    }
  };
  router.post(EVENTS_PATH, authorise, parse, parseErrors, ingest);
  return router;
}
