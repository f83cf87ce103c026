// A controllable `/v1/metrics` for <health-panel>'s browser tests, served by web-test-runner's
// own dev server: `GET /__metrics/<id>/v1/metrics` answers what the test last set for <id>
// through the `metrics-endpoint` server command (a MetricsSummary, or a refusal, or a dropped
// connection), stamped with the current time, and remembers the Authorization header it saw.
const endpoints = new Map();
const PATH = /^\/__metrics\/([\w-]+)\/v1\/metrics$/;

function endpoint(id) {
  let state = endpoints.get(id);
  if (!state) endpoints.set(id, (state = { mode: 'ok', summary: null, hits: 0, authorization: null }));
  return state;
}

/** Koa middleware for the config's `middleware` list (it runs before the dev server's own). */
export async function metricsEndpointMiddleware(ctx, next) {
  const match = PATH.exec(ctx.path);
  if (!match) return next();
  const state = endpoint(match[1]);
  state.hits++;
  state.authorization = ctx.get('authorization') || null;
  ctx.set('cache-control', 'no-store');
  switch (state.mode) {
    case 'down':
      // What an unreachable gateway looks like to fetch(): the connection just goes away.
      ctx.status = 502; // never sent; keeps the runner from listing it as a 404
      ctx.respond = false;
      ctx.req.socket.destroy();
      return;
    case 'unauthorised':
      ctx.status = 401;
      ctx.body = { error: 'unauthorized', message: 'token expired' };
      return;
    case 'forbidden':
      ctx.status = 403;
      ctx.body = { error: 'forbidden', message: 'the token lacks the system:read scope' };
      return;
    default:
      if (!state.summary) {
        ctx.status = 503;
        ctx.body = { error: 'unavailable', message: 'no summary set' };
        return;
      }
      ctx.status = 200;
      ctx.body = { ...state.summary, ts: Date.now() };
  }
}

/** The web-test-runner plugin that lets a test drive the endpoint: the `metrics-endpoint` command. */
export function metricsEndpointPlugin() {
  return {
    name: 'health-metrics-endpoint',
    executeCommand({ command, payload }) {
      if (command !== 'metrics-endpoint') return undefined;
      const state = endpoint(payload.id);
      if (payload.mode) state.mode = payload.mode;
      if (payload.summary) state.summary = payload.summary;
      return { hits: state.hits, authorization: state.authorization };
    },
  };
}
