import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PassthroughProxy {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The floor of the data-path comparison: the cheapest Node hop there is. Every request goes
 * to `upstream` with its method, path and headers over a pooled keep-alive agent; the answer
 * streams back. No validation, no timeouts, no logging: anything our gateway does costs extra
 * against this.
 */
export function startPassthroughProxy(upstream: string, port = 0): Promise<PassthroughProxy> {
  const target = new URL(upstream);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const server = http.createServer((req, res) => {
    const upstreamReq = http.request(
      {
        agent,
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host, connection: 'keep-alive' },
      },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    upstreamReq.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstreamReq);
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const bound = (server.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${bound}`,
        close: () =>
          new Promise<void>((done) => {
            agent.destroy();
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
