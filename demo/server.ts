/**
 * Demo mode (`npm start`): realistic lead-bot traffic through the real ingest path, a
 * loopback-only token for the demo page, and the page itself.
 */
import express from 'express';
import { fileURLToPath } from 'node:url';
import type { Gateway } from '../gateway/src/gateway.ts';
import { mintToken } from '../gateway/src/auth.ts';
import { startDemoPublisher } from './publisher.ts';
import { DEMO_TENANTS } from '../fixtures/traffic.ts';

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

export async function installDemo(gateway: Gateway): Promise<{ stop(): Promise<void> }> {
  const secret = gateway.config.AUTH_SECRET!;
  gateway.app.get('/demo/token', async (req, res) => {
    if (!LOOPBACK.test(req.socket.remoteAddress ?? '')) {
      res.status(403).json({ error: 'forbidden', message: 'demo tokens are served to loopback only' });
      return;
    }
    const token = await mintToken(
      { sub: 'demo', tenants: [...DEMO_TENANTS], scopes: ['events:read', 'system:read', 'pii:read', 'export'] },
      secret,
      3600,
    );
    res.json({ token, tenants: DEMO_TENANTS });
  });
  const here = fileURLToPath(new URL('.', import.meta.url));
  const dist = fileURLToPath(new URL('../components/dist/', import.meta.url));
  gateway.app.get('/', (_req, res) => res.sendFile('index.html', { root: here }));
  // The script-tag build (npm start builds it first): leadwire.js and the chunks it imports.
  gateway.app.get('/leadwire.js', (_req, res) => res.sendFile('leadwire.js', { root: dist }));
  gateway.app.use('/leadwire', express.static(`${dist}leadwire`, { fallthrough: false, immutable: false }));

  const publisher = startDemoPublisher((envelope) => gateway.append(envelope), {
    onError: (error) => gateway.logger.warn({ err: (error as Error).message }, 'demo publisher could not append'),
  });
  gateway.logger.info({ tenants: DEMO_TENANTS }, 'demo publisher running');
  return publisher;
}
