/** What the view keeps of one request a process logged. */
export interface LoggedRequest {
  /** The process, e.g. `color red`. */
  readonly label: string;
  readonly path: string;
  readonly status: number;
  readonly durationMs: number;
  readonly traceId?: string;
}

/** What the view counts of every request: its process, status and duration. */
export type CountedRequest = Pick<LoggedRequest, 'label' | 'status' | 'durationMs'>;

// Cheap test first: only request lines (one per request, from service-kit) are read.
const REQUEST_MARK = '"msg":"request"';
const STATUS_KEY = '"status":';
const DURATION_KEY = '"durationMs":';

/** Where the JSON of a `[label] {json}` request line starts, or -1 for any other line. */
function bodyStart(line: string): number {
  if (line.charCodeAt(0) !== 91 /* [ */ || !line.includes(REQUEST_MARK)) return -1;
  const close = line.indexOf('] {');
  return close === -1 ? -1 : close + 2;
}

/** The JSON number right after `key` (searched from `from`), or undefined. */
function numberAfter(line: string, key: string, from: number): number | undefined {
  const at = line.indexOf(key, from);
  if (at === -1) return undefined;
  const start = at + key.length;
  let end = start;
  for (; end < line.length; end++) {
    const c = line.charCodeAt(end);
    // Digits, '.', '-', '+', 'e', 'E': what a JSON number is made of.
    if (!((c >= 48 && c <= 57) || c === 46 || c === 45 || c === 43 || c === 101 || c === 69)) {
      break;
    }
  }
  const value = end > start ? Number(line.slice(start, end)) : NaN;
  return Number.isFinite(value) ? value : undefined;
}

/** A request line's process, and what it says of the request when that is read. */
export interface RequestLineRead {
  readonly label: string;
  readonly counted: CountedRequest | undefined;
}

/**
 * The process of a `[label] {json}` request line, or undefined for any other line, and its
 * status and duration when `reads(label)` (a process counted elsewhere is left unread past its
 * label). Read without parsing the JSON: the runner reads one such line per request and hop,
 * and a JSON parse of each was most of what the view cost it. Inside a JSON string every `"` is
 * escaped, so `"status":` can only be a key; the request's own come before any error's.
 */
export function readRequestLine(
  line: string,
  reads: (label: string) => boolean,
): RequestLineRead | undefined {
  const body = bodyStart(line);
  if (body === -1) return undefined;
  const label = line.slice(1, body - 2);
  if (!reads(label)) return { label, counted: undefined };
  const status = numberAfter(line, STATUS_KEY, body);
  const durationMs = numberAfter(line, DURATION_KEY, body);
  const counted =
    status === undefined || durationMs === undefined ? undefined : { label, status, durationMs };
  return { label, counted };
}

/** The request of a `[label] {json}` log line, path and trace id too, or undefined for any other line. */
export function requestOfLine(line: string): LoggedRequest | undefined {
  const body = bodyStart(line);
  if (body === -1) return undefined;
  let parsed: { path?: unknown; status?: unknown; durationMs?: unknown; traceId?: unknown };
  try {
    parsed = JSON.parse(line.slice(body)) as typeof parsed;
  } catch {
    return undefined;
  }
  if (typeof parsed.status !== 'number' || typeof parsed.durationMs !== 'number') return undefined;
  return {
    label: line.slice(1, body - 2),
    path: typeof parsed.path === 'string' ? parsed.path : '',
    status: parsed.status,
    durationMs: parsed.durationMs,
    ...(typeof parsed.traceId === 'string' ? { traceId: parsed.traceId } : {}),
  };
}
