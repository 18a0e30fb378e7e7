import { createUpstreamAgent, requestUpstream } from '@color-teller/service-kit';
import { ColorNameFailure } from './color-name-failure';

type UpstreamAnswer = Parameters<Parameters<typeof requestUpstream>[2]>[1];

export interface ColorNameClientOptions {
  /** The external's URL (the runner's egress forwarder locally), e.g. `https://api.color.pizza/v1`. */
  readonly baseUrl: URL;
  readonly connectTimeoutMs: number;
  /** Deadline of a whole call, answer included. */
  readonly responseTimeoutMs: number;
}

export interface ColorNameClient {
  /** The Color Name API's name for six hex digits (no `#`). */
  nameOf(hex: string): Promise<string>;
  close(): Promise<void>;
}

// The API answers a few hundred bytes for one color; more is not its answer.
const MAX_ANSWER_BYTES = 64 * 1024;
const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Calls the Color Name API (`GET <base>/?values=<hex>`) over pooled keep-alive connections. */
export function createColorNameClient(options: ColorNameClientOptions): ColorNameClient {
  const agent = createUpstreamAgent({
    connect: { timeout: options.connectTimeoutMs, rejectUnauthorized: true },
    headersTimeout: options.responseTimeoutMs,
    bodyTimeout: options.responseTimeoutMs,
    connections: 16,
  });
  const basePath = options.baseUrl.pathname.replace(/\/+$/, '');
  const call = (hex: string) =>
    new Promise<UpstreamAnswer>((resolve, reject) =>
      requestUpstream(
        agent,
        {
          origin: options.baseUrl.origin,
          path: `${basePath}/?values=${encodeURIComponent(hex)}`,
          method: 'GET',
          headers: { accept: 'application/json' },
          signal: AbortSignal.timeout(options.responseTimeoutMs),
        },
        (error, data) => (error ? reject(error) : resolve(data)),
      ),
    );
  return {
    async nameOf(hex) {
      let answer: unknown;
      try {
        const response = await call(hex);
        if (response.statusCode !== 200) {
          response.body.on('error', () => {}).destroy();
          throw answerFailure(response.statusCode);
        }
        answer = JSON.parse(await boundedText(response.body));
      } catch (error) {
        throw asFailure(error);
      }
      return nameIn(answer);
    },
    close: () => agent.close(),
  };
}

function answerFailure(statusCode: number): ColorNameFailure {
  // The runner's egress forwarder answers 504 when the external itself was too slow.
  return statusCode === 504
    ? new ColorNameFailure(504, 'colornames_timeout', 'the Color Name API was too slow')
    : new ColorNameFailure(
        502,
        'colornames_unavailable',
        `the Color Name API answered ${statusCode}`,
      );
}

function asFailure(error: unknown): ColorNameFailure {
  if (error instanceof ColorNameFailure) return error;
  if (error instanceof SyntaxError) {
    return new ColorNameFailure(502, 'colornames_bad_answer', 'the answer is not JSON');
  }
  const code = (error as { code?: unknown }).code;
  const timedOut =
    (error as Error).name === 'TimeoutError' ||
    (typeof code === 'string' && TIMEOUT_CODES.has(code));
  return timedOut
    ? new ColorNameFailure(504, 'colornames_timeout', 'the Color Name API was too slow')
    : new ColorNameFailure(502, 'colornames_unavailable', (error as Error).message);
}

async function boundedText(body: UpstreamAnswer['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_ANSWER_BYTES) {
      body.destroy();
      throw new ColorNameFailure(502, 'colornames_bad_answer', 'the answer is too large');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `colors[0].name` of the API's answer. */
function nameIn(answer: unknown): string {
  const colors = (answer as { colors?: unknown } | null)?.colors;
  const name = Array.isArray(colors) ? (colors[0] as { name?: unknown })?.name : undefined;
  if (typeof name !== 'string' || name === '') {
    throw new ColorNameFailure(502, 'colornames_bad_answer', 'the answer holds no colors[0].name');
  }
  return name;
}
