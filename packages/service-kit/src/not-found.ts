import FindMyWay from 'find-my-way';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pathOf } from './request-target';

type Methods = Set<string>;

/**
 * Remembers which methods each concrete route path accepts, so that a request for a known path
 * with another method gets 405 (and an Allow header) instead of fastify's plain 404.
 * Wildcard routes are left out: they stand for "anything under here", not for a resource.
 */
export class RouteMethods {
  readonly #paths = FindMyWay();
  readonly #methods = new Map<string, Methods>();

  constructor(app: FastifyInstance) {
    app.addHook('onRoute', (route) => {
      if (route.url.includes('*')) return;
      const methods = this.#methodsFor(route.url);
      for (const method of [route.method].flat()) methods.add(method);
    });
  }

  #methodsFor(url: string): Methods {
    let methods = this.#methods.get(url);
    if (!methods) {
      methods = new Set();
      this.#methods.set(url, methods);
      // One synthetic method: this router only answers "is the path known, and with what".
      this.#paths.on('GET', url, () => undefined, { methods });
    }
    return methods;
  }

  /** Methods accepted on `path`, or undefined when no concrete route has that path. */
  allowed(path: string): readonly string[] | undefined {
    const found = this.#paths.find('GET', path);
    const methods = (found?.store as { methods?: Methods } | undefined)?.methods;
    return methods ? [...methods].sort() : undefined;
  }
}

/** 405 with Allow when the path exists under other methods, else 404; both JSON. */
export function sendNotFound(routes: RouteMethods, request: FastifyRequest, reply: FastifyReply) {
  const path = pathOf(request.url);
  const allowed = routes.allowed(path);
  if (allowed) {
    return reply
      .code(405)
      .header('allow', allowed.join(', '))
      .send({
        error: 'method_not_allowed',
        message: `${request.method} is not allowed on ${path}; use ${allowed.join(' or ')}`,
        method: request.method,
        path,
      });
  }
  return reply.code(404).send({
    error: 'not_found',
    message: `No route for ${request.method} ${path}`,
    method: request.method,
    path,
  });
}
