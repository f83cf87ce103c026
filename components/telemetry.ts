/**
 * What a user of this version suffers, counted and sent to the gateway (`POST v1/telemetry`),
 * which judges the version against the stable one during a rollout (docs/rollout.md): uncaught
 * errors raised in this version's own files, failed connections, failed exports, and the time
 * from the loader starting to the first widget rendered. Numbers only: never a message, a stack,
 * a URL or an event. Also asks, now and then, whether this version was withdrawn, and reloads
 * the page if so (unless a listener cancels `lw-version-withdrawn`).
 */

/** The gateway's answer to `GET v1/rollout/assignment`. */
export interface Assignment {
  location: string;
  version: string;
  withdrawn: string[];
  recheckMs: number;
}

export interface TelemetryOptions {
  assignment: Assignment;
  /** The loader's URL: the gateway's endpoints resolve against it. */
  base: string;
  /** `performance.now()` when the loader started. */
  startedAt: number;
  token(): Promise<string | undefined>;
  ask(): Promise<Assignment>;
}

export interface TelemetryModule {
  start(options: TelemetryOptions): void;
}

interface Counts {
  loads: number;
  errors: number;
  connectionFailures: number;
  exportFailures: number;
  renderMs?: number;
}

const FAILED_STATUSES = new Set(['reconnecting', 'offline', 'unauthorised']);

export function start(options: TelemetryOptions): void {
  const { version } = options.assignment;
  const ours = new URL(`embed/${encodeURIComponent(version)}/`, options.base).href;
  const endpoint = new URL('v1/telemetry', options.base).href;
  let counts: Counts = { loads: 1, errors: 0, connectionFailures: 0, exportFailures: 0 };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sending = false;

  const send = async (keepalive = false) => {
    clearTimeout(timer);
    timer = undefined;
    if (sending || (!counts.loads && !counts.errors && !counts.connectionFailures && !counts.exportFailures && counts.renderMs === undefined)) return;
    const report = counts;
    counts = { loads: 0, errors: 0, connectionFailures: 0, exportFailures: 0 };
    sending = true;
    let sent = false;
    try {
      const token = await options.token();
      const response = await fetch(endpoint, {
        method: 'POST',
        keepalive,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ version, ...report }),
      });
      sent = response.ok || (response.status >= 400 && response.status < 429); // refused for good: not resent
    } catch {
      // the network: the counts wait for the next report
    } finally {
      sending = false;
    }
    if (!sent) {
      counts = {
        loads: counts.loads + report.loads,
        errors: counts.errors + report.errors,
        connectionFailures: counts.connectionFailures + report.connectionFailures,
        exportFailures: counts.exportFailures + report.exportFailures,
        renderMs: counts.renderMs ?? report.renderMs,
      };
      soon(10_000);
    }
  };
  const soon = (wait = 1_000) => {
    timer ??= setTimeout(() => void send(), wait);
  };
  const count = (kind: 'errors' | 'connectionFailures' | 'exportFailures') => {
    counts[kind] = Math.min(100, counts[kind] + 1);
    soon();
  };

  // Errors of this version's own files only: the host page's are not ours to judge.
  addEventListener('error', (event) => {
    if (event.filename?.startsWith(ours)) count('errors');
  });
  addEventListener('unhandledrejection', (event) => {
    const stack = (event.reason as { stack?: unknown } | null)?.stack;
    if (typeof stack === 'string' && stack.includes(ours)) count('errors');
  });
  document.addEventListener('lw-status-change', (event) => {
    const { status, previous } = (event as CustomEvent<{ status: string; previous?: string }>).detail;
    if (FAILED_STATUSES.has(status) && !FAILED_STATUSES.has(previous ?? '')) count('connectionFailures');
  });
  document.addEventListener('lw-export-error', (event) => {
    if (!(event as CustomEvent<{ cancelled?: boolean }>).detail.cancelled) count('exportFailures');
  });
  addEventListener('pagehide', () => void send(true));

  // Render time: until a Lit element of the page has rendered once (checked every 100 ms, 30 s at most).
  const rendered = () => [...document.querySelectorAll('*')].some((el) => el.localName.includes('-') && (el as { hasUpdated?: boolean }).hasUpdated);
  const poll = setInterval(() => {
    const elapsed = performance.now() - options.startedAt;
    const done = rendered();
    if (done) counts.renderMs = Math.round(elapsed);
    if (done || elapsed > 30_000) {
      clearInterval(poll);
      void send();
    }
  }, 100);

  const recheck = setInterval(() => {
    options.ask().then((latest) => {
      if (!latest.withdrawn.includes(version)) return;
      clearInterval(recheck);
      const detail = { version, next: latest.version };
      if (document.dispatchEvent(new CustomEvent('lw-version-withdrawn', { detail, cancelable: true }))) location.reload();
    }, () => {}); // asked again at the next interval
  }, options.assignment.recheckMs);
}
