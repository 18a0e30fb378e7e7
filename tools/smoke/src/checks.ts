import type { HeaderRoute, SmokeOptions } from './args';

/** One check's outcome, with what was seen. */
export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface SmokeReport {
  readonly url: string;
  readonly checks: readonly CheckResult[];
  /** Answers per color over the color requests (`error` counts failed requests). */
  readonly colorCounts: Readonly<Record<string, number>>;
  readonly ok: boolean;
}

/** The Color Teller's routes, as the page calls them through the client's gateway. */
export const PATHS = {
  page: '/',
  color: '/gateway/color/color',
  version: '/gateway/version',
  /** The egress example's: the backend asks the Color Name API, a declared external. */
  name: '/gateway/color/name',
} as const;

interface Fetched {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

type Headers = Readonly<Record<string, string>>;

async function get(
  base: URL,
  path: string,
  timeoutMs: number,
  headers: Headers = {},
): Promise<Fetched> {
  const response = await fetch(new URL(path, base), {
    signal: AbortSignal.timeout(timeoutMs),
    headers: { accept: path === PATHS.page ? 'text/html' : 'application/json', ...headers },
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: await response.text(),
  };
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ? `${error.message} (${cause.code})` : error.message;
}

async function checkPage(options: SmokeOptions): Promise<CheckResult> {
  const name = `page ${PATHS.page}`;
  try {
    const page = await get(options.url, PATHS.page, options.timeoutMs);
    const problems = [
      page.status !== 200 && `status ${page.status}`,
      !page.contentType.includes('text/html') && `content-type "${page.contentType}"`,
      !page.body.includes('Color Teller') && 'no "Color Teller" in the HTML',
    ].filter(Boolean);
    return problems.length
      ? {
          name,
          ok: false,
          detail: `expected 200 HTML with "Color Teller", got ${problems.join(', ')}`,
        }
      : { name, ok: true, detail: `200 HTML, ${page.body.length} bytes` };
  } catch (error) {
    return { name, ok: false, detail: describeError(error) };
  }
}

/** A JSON endpoint answering `{ <field>: string }`. */
async function readField(
  options: SmokeOptions,
  path: string,
  field: string,
  headers?: Headers,
): Promise<string> {
  const answer = await get(options.url, path, options.timeoutMs, headers);
  if (answer.status !== 200)
    throw new Error(`status ${answer.status}: ${answer.body.slice(0, 120)}`);
  let value: unknown;
  try {
    value = (JSON.parse(answer.body) as Record<string, unknown>)[field];
  } catch {
    throw new Error(`not JSON: ${answer.body.slice(0, 120)}`);
  }
  if (typeof value !== 'string' || value === '') {
    throw new Error(`no "${field}" string in ${answer.body.slice(0, 120)}`);
  }
  return value;
}

async function checkVersion(options: SmokeOptions): Promise<CheckResult> {
  const name = `version ${PATHS.version}`;
  try {
    const version = await readField(options, PATHS.version, 'version');
    if (options.expectVersion !== undefined && version !== options.expectVersion) {
      return { name, ok: false, detail: `expected "${options.expectVersion}", got "${version}"` };
    }
    return { name, ok: true, detail: `"${version}"` };
  } catch (error) {
    return { name, ok: false, detail: describeError(error) };
  }
}

/** Sends `options.requests` color requests with `headers`, `options.concurrency` at a time. */
async function countColors(
  options: SmokeOptions,
  headers?: Headers,
): Promise<{ counts: Record<string, number>; firstError?: string }> {
  const counts: Record<string, number> = {};
  let firstError: string | undefined;
  let next = 0;
  const worker = async () => {
    while (next < options.requests) {
      next++;
      try {
        const color = await readField(options, PATHS.color, 'color', headers);
        counts[color] = (counts[color] ?? 0) + 1;
      } catch (error) {
        counts.error = (counts.error ?? 0) + 1;
        firstError ??= describeError(error);
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(options.concurrency, options.requests) }, worker),
  );
  return { counts, firstError };
}

/** Allowed distance from an expected share: 3 standard deviations of a sample of `n`, at least 1 request. */
export function defaultTolerancePercent(expectedPercent: number, n: number): number {
  const p = expectedPercent / 100;
  return Math.max(300 * Math.sqrt((p * (1 - p)) / n), 100 / n);
}

function shareChecks(options: SmokeOptions, counts: Record<string, number>): CheckResult[] {
  const expected = options.expectColors;
  if (!expected) return [];
  const n = options.requests;
  const checks: CheckResult[] = Object.entries(expected).map(([color, percent]) => {
    const seen = ((counts[color] ?? 0) * 100) / n;
    const tolerance = options.tolerancePercent ?? defaultTolerancePercent(percent, n);
    const ok = Math.abs(seen - percent) <= tolerance;
    return {
      name: `share of ${color}`,
      ok,
      detail: `${seen.toFixed(1)}% (expected ${percent}% ± ${tolerance.toFixed(1)})`,
    };
  });
  const unexpected = Object.keys(counts).filter(
    (color) => color !== 'error' && !(color in expected),
  );
  if (unexpected.length > 0) {
    checks.push({
      name: 'unexpected colors',
      ok: false,
      detail: unexpected.map((color) => `${color} ×${counts[color]}`).join(', '),
    });
  }
  return checks;
}

function describeCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([color, count]) => `${color} ×${count}`)
    .join(', ');
}

/** Every request that matches the route must reach its version: all answers are its color. */
async function checkRoute(options: SmokeOptions, route: HeaderRoute): Promise<CheckResult> {
  const { counts, firstError } = await countColors(options, { [route.header]: route.value });
  const name = `route ${route.header}: ${route.value}`;
  const routed = counts[route.color] ?? 0;
  if (routed === options.requests)
    return { name, ok: true, detail: `${routed} of ${routed} answered ${route.color}` };
  const error = firstError ? `; first error: ${firstError}` : '';
  return {
    name,
    ok: false,
    detail: `expected ${route.color} on all ${options.requests} answers, got ${describeCounts(counts)}${error}`,
  };
}

/** Egress through the mesh: the backend reached its declared external and passed its answer on. */
async function checkEgress(options: SmokeOptions): Promise<CheckResult> {
  const name = `egress ${PATHS.name}`;
  try {
    return { name, ok: true, detail: `"${await readField(options, PATHS.name, 'name')}"` };
  } catch (error) {
    return { name, ok: false, detail: describeError(error) };
  }
}

/** Checks a running Color Teller from outside: page, version, color, share of each color. */
export async function runSmoke(options: SmokeOptions): Promise<SmokeReport> {
  const [page, version, colors, egress, ...routes] = await Promise.all([
    checkPage(options),
    checkVersion(options),
    countColors(options),
    options.checkEgress ? checkEgress(options) : undefined,
    ...(options.expectRoutes ?? []).map((route) => checkRoute(options, route)),
  ]);
  const errors = colors.counts.error ?? 0;
  const answered = Object.entries(colors.counts)
    .filter(([color]) => color !== 'error')
    .map(([color, count]) => `${color} ×${count}`)
    .join(', ');
  const color: CheckResult = {
    name: `color ${PATHS.color}`,
    ok: errors === 0,
    detail:
      errors === 0
        ? `${options.requests} answers: ${answered}`
        : `${errors} of ${options.requests} requests failed, first: ${colors.firstError}`,
  };
  const checks = [
    page,
    version,
    color,
    ...shareChecks(options, colors.counts),
    ...routes,
    ...(egress ? [egress] : []),
  ];
  return {
    url: options.url.href,
    checks,
    colorCounts: colors.counts,
    ok: checks.every((c) => c.ok),
  };
}
