import type { FastifyInstance } from 'fastify';
import { serverOf, ServiceServer } from './service-server';

export interface RunServiceOptions {
  /**
   * What to run: an app from `createServiceApp`, or a `ServiceServer` that listens before the
   * app built on it is ready (its front routes answer meanwhile).
   */
  readonly app: FastifyInstance | ServiceServer;
  /** @default '0.0.0.0' */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Longest wait for in-flight requests after SIGTERM/SIGINT before connections are cut. @default 10000 */
  readonly drainTimeoutMs?: number;
}

/**
 * Listens, then drains on SIGTERM or SIGINT: stop accepting, let in-flight requests finish,
 * close the app, exit 0. After `drainTimeoutMs` the remaining connections are cut and the
 * process still exits 0 (the orchestrator asked it to stop). A second signal exits at once.
 * Log lines still buffered are written on the way out (see `BatchedLines`).
 */
export async function runService(options: RunServiceOptions): Promise<ServiceServer> {
  const server = serverOf(options.app);
  const { log } = server;
  const drainTimeoutMs = options.drainTimeoutMs ?? 10_000;
  let draining = false;

  const stop = (signal: NodeJS.Signals): void => {
    if (draining) {
      log.warn({ signal }, 'second signal while draining; exiting now');
      process.exit(1);
    }
    draining = true;
    log.info({ signal, drainTimeoutMs }, 'draining');
    // Log lines are written in batches; these are worth seeing at once.
    log.flush();
    const deadline = setTimeout(() => {
      log.warn({ drainTimeoutMs }, 'drain timeout reached; closing remaining connections');
      server.http.closeAllConnections();
      process.exit(0);
    }, drainTimeoutMs);
    deadline.unref();
    server.close().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, 'error while closing');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  // An app is routed before it listens; a bare server listens first and its app follows.
  if (!(options.app instanceof ServiceServer)) await options.app.ready();
  await server.listen(options.host ?? '0.0.0.0', options.port);
  log.flush();
  return server;
}
