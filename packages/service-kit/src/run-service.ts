import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

/** Writes what the app's logger holds back (fastify's logger is pino, whatever its type says). */
function flushLogs(app: FastifyInstance): void {
  (app.log as Logger).flush();
}

export interface RunServiceOptions {
  /** A built app that is not listening yet (from `createServiceApp`). */
  readonly app: FastifyInstance;
  /** @default '0.0.0.0' */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Longest wait for in-flight requests after SIGTERM/SIGINT before connections are cut. @default 10000 */
  readonly drainTimeoutMs?: number;
}

/**
 * Listens, then drains on SIGTERM or SIGINT: stop accepting, let in-flight requests finish,
 * exit 0. After `drainTimeoutMs` the remaining connections are cut and the process still exits
 * 0 (the orchestrator asked it to stop). A second signal exits at once. Log lines still
 * buffered are written on the way out (see `batchedStdout`).
 */
export async function runService(options: RunServiceOptions): Promise<FastifyInstance> {
  const { app } = options;
  const drainTimeoutMs = options.drainTimeoutMs ?? 10_000;
  let draining = false;

  const stop = (signal: NodeJS.Signals): void => {
    if (draining) {
      app.log.warn({ signal }, 'second signal while draining; exiting now');
      process.exit(1);
    }
    draining = true;
    app.log.info({ signal, drainTimeoutMs }, 'draining');
    // Log lines are written in batches; these are worth seeing at once.
    flushLogs(app);
    const deadline = setTimeout(() => {
      app.log.warn({ drainTimeoutMs }, 'drain timeout reached; closing remaining connections');
      app.server.closeAllConnections();
      process.exit(0);
    }, drainTimeoutMs);
    deadline.unref();
    app.close().then(
      () => {
        app.log.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        app.log.error({ err: error }, 'error while closing');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  await app.listen({ host: options.host ?? '0.0.0.0', port: options.port });
  flushLogs(app);
  return app;
}
