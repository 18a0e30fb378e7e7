// Page settings read from the query string, so tests and demos can poll faster without a rebuild.

export const DEFAULT_POLL_MS = 5_000;
const MIN_POLL_MS = 100;
const MAX_POLL_MS = 3_600_000;

export type PageConfig = {
  /** Time between polls of each endpoint: `?pollMs=500`; 5 s when absent. */
  readonly pollMs: number;
  /** How long one request may take before it counts as failed. */
  readonly requestTimeoutMs: number;
};

// Above the gateway's own 2 s connect timeout so its 502 arrives first, and short enough that a
// hung connection is reported within a couple of default polls.
const REQUEST_TIMEOUT_MS = 4_000;

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
