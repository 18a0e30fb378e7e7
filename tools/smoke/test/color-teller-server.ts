import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeColorTeller {
  readonly url: string;
  close(): Promise<void>;
}

export interface FakeOptions {
  /** Colors answered in turn, e.g. four reds and a blue for an 80/20 split. */
  readonly colors?: readonly string[];
  readonly version?: string;
  readonly pageHtml?: string;
  /** Answer the color endpoint with this status instead. */
  readonly colorStatus?: number;
  /** The egress example's answer to `GET /gateway/color/name`. @default - 404, as without the external */
  readonly name?: { readonly status: number; readonly body: unknown };
  /** Requests whose `header` equals `value` get `color`, as a routed version would answer. */
  readonly headerRoute?: {
    readonly header: string;
    readonly value: string;
    readonly color: string;
  };
}

/** A stand-in for a deployed Color Teller on 127.0.0.1 with the client's routes. */
export async function startFakeColorTeller(options: FakeOptions = {}): Promise<FakeColorTeller> {
  const colors = options.colors ?? ['red'];
  let served = 0;
  const server: Server = createServer((request, response) => {
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    switch (request.url) {
      case '/':
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(
          options.pageHtml ?? '<!doctype html><title>Color Teller</title><div id="root"></div>',
        );
        return;
      case '/gateway/version':
        return json(200, { version: options.version ?? 'vanilla' });
      case '/gateway/color/color':
        if (options.colorStatus) return json(options.colorStatus, { message: 'upstream failed' });
        if (
          options.headerRoute &&
          request.headers[options.headerRoute.header] === options.headerRoute.value
        )
          return json(200, { color: options.headerRoute.color });
        return json(200, { color: colors[served++ % colors.length] });
      case '/gateway/color/name':
        if (options.name) return json(options.name.status, options.name.body);
        return json(404, { error: 'not_configured' });
      default:
        return json(404, { message: 'not found' });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
