/**
 * The floor the gateway is measured against: a bare WebSocket bridge that speaks just enough of
 * Leadwire's wire protocol for the bench clients (hello → welcome, one events frame per event),
 * XREADs the stream and routes by the tenants in the token. No validation, no signature check,
 * no filters, no PII masking, no batching, no replay, no limits — what any server pays on this
 * machine for one WebSocket write per delivery. Not a product: run it with
 * `npm run bench:gateway -- --system leadwire --gateway bench/gateway/bare-bridge.ts`.
 */
import { createServer } from 'node:http';
import Redis from 'ioredis';
import { WebSocketServer, type WebSocket } from 'ws';

const redis = new Redis(process.env.REDIS_URL!);
const byTenant = new Map<string, Set<WebSocket>>();
const server = createServer();
const wss = new WebSocketServer({ server, perMessageDeflate: false });
let last = '$';

wss.on('connection', (ws) => {
  ws.once('message', (data) => {
    const hello = JSON.parse(String(data)) as { token: string };
    const { tenants } = JSON.parse(Buffer.from(hello.token.split('.')[1], 'base64url').toString()) as { tenants: string[] };
    for (const tenant of tenants) (byTenant.get(tenant) ?? byTenant.set(tenant, new Set()).get(tenant)!).add(ws);
    ws.send(JSON.stringify({ type: 'welcome', v: 1, cursor: last === '$' ? '0-0' : last, recovered: true }));
    ws.on('close', () => tenants.forEach((tenant) => byTenant.get(tenant)?.delete(ws)));
  });
});

void (async () => {
  for (;;) {
    const reply = (await redis.xread('BLOCK', 1000, 'STREAMS', process.env.STREAM_KEY ?? 'leadwire:events', last)) as
      | [string, [string, string[]][]][]
      | null;
    for (const [id, fields] of reply?.[0][1] ?? []) {
      last = id;
      const envelope = JSON.parse(fields[1]) as { tenant: string };
      const frame = JSON.stringify({ type: 'events', events: [{ ...envelope, cursor: id }] });
      for (const ws of byTenant.get(envelope.tenant) ?? []) ws.send(frame);
    }
  }
})();

server.listen(Number(process.env.PORT), process.env.HOST);
