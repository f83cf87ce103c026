/** Structured JSON logs. Tokens and payloads are never logged; redact guards the usual places. */
import { pino, type Logger } from 'pino';
import { maskText } from './pii.ts';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'leadwire-gateway' },
    redact: { paths: ['token', '*.token', 'headers.authorization', 'req.headers.authorization'], censor: '[redacted]' },
  });
}

const MAX_LOGGED_REASON = 200;

/**
 * A rejection reason fit for a log line. Reasons are written for the dead-letter stream, which
 * keeps them whole, and some quote the input: V8's JSON errors show a snippet of the text
 * (`Unexpected token 'D', "Dana Reyes…" is not valid JSON`), a strict schema names unknown keys.
 * The logged form drops those quotes, masks any email address or phone number left, and is
 * bounded in length.
 */
export function loggableReason(reason: string): string {
  const text = maskText(
    reason
      .replace(/(?:Unexpected token '[^]{1,2}', )?(?:\.\.\.)?"[^]*"(?:\.\.\.)? is not valid JSON/gu, 'unexpected input (not logged)')
      .replace(/(Unrecognized keys?:)[^;]*/g, '$1 (names not logged)'),
  );
  return text.length <= MAX_LOGGED_REASON ? text : `${text.slice(0, MAX_LOGGED_REASON - 1)}…`;
}
