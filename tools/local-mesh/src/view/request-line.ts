/** What the view keeps of one request a process logged. */
export interface LoggedRequest {
  /** The process, e.g. `color red`. */
  readonly label: string;
  readonly path: string;
  readonly status: number;
  readonly durationMs: number;
  readonly traceId?: string;
}

// Cheap test first: only request lines (one per request, from service-kit) are parsed.
const REQUEST_MARK = '"msg":"request"';

/** The request of a `[label] {json}` log line, or undefined for any other line. */
export function requestOfLine(line: string): LoggedRequest | undefined {
  if (!line.includes(REQUEST_MARK) || line.charCodeAt(0) !== 91 /* [ */) return undefined;
  const close = line.indexOf('] ');
  if (close === -1) return undefined;
  let parsed: { path?: unknown; status?: unknown; durationMs?: unknown; traceId?: unknown };
  try {
    parsed = JSON.parse(line.slice(close + 2)) as typeof parsed;
  } catch {
    return undefined;
  }
  if (typeof parsed.status !== 'number' || typeof parsed.durationMs !== 'number') return undefined;
  return {
    label: line.slice(1, close),
    path: typeof parsed.path === 'string' ? parsed.path : '',
    status: parsed.status,
    durationMs: parsed.durationMs,
    ...(typeof parsed.traceId === 'string' ? { traceId: parsed.traceId } : {}),
  };
}
