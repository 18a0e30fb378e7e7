import { upstreamRetriesVariable } from './upstream-retry-env';
import { DEFAULT_TIMEOUTS } from '@color-teller/topology';
import { TrustedPeers } from './trusted-peers';

/** One environment variable: how to read it, and what a valid value looks like. */
export interface EnvVariable<T> {
  /** What a valid value looks like, shown when the value is missing or wrong. */
  readonly expected: string;
  /** Used when the variable is unset or empty. Absent: the variable is required. */
  readonly fallback?: T;
  /** The parsed value, or undefined when `raw` is not acceptable; `source` holds every variable. */
  readonly parse: (raw: string, source: EnvSource) => T | undefined;
  /**
   * Problems with the other variables this one needs once it is set, each naming its variable.
   * @default - needs no other variable
   */
  readonly requires?: (source: EnvSource) => readonly string[];
}

export type EnvSpec = Readonly<Record<string, EnvVariable<unknown>>>;
export type ConfigOf<S extends EnvSpec> = {
  readonly [K in keyof S]: S[K] extends EnvVariable<infer T> ? T : never;
};
export type EnvSource = Readonly<Record<string, string | undefined>>;

interface IntegerOptions {
  readonly min: number;
  readonly max: number;
  readonly fallback?: number;
}

/** Builders for the kinds of variables our services read. */
export const env = {
  /** A non-empty string (surrounding spaces trimmed). */
  string(options: { readonly example: string; readonly fallback?: string }): EnvVariable<string> {
    return {
      expected: `a non-empty string such as ${JSON.stringify(options.example)}`,
      fallback: options.fallback,
      parse: (raw) => raw.trim() || undefined,
    };
  },

  /** A whole number in [min, max], written in decimal digits only. */
  integer({ min, max, fallback }: IntegerOptions): EnvVariable<number> {
    return {
      expected: `an integer from ${min} to ${max}`,
      fallback,
      parse: (raw) => {
        if (!/^\d+$/.test(raw.trim())) return undefined;
        const value = Number(raw.trim());
        return value >= min && value <= max ? value : undefined;
      },
    };
  },

  /** A TCP port to listen on; 0 asks the system for a free one. */
  port(fallback?: number): EnvVariable<number> {
    return { ...env.integer({ min: 0, max: 65535, fallback }), expected: 'a port from 0 to 65535' };
  },

  /** An absolute http: or https: URL without credentials, query or fragment. */
  httpUrl(options: { readonly example: string }): EnvVariable<URL> {
    return {
      expected: `an http(s) URL such as ${options.example}`,
      parse: (raw) => {
        if (!URL.canParse(raw.trim())) return undefined;
        const url = new URL(raw.trim());
        const plain = !url.username && !url.password && !url.search && !url.hash;
        return (url.protocol === 'http:' || url.protocol === 'https:') && plain ? url : undefined;
      },
    };
  },

  /** Comma-separated addresses or CIDR blocks of trusted proxies; empty trusts nobody. */
  trustedPeers(options: { readonly example: string }): EnvVariable<TrustedPeers> {
    return {
      expected: `comma-separated IP addresses or CIDR blocks such as ${options.example}`,
      fallback: TrustedPeers.NONE,
      parse: (raw) => TrustedPeers.parse(raw.split(',').map((entry) => entry.trim())),
    };
  },

  /** One of a fixed set of words. */
  oneOf<const T extends string>(values: readonly T[], fallback?: T): EnvVariable<T> {
    return {
      expected: `one of ${values.join(', ')}`,
      fallback,
      parse: (raw) => values.find((value) => value === raw.trim()),
    };
  },
} as const;

// Slow clients are cut: headers must arrive within 10 s, a whole request within 30 s.
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;

/** Settings every service reads the same way: where to listen, how long to drain, how much to log. */
export function serverSettings(defaultPort: number) {
  return {
    HOST: env.string({ example: '127.0.0.1', fallback: '0.0.0.0' }),
    PORT: env.port(defaultPort),
    DRAIN_TIMEOUT_MS: env.integer({ min: 0, max: 120_000, fallback: 10_000 }),
    // Below the 65 s keep-alive timeout, so an idle connection is never mistaken for a slow one.
    HEADERS_TIMEOUT_MS: env.integer({ min: 1, max: 60_000, fallback: HEADERS_TIMEOUT_MS }),
    REQUEST_TIMEOUT_MS: env.integer({ min: 1, max: 300_000, fallback: REQUEST_TIMEOUT_MS }),
    LOG_LEVEL: env.oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
  } as const;
}

/** Settings of a service that proxies (`registerProxy`): its upstream timeouts, whom it trusts. */
export function upstreamSettings() {
  return {
    // The hop in front (the ALB in the cloud): only its X-Forwarded-* and X-Real-IP are kept.
    TRUST_FORWARDED_FROM: env.trustedPeers({ example: '10.0.0.0/16,127.0.0.1' }),
    UPSTREAM_CONNECT_TIMEOUT_MS: env.integer({
      min: 1,
      max: 60_000,
      fallback: DEFAULT_TIMEOUTS.connectMs,
    }),
    // The deadline of a whole call (the topology's perRequestMs), not an idle timeout.
    UPSTREAM_RESPONSE_TIMEOUT_MS: env.integer({
      min: 1,
      max: 300_000,
      fallback: DEFAULT_TIMEOUTS.perRequestMs,
    }),
    // Set where callers retry their backends themselves (VPC Lattice); see callerRetryEnv.
    UPSTREAM_RETRIES: upstreamRetriesVariable,
  } as const;
}

/** Every problem found in the environment, each naming the variable and the fix. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

function describe(raw: string): string {
  const shown = raw.length > 60 ? `${raw.slice(0, 60)}…` : raw;
  return JSON.stringify(shown);
}

/** Reads and validates `spec` from `source`; throws one ConfigError listing every problem. */
export function readConfig<S extends EnvSpec>(
  spec: S,
  source: EnvSource = process.env,
): ConfigOf<S> {
  const problems: string[] = [];
  const config: Record<string, unknown> = {};
  for (const [name, variable] of Object.entries(spec)) {
    const raw = source[name];
    if (raw === undefined || raw.trim() === '') {
      if (variable.fallback === undefined)
        problems.push(`${name} is required: set it to ${variable.expected}`);
      else config[name] = variable.fallback;
      continue;
    }
    const value = variable.parse(raw, source);
    if (value === undefined)
      problems.push(`${name}=${describe(raw)} is invalid: expected ${variable.expected}`);
    else {
      problems.push(...(variable.requires?.(source) ?? []));
      config[name] = value;
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config as ConfigOf<S>;
}

/**
 * The entry points' loader: on a bad environment it prints one line naming every offending
 * variable to stderr and exits with status 1, without a stack trace.
 */
export function loadConfig<S extends EnvSpec>(
  spec: S,
  source: EnvSource = process.env,
): ConfigOf<S> {
  try {
    return readConfig(spec, source);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
