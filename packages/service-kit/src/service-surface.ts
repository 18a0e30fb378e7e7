import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { FrontRoutes } from './front-routes';
import type { RequestTracing } from './trace-spans';

/**
 * What every answer of a service shares, whether fastify or a front route gives it: its
 * logger, the headers set on every response, its tracing, its body limit and whether it still
 * listens (while draining, answers close their connection).
 */
export interface ServiceSurface {
  readonly log: FastifyBaseLogger;
  /** Security headers and `x-content-type-options: nosniff`, computed once. */
  readonly everyResponse: Readonly<Record<string, string>>;
  readonly tracing: RequestTracing | undefined;
  readonly bodyLimitBytes: number;
  readonly front: FrontRoutes;
  listening(): boolean;
}

const surfaces = new WeakMap<FastifyInstance, ServiceSurface>();

export function attachSurface(app: FastifyInstance, surface: ServiceSurface): void {
  surfaces.set(app, surface);
}

/** The surface of an app made by `createServiceApp`; any other app is refused. */
export function surfaceOf(app: FastifyInstance): ServiceSurface {
  const surface = surfaces.get(app);
  if (surface === undefined) {
    throw new Error('This app was not made by createServiceApp: make it with createServiceApp');
  }
  return surface;
}
