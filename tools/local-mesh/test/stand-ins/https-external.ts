import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import selfsigned from 'selfsigned';

/** A local HTTPS server standing in for an outside API, with a certificate made for the test. */
export interface HttpsExternal {
  /** `https://127.0.0.1:<port>` */
  readonly origin: string;
  /** The certificate as a PEM file, to trust explicitly (it is its own authority). */
  readonly caFile: string;
  /** Every request it received, in order: its target and Host header. */
  readonly requests: { readonly url: string; readonly host: string }[];
  close(): Promise<void>;
}

/** A self-signed certificate for `localhost` and 127.0.0.1 (key made by node:crypto: fast). */
function localhostCertificate(): { key: string; cert: string } {
  const keyPair = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const made = selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    days: 1,
    algorithm: 'sha256',
    keyPair,
    extensions: [
      { name: 'basicConstraints', cA: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  } as Parameters<typeof selfsigned.generate>[1]);
  return { key: made.private, cert: made.cert };
}

/** Starts the stand-in on a free loopback port; `dir` receives its certificate file. */
export async function startHttpsExternal(
  dir: string,
  handle: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<HttpsExternal> {
  const { key, cert } = localhostCertificate();
  const caFile = join(dir, 'stand-in-ca.pem');
  writeFileSync(caFile, cert);
  const requests: { url: string; host: string }[] = [];
  const server = createServer({ key, cert }, (request, response) => {
    requests.push({ url: request.url ?? '', host: request.headers.host ?? '' });
    handle(request, response);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${port}`,
    caFile,
    requests,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** The Color Name API's answer shape (`GET /v1/?values=<hex>`), naming every color `name`. */
export function colorNamesAnswer(name: string) {
  return (request: IncomingMessage, response: ServerResponse) => {
    const hex = new URL(request.url ?? '/', 'https://stand-in').searchParams.get('values') ?? '';
    response.setHeader('content-type', 'application/json; charset=utf-8');
    response.end(
      JSON.stringify({
        paletteTitle: name,
        colors: [{ name, hex: `#${hex}`, requestedHex: `#${hex}` }],
      }),
    );
  };
}
