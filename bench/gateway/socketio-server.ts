/**
 * The baseline: a Socket.IO 4 server doing Leadwire's job the way its users build it — JWT in
 * the handshake `auth`, one room per tenant, @socket.io/redis-adapter so several servers can
 * share rooms, and a Redis pub/sub subscriber that relays each published event with
 * `io.to(tenant).emit(...)`. Env: PORT, REDIS_URL, AUTH_SECRET.
 */
import { createServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { jwtVerify } from 'jose';
import { Server } from 'socket.io';

const port = Number(process.env.PORT);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const key = new TextEncoder().encode(process.env.AUTH_SECRET ?? '');

const pubClient = new Redis(redisUrl);
const subClient = pubClient.duplicate();
const ingest = pubClient.duplicate();

const http = createServer();
const io = new Server(http, { transports: ['websocket'], serveClient: false, adapter: createAdapter(pubClient, subClient) });

io.use(async (socket, next) => {
  try {
    const { payload } = await jwtVerify(String(socket.handshake.auth.token), key, { algorithms: ['HS256'] });
    const tenants = Array.isArray(payload.tenants) ? payload.tenants.map(String) : [];
    if (tenants.length === 0) throw new Error('token names no tenant');
    socket.data.tenants = tenants;
    next();
  } catch (error) {
    next(new Error(`unauthorised: ${(error as Error).message}`));
  }
});

io.on('connection', (socket) => {
  socket.join(socket.data.tenants as string[]);
  socket.emit('welcome');
});

await ingest.psubscribe('leadwire:*');
ingest.on('pmessage', (_pattern, _channel, message) => {
  let event: { tenant?: unknown };
  try {
    event = JSON.parse(message);
  } catch {
    return;
  }
  if (typeof event.tenant === 'string') io.to(event.tenant).emit('event', event);
});

http.listen(port, '127.0.0.1');
process.on('SIGTERM', () => {
  io.close();
  for (const client of [pubClient, subClient, ingest]) client.disconnect();
  process.exit(0);
});
