/** PII: email and phone masked server-side unless the token has pii:read, computed once per event. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mintToken, type Scope } from '../src/auth.ts';
import { decodeEntry } from '../src/decode.ts';
import { startGateway, type Gateway } from '../src/gateway.ts';
import { maskEmail, maskPhone, maskPii, maskedJson } from '../src/pii.ts';
import { eventsFrame } from '../src/session.ts';
import { TestClient } from './support/client.ts';
import { leadEvent } from './support/events.ts';
import { startRedis, type RedisServer } from './support/redis.ts';

const SECRET = 'pii-secret-pii-secret-pii-secret-pii-secret';

test('mask shapes', () => {
  assert.equal(maskEmail('alice@example.com'), 'a***@example.com');
  assert.equal(maskEmail('not-an-address'), '***');
  assert.equal(maskPhone('+1 (512) 555-0199'), '***-***-0199');
  assert.equal(maskPhone('512.555.0199'), '***-***-0199');
  assert.equal(maskPhone('12'), '***');
  const data = {
    leadId: 'L12345678901',
    email: 'bob.smith@mail.example',
    phone: '+15125550199',
    text: 'Reach me at bob.smith@mail.example or (512) 555-0199 about the $450,000 listing on 2024-06-01',
    nested: { contactEmail: 'c@d.io', list: ['x', 'call 303-555-0142'] },
    score: 80,
  };
  const masked = maskPii(data);
  assert.equal(masked.email, 'b***@mail.example');
  assert.equal(masked.phone, '***-***-0199');
  assert.equal(masked.text, 'Reach me at b***@mail.example or ***-***-0199 about the $450,000 listing on 2024-06-01');
  assert.equal(masked.nested.contactEmail, 'c***@d.io');
  assert.deepEqual(masked.nested.list, ['x', 'call ***-***-0142']);
  assert.equal(masked.leadId, 'L12345678901', 'ids are not phone numbers');
  assert.equal(data.email, 'bob.smith@mail.example', 'the original is untouched');
  const clean = { leadId: 'L1', name: 'Ann', score: 3 };
  assert.equal(maskPii(clean), clean, 'nothing to mask → same object, no copy');
});

test('the masked JSON is computed once per event and shared by every reader', () => {
  const envelope = leadEvent('t', {}, { email: 'ann@example.com', phone: '303-555-0142' });
  const decoded = decodeEntry({ id: '1-0', raw: JSON.stringify(envelope) }, 64 * 1024);
  assert.ok(decoded.ok);
  const event = decoded.event;
  assert.equal(event.maskedJson, undefined, 'lazy: nothing computed before a reader without pii:read');
  const first = eventsFrame([event]);
  const masked = event.maskedJson as string | undefined;
  assert.ok(masked && masked.includes('a***@example.com') && !masked.includes('ann@example.com'));
  // Were it recomputed, this change would show; it must not.
  (event.data as { email: string }).email = 'changed@example.com';
  assert.equal(eventsFrame([event]), first);
  assert.equal(maskedJson(event), masked);
  assert.ok(eventsFrame([event], 0, 1, true).includes('ann@example.com'), 'pii:read gets the original');
  const noPii = decodeEntry({ id: '2-0', raw: JSON.stringify(leadEvent('t')) }, 64 * 1024);
  assert.ok(noPii.ok);
  assert.equal(maskedJson(noPii.event), noPii.event.json, 'no PII → the same string, not a copy');
});

describe('PII over a real WebSocket', () => {
  let redis: RedisServer;
  let gateway: Gateway;
  before(async () => {
    redis = await startRedis();
    gateway = await startGateway({ PORT: 0, REDIS_URL: redis.url, AUTH_SECRET: SECRET, LOG_LEVEL: 'silent' });
  });
  after(async () => {
    await gateway.close();
    await redis.stop();
  });

  const connect = async (scopes: Scope[], cursor?: string) => {
    const client = await TestClient.connect(gateway.url, {
      token: await mintToken({ sub: scopes.join(','), tenants: ['t-pii'], scopes }, SECRET),
      cursor,
    });
    await client.waitWelcome();
    return client;
  };

  test('masked without pii:read, present with it, live and in replay; a refresh that drops the scope masks from then on', async () => {
    const reader = await connect(['events:read', 'pii:read']);
    const masked = await connect(['events:read']);
    const start = reader.welcome!.cursor;
    const event = leadEvent('t-pii', { type: 'lead.message_received' }, {
      email: 'carla.jones@example.org',
      phone: '+1 303 555 0142',
      channel: 'sms',
      text: 'text me on 303-555-0142 or carla.jones@example.org',
    });
    await gateway.append(event);
    await Promise.all([reader.waitEvents(1), masked.waitEvents(1)]);
    const plain = reader.events[0].data as Record<string, string>;
    assert.equal(plain.email, 'carla.jones@example.org');
    assert.equal(plain.phone, '+1 303 555 0142');
    const hidden = masked.events[0].data as Record<string, string>;
    assert.equal(hidden.email, 'c***@example.org');
    assert.equal(hidden.phone, '***-***-0142');
    assert.equal(hidden.text, 'text me on ***-***-0142 or c***@example.org');
    assert.equal(masked.events[0].id, event.id);
    assert.equal(masked.events[0].cursor, reader.events[0].cursor);

    // Replay from a cursor follows the same rule.
    const replayMasked = await connect(['events:read'], start);
    const replayPlain = await connect(['events:read', 'pii:read'], start);
    await Promise.all([replayMasked.waitEvents(1), replayPlain.waitEvents(1)]);
    assert.deepEqual(replayMasked.events[0], masked.events[0]);
    assert.deepEqual(replayPlain.events[0], reader.events[0]);

    reader.send({ type: 'refresh', token: await mintToken({ sub: 'events:read,pii:read', tenants: ['t-pii'], scopes: ['events:read'] }, SECRET) });
    await reader.waitFor(() => reader.frames.some((f) => f.type === 'refreshed'), 'refreshed');
    await gateway.append(leadEvent('t-pii', {}, { email: 'dan@example.net' }));
    await reader.waitEvents(2);
    assert.equal((reader.events[1].data as { email: string }).email, 'd***@example.net');
    await Promise.all([reader, masked, replayMasked, replayPlain].map((c) => c.close()));
  });
});
