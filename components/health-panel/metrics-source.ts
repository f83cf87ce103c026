/**
 * Where <health-panel> gets its figures: by default the group gateway's `GET /v1/metrics`, with
 * the connection's own token; stories (and embedders with their own backend) pass any object
 * with a `read()` that answers a MetricsSummary or throws a MetricsError.
 */
import type { MetricsSummary } from '../../protocol/index.ts';
import type { GatewayClient } from '../core/client.ts';
import { endpoint } from '../core/transport.ts';

/** Why a read failed: the panel says something different for each. */
export type MetricsFailure = 'unauthorised' | 'forbidden' | 'unreachable';

export class MetricsError extends Error {
  constructor(
    readonly kind: MetricsFailure,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'MetricsError';
  }
}

export interface MetricsSource {
  read(signal?: AbortSignal): Promise<MetricsSummary>;
}

/** Reads `/v1/metrics` of the client's gateway; renews a renewable token once after a 401. */
export function gatewayMetricsSource(client: GatewayClient, fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis)): MetricsSource {
  const url = endpoint(client.url, '/v1/metrics', 'http');
  const request = async (token: string | undefined, signal?: AbortSignal) => {
    try {
      return await fetchImpl(url, {
        headers: token ? { Authorization: `Bearer ${token}` } : {},
        cache: 'no-store',
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new MetricsError('unreachable', `the gateway did not answer (${(error as Error).message})`);
    }
  };
  return {
    async read(signal) {
      let token: string | undefined;
      try {
        token = await client.token();
      } catch (error) {
        throw new MetricsError('unauthorised', `no token: ${(error as Error).message}`);
      }
      let response = await request(token, signal);
      if (response.status === 401) {
        const fresh = await client.renewToken().catch(() => token);
        if (fresh !== token) response = await request(fresh, signal);
      }
      if (response.status === 401) throw new MetricsError('unauthorised', await reason(response), 401);
      if (response.status === 403) throw new MetricsError('forbidden', await reason(response), 403);
      if (!response.ok) throw new MetricsError('unreachable', `the gateway answered HTTP ${response.status}`, response.status);
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        throw new MetricsError('unreachable', 'the gateway answered something that is not JSON');
      }
      const missing = missingFields(body);
      if (missing.length) throw new MetricsError('unreachable', `the gateway's metrics lack ${missing.join(', ')}`);
      return body as MetricsSummary;
    },
  };
}

/** The MetricsSummary sections the panel reads; a gateway of another version may lack some. */
const SECTIONS = ['gateway', 'store', 'connections', 'rates', 'latencyMs', 'pipelineLagMs', 'errors', 'process'] as const;

function missingFields(body: unknown): string[] {
  if (!body || typeof body !== 'object') return ['everything'];
  const record = body as Record<string, unknown>;
  const missing: string[] = SECTIONS.filter((key) => !record[key] || typeof record[key] !== 'object');
  if (typeof record.ts !== 'number') missing.unshift('ts');
  return missing;
}

async function reason(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { message?: unknown };
    if (typeof body.message === 'string') return body.message;
  } catch {
    // not JSON: the status says enough
  }
  return `HTTP ${response.status}`;
}
