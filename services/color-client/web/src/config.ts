// Page settings read from the query string, so tests and demos can poll faster without a rebuild.
import { DEFAULT_TIMEOUTS } from '@color-teller/topology';

export const DEFAULT_POLL_MS = 5_000;
const MIN_POLL_MS = 100;
const MAX_POLL_MS = 3_600_000;

export type PageConfig = {
  /** Time between polls of each endpoint: `?pollMs=500`; 5 s when absent. */
  readonly pollMs: number;
  /** How long one request may take before it counts as failed. */
  readonly requestTimeoutMs: number;
};

// A second past the gateway's per-request deadline, so that its 504 (or 502) arrives first and
// the page shows what the gateway said rather than a timeout of its own.
const REQUEST_TIMEOUT_MS = DEFAULT_TIMEOUTS.perRequestMs + 1_000;

/** Reads the config from `location.search`; an unusable value falls back with a warning. */
export function readPageConfig(search: string): PageConfig {
  const raw = new URLSearchParams(search).get('pollMs');
  return { pollMs: parsePollMs(raw), requestTimeoutMs: REQUEST_TIMEOUT_MS };
}

function parsePollMs(raw: string | null): number {
  if (raw === null) return DEFAULT_POLL_MS;
  const value = Number(raw);
  if (Number.isInteger(value) && value >= MIN_POLL_MS && value <= MAX_POLL_MS) return value;
  console.warn(
    `pollMs=${JSON.stringify(raw)} ignored: use an integer from ${MIN_POLL_MS} to ${MAX_POLL_MS} (milliseconds); polling every ${DEFAULT_POLL_MS} ms`,
  );
  return DEFAULT_POLL_MS;
}
