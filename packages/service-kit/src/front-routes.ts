import type { IncomingMessage, ServerResponse } from 'node:http';

/** Answers a request with Node's own request and response, before fastify sees it. */
export type FrontHandler = (request: IncomingMessage, response: ServerResponse) => void;

interface FrontRoute {
  readonly prefix: string;
  readonly handler: FrontHandler;
}

const SLASH = 47;
const QUESTION_MARK = 63;

/** `/a` and `/a/…` and `/a?…` are at or under `/a`; `/ab` is not. '' holds every target. */
function isAtOrUnder(target: string, prefix: string): boolean {
  if (!target.startsWith(prefix)) return false;
  if (target.length === prefix.length || prefix === '') return true;
  const next = target.charCodeAt(prefix.length);
  return next === SLASH || next === QUESTION_MARK;
}

/**
 * Path prefixes answered in front of fastify: a route that needs none of the framework's work
 * per request (the proxy) costs Node's HTTP server and its own code only. Each takes every
 * request at or under its prefix, whatever routes fastify has there; the longest prefix wins.
 */
export class FrontRoutes {
  #routes: FrontRoute[] = [];

  add(prefix: string, handler: FrontHandler): void {
    if (this.#routes.some((route) => route.prefix === prefix)) {
      throw new Error(`Path prefix ${JSON.stringify(prefix)} is already answered by another route`);
    }
    this.#routes = [...this.#routes, { prefix, handler }].sort(
      (a, b) => b.prefix.length - a.prefix.length,
    );
  }

  /** The handler for a request target (origin-form), or undefined when fastify answers it. */
  find(target: string): FrontHandler | undefined {
    for (const route of this.#routes) {
      if (isAtOrUnder(target, route.prefix)) return route.handler;
    }
    return undefined;
  }
}
