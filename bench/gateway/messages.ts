/** IPC messages between the benchmark runner and its worker processes. */
import type { HistogramJSON, LedgerSummary } from './stats.ts';

export type System = 'leadwire' | 'socketio';

// ---- runner → client worker ----
export interface ConnectRequest {
  type: 'connect';
  system: System;
  url: string;
  secret: string;
  /** One entry per client: the tenants its token names. */
  clients: string[][];
  /** Whether clients should record latency and deliveries (the idle-memory probe does not). */
  record: boolean;
}
/** Soak: every `everyMs` one random client disconnects and resumes from its last cursor. */
export interface ChurnRequest {
  type: 'churn';
  everyMs: number;
}
export interface ReportRequest {
  type: 'report';
  /** Events published per tenant: [tenant, count]. */
  published: [string, number][];
}
export type WorkerRequest = ConnectRequest | ChurnRequest | ReportRequest | { type: 'measure'; fromTs: number } | { type: 'progress' } | { type: 'close' };

// ---- client worker → runner ----
export interface ReadyReply {
  type: 'ready';
  connected: number;
  failed: number;
  /** Clients that subscribed with a filter (BENCH_FILTER). */
  filtered: number;
  firstError?: string;
}
export interface ProgressReply {
  type: 'progress';
  received: number;
}
export interface ReportReply {
  type: 'report';
  latency: HistogramJSON;
  worstBySecond: number[];
  /** Longest event-loop stall of the client process while measuring. */
  worstStallMs: number;
  deliveries: LedgerSummary;
  frames: number;
  /** Closes the clients did not ask for, by close code (e.g. 4408 lagging). */
  closes: Record<string, number>;
  reconnects: number;
}

// ---- runner ↔ publisher ----
export interface PublishRequest {
  type: 'publish';
  system: System;
  redisUrl: string;
  tenants: string[];
  ratePerSecond: number;
  seconds: number;
  tenantOrder: TenantOrder;
}
export type TenantOrder = 'random' | 'round-robin';
export interface PublishedReply {
  type: 'published';
  published: [string, number][];
  total: number;
  /** How far behind schedule the publisher fell at worst (ms): a check on the load generator. */
  maxBehindMs: number;
  elapsedMs: number;
}
