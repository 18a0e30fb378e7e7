import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import type { Readable } from 'node:stream';

/** A request body over the limit, found while streaming it (a chunked body declares no length). */
export class BodyTooLarge extends Error {
  readonly code = 'BODY_TOO_LARGE';
  constructor(readonly limitBytes: number) {
    super(`the request body is over ${limitBytes} bytes`);
  }
}

/** Passes a stream on while it stays within `limitBytes`; fails with BodyTooLarge past it. */
function capped(limitBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, next) {
      seen += chunk.length;
      next(seen > limitBytes ? new BodyTooLarge(limitBytes) : null, chunk);
    },
  });
}

export type RequestBody =
  | { readonly kind: 'none' }
  | { readonly kind: 'too-large' }
  | { readonly kind: 'stream'; readonly stream: Readable; readonly lengthBytes?: number };

/**
 * The body to send upstream, streamed as it arrives (never buffered whole: a slow or half-sent
 * body holds a socket's buffer, not its size). A declared length over the limit is refused at
 * once; a chunked body is cut when it passes the limit.
 */
export function requestBodyOf(raw: IncomingMessage, limitBytes: number): RequestBody {
  const declared = raw.headers['content-length'];
  if (declared !== undefined) {
    const lengthBytes = Number(declared);
    if (lengthBytes === 0) return { kind: 'none' };
    if (lengthBytes > limitBytes) return { kind: 'too-large' };
    return { kind: 'stream', stream: raw, lengthBytes };
  }
  if (raw.headers['transfer-encoding'] === undefined) return { kind: 'none' };
  const stream = capped(limitBytes);
  raw.on('error', (error) => stream.destroy(error));
  return { kind: 'stream', stream: raw.pipe(stream) };
}
