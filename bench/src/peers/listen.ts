import http from 'node:http';

/** Serves a request handler (an express app) on loopback; resolves with a function that closes it. */
export function listen(handler: http.RequestListener, port: number): Promise<() => Promise<void>> {
  const server = http.createServer(handler);
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () =>
      resolve(
        () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      ),
    );
  });
}
