/** Requests carrying `header: value` must all be answered by `color` (a route, not a weight). */
export interface HeaderRoute {
  /** Lower case, as sent. */
  readonly header: string;
  readonly value: string;
  readonly color: string;
}

/** What `npm run smoke -- <url> [options]` asks for. */
export interface SmokeOptions {
  /** The system's base URL, e.g. the stack's `Url` output. */
  readonly url: URL;
  /** How many color requests to count the shares over. */
  readonly requests: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
  readonly expectVersion?: string;
  /** Expected percent per color, e.g. `{ red: 80, blue: 20 }`; they sum to 100. */
  readonly expectColors?: Readonly<Record<string, number>>;
  /** Allowed distance (percentage points) from each expected share. @default - 3 standard deviations of the sample */
  readonly tolerancePercent?: number;
  /** Per-request timeout. */
  readonly timeoutMs: number;
  /** Header routes to check, each with `requests` requests. @default - none */
  readonly expectRoutes?: readonly HeaderRoute[];
  /** Ask the backend for its color's name, which it gets from a declared external (the egress example). */
  readonly checkEgress?: boolean;
}

export const USAGE = `usage: npm run smoke -- <url> [--requests N] [--expect-version v] [--expect-colors red=80,blue=20] [--tolerance pct] [--expect-route header=value:color]... [--check-egress] [--concurrency N] [--timeout-ms ms]`;

export class SmokeUsageError extends Error {
  override readonly name = 'SmokeUsageError';
}

function positiveInteger(flag: string, value: string | undefined): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new SmokeUsageError(
      `${flag} ${value ?? '(missing)'} is not a positive integer, e.g. ${flag} 100`,
    );
  }
  return number;
}

/** `red=80,blue=20` → `{ red: 80, blue: 20 }`; the shares must sum to 100. */
export function parseColorShares(text: string | undefined): Record<string, number> {
  const shares: Record<string, number> = {};
  for (const pair of (text ?? '').split(',')) {
    const match = /^\s*([\w-]+)\s*=\s*(\d+(?:\.\d+)?)\s*$/.exec(pair);
    if (!match) {
      throw new SmokeUsageError(
        `--expect-colors "${text ?? ''}" is not a list of color=percent pairs, e.g. --expect-colors red=80,blue=20`,
      );
    }
    shares[match[1]!] = Number(match[2]);
  }
  const total = Object.values(shares).reduce((sum, share) => sum + share, 0);
  if (Math.abs(total - 100) > 1e-9) {
    throw new SmokeUsageError(
      `--expect-colors "${text}" sums to ${total}%: make the shares sum to 100`,
    );
  }
  return shares;
}

/** `x-color-version=blue:blue` → requests with `x-color-version: blue` must answer blue. */
export function parseHeaderRoute(text: string | undefined): HeaderRoute {
  // The value ends at the last colon, so a cookie route reads `cookie=color-version=blue:blue`.
  const match = /^\s*([A-Za-z0-9-]+)=(.+):([\w-]+)\s*$/.exec(text ?? '');
  if (!match) {
    throw new SmokeUsageError(
      `--expect-route "${text ?? ''}" is not header=value:color, e.g. --expect-route x-color-version=blue:blue`,
    );
  }
  return { header: match[1]!.toLowerCase(), value: match[2]!, color: match[3]! };
}

/** Parses the command line after `npm run smoke --`. */
export function parseSmokeArgs(argv: readonly string[]): SmokeOptions {
  let url: URL | undefined;
  let requests = 20;
  let concurrency = 4;
  let timeoutMs = 5000;
  let expectVersion: string | undefined;
  let expectColors: Record<string, number> | undefined;
  let tolerancePercent: number | undefined;
  const expectRoutes: HeaderRoute[] = [];
  let checkEgress = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => argv[++i];
    switch (arg) {
      case '--requests':
        requests = positiveInteger(arg, value());
        break;
      case '--concurrency':
        concurrency = positiveInteger(arg, value());
        break;
      case '--timeout-ms':
        timeoutMs = positiveInteger(arg, value());
        break;
      case '--expect-version': {
        const version = value();
        if (!version)
          throw new SmokeUsageError(
            '--expect-version needs a value, e.g. --expect-version vanilla',
          );
        expectVersion = version;
        break;
      }
      case '--expect-colors':
        expectColors = parseColorShares(value());
        break;
      case '--expect-route':
        expectRoutes.push(parseHeaderRoute(value()));
        break;
      case '--check-egress':
        checkEgress = true;
        break;
      case '--tolerance': {
        const text = value();
        const tolerance = Number(text);
        if (!(tolerance >= 0 && tolerance <= 100)) {
          throw new SmokeUsageError(
            `--tolerance ${text ?? '(missing)'} is not a percentage from 0 to 100`,
          );
        }
        tolerancePercent = tolerance;
        break;
      }
      default: {
        if (arg.startsWith('-')) throw new SmokeUsageError(`unknown option ${arg}\n${USAGE}`);
        if (url) throw new SmokeUsageError(`one URL only: got ${url.href} and ${arg}`);
        url = parseUrl(arg);
      }
    }
  }
  if (!url) throw new SmokeUsageError(`the system's URL is missing\n${USAGE}`);
  return {
    url,
    requests,
    concurrency,
    timeoutMs,
    expectVersion,
    expectColors,
    tolerancePercent,
    ...(expectRoutes.length > 0 ? { expectRoutes } : {}),
    ...(checkEgress ? { checkEgress } : {}),
  };
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SmokeUsageError(
      `"${text}" is not a URL: give the stack's Url output, e.g. http://my-alb.example.com`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SmokeUsageError(`"${text}" is not an http(s) URL`);
  }
  return url;
}
