import type { IncomingMessage, ServerResponse } from 'node:http';
import { TopologyError, type FaultsSpec } from '@color-teller/topology';

/** What the view's fault control asks of the running system. */
export interface FaultControls {
  injectFault(service: string, version: string, faults: FaultsSpec): Promise<unknown>;
  clearFault(service: string, version: string): Promise<unknown>;
}

const MAX_BODY_BYTES = 4096;

/**
 * `POST /faults` `{ service, version, faults }` injects a fault on a version, `DELETE /faults`
 * `{ service, version }` clears it: 204 when applied, 400 with the reason when refused (an
 * invalid fault, or a version without a router, which needs a restart).
 */
export function handleFaultControl(
  request: IncomingMessage,
  response: ServerResponse,
  controls: FaultControls,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  request.on('end', () => {
    let body: { service?: unknown; version?: unknown; faults?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
    } catch {
      return refuse(response, 'send JSON: { "service", "version", "faults" }');
    }
    const { service, version, faults } = body ?? {};
    if (typeof service !== 'string' || typeof version !== 'string') {
      return refuse(response, 'name the "service" and the "version"');
    }
    const applied =
      request.method === 'DELETE'
        ? controls.clearFault(service, version)
        : typeof faults === 'object' && faults !== null
          ? controls.injectFault(service, version, faults as FaultsSpec)
          : Promise.reject(
              new Error('give "faults", e.g. { "abort": { "percent": 50, "status": 503 } }'),
            );
    applied.then(
      () => {
        response.writeHead(204);
        response.end();
      },
      (error: unknown) =>
        refuse(
          response,
          error instanceof TopologyError
            ? error.problems.join('; ')
            : error instanceof Error
              ? error.message
              : String(error),
        ),
    );
  });
}

function refuse(response: ServerResponse, reason: string): void {
  response.writeHead(400, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ error: reason }));
}
