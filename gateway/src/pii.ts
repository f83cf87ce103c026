/**
 * Personal data in event payloads: email addresses and phone numbers are masked server-side for
 * tokens without `pii:read`. Fields named like email/phone are masked whatever they hold, and
 * addresses or numbers written into free text ("call me at 512-555-0199") are masked too.
 * The masked wire JSON is computed once per event, on first need, and shared by every
 * connection that needs it.
 */
import type { DeliverableEvent } from './decode.ts';

const EMAIL_KEY = /e-?mail/i;
const PHONE_KEY = /phone|mobile|^tel$|sms_?number/i;
// Both patterns refuse to start inside a run of the characters they consume and bound their
// repeats, so scanning stays linear in the text (publishers' text fields run to 10 kB).
const EMAIL_IN_TEXT = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+/g;
/** 10–15 digits with optional +, spaces, dots, dashes and parentheses: NANP and E.164 shapes. */
const PHONE_IN_TEXT = /(?<![\w+(])\+?\(?(?:\d[\s().-]{0,2}){9,14}\d(?!\w)/g;
const MAX_DEPTH = 8;

/** `alice@example.com` → `a***@example.com`. */
export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${value[0]}***${value.slice(at)}`;
}

/** `+1 (512) 555-0199` → `***-***-0199`; too short to keep four digits → `***`. */
export function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  return digits.length >= 7 ? `***-***-${digits.slice(-4)}` : '***';
}

/** Whether `text` holds at least `n` decimal digits: a phone number needs ten. */
function hasDigits(text: string, n: number): boolean {
  for (let i = 0, count = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57 && ++count >= n) return true;
  }
  return false;
}

export function maskText(text: string): string {
  // Most strings (names, sources, stages) hold neither an @ nor ten digits: no regex runs.
  const emailsMasked = text.includes('@') ? text.replace(EMAIL_IN_TEXT, maskEmail) : text;
  return hasDigits(emailsMasked, 10) ? emailsMasked.replace(PHONE_IN_TEXT, maskPhone) : emailsMasked;
}

/** A masked copy of `value`, or the same reference when nothing in it needed masking. */
export function maskPii<T>(value: T, depth = 0, key = ''): T {
  if (typeof value === 'string') {
    if (EMAIL_KEY.test(key)) return maskEmail(value) as T;
    if (PHONE_KEY.test(key)) return maskPhone(value) as T;
    return maskText(value) as T;
  }
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((item) => {
      const masked = maskPii(item, depth + 1, key);
      if (masked !== item) changed = true;
      return masked;
    });
    return (changed ? out : value) as T;
  }
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(value)) {
    const masked = maskPii(v, depth + 1, k);
    if (masked !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = masked;
  }
  return (out ?? value) as T;
}

/** The event's wire JSON with PII masked; computed on first call and kept on the event. */
export function maskedJson(event: DeliverableEvent): string {
  if (event.maskedJson !== undefined) return event.maskedJson;
  const data = maskPii(event.data);
  // The decoded wire object, kept for this (re-parsing the JSON cost more than the masking).
  const wire = event.wire ?? (JSON.parse(event.json) as Record<string, unknown>);
  event.maskedJson = data === event.data ? event.json : JSON.stringify({ ...wire, data });
  event.wire = undefined;
  return event.maskedJson;
}
