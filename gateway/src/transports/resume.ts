/** What SSE and long-poll share: where the client resumes and what it wants, read from the request. */
import type { Request } from 'express';
import { isCursor, type Cursor, type Subscription } from '../../../protocol/index.ts';
import { describeIssues, subscriptionSchema } from '../../../protocol/schemas.ts';
import { BadRequest, queryParam } from '../http-requests.ts';

function cursorParam(value: string | undefined, name: string): Cursor | undefined {
  if (value === undefined || value === '') return undefined;
  if (!isCursor(value)) throw new BadRequest(`${name}: a stream entry id like "1700000000000-0"`);
  return value;
}

/** `?cursor=`, `?subscription=<JSON>` and `?lastSession=`; `Last-Event-ID` (an SSE reconnect) wins over the cursor. */
export function resumeParams(req: Request): { cursor?: Cursor; subscription?: Subscription; lastSession?: string } {
  const cursor = cursorParam(req.get('last-event-id'), 'Last-Event-ID') ?? cursorParam(queryParam(req, 'cursor'), 'cursor');
  const raw = queryParam(req, 'subscription');
  let subscription: Subscription | undefined;
  if (raw !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new BadRequest('subscription: not JSON');
    }
    const parsed = subscriptionSchema.safeParse(json);
    if (!parsed.success) throw new BadRequest(describeIssues(parsed.error, 'subscription.'));
    subscription = parsed.data as Subscription;
  }
  const lastSession = queryParam(req, 'lastSession');
  if (lastSession !== undefined && lastSession.length > 64) throw new BadRequest('lastSession: at most 64 characters');
  return { cursor, subscription, lastSession };
}
