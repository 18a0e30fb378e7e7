import { findService } from './graph';
import { serviceBackends } from './externals';
import type { ServiceSpec, TimeoutsSpec, Topology } from './types';

/**
 * What a timeout means, everywhere: `connectMs` to open a connection; `perRequestMs` the
 * deadline of a whole call, from sending it to the last byte of the answer; `idleMs` how long
 * an idle connection is kept. The only defaults: every renderer and service reads these.
 */
export const DEFAULT_TIMEOUTS: Readonly<Required<TimeoutsSpec>> = Object.freeze({
  connectMs: 2000,
  perRequestMs: 5000,
  idleMs: 60_000,
});

/** A service's timeouts with the defaults filled in: how long callers wait for it. */
export function timeoutsOf(service: ServiceSpec): Required<TimeoutsSpec> {
  return { ...DEFAULT_TIMEOUTS, ...service.timeouts };
}

/** The env that hands timeouts to a process's upstream client (service-kit's proxy reads it). */
export function upstreamTimeoutEnv(timeouts: Required<TimeoutsSpec>): Record<string, string> {
  return {
    UPSTREAM_CONNECT_TIMEOUT_MS: String(timeouts.connectMs),
    UPSTREAM_RESPONSE_TIMEOUT_MS: String(timeouts.perRequestMs),
  };
}

/**
 * The timeout env of a calling service: it waits for its backends as long as the mesh does,
 * each of the backends' timeouts (the longest, when it calls several). Empty without backends.
 */
export function callerTimeoutEnv(topology: Topology, caller: ServiceSpec): Record<string, string> {
  const backends = serviceBackends(topology, caller).map((b) =>
    timeoutsOf(findService(topology, b.service)),
  );
  if (backends.length === 0) return {};
  return upstreamTimeoutEnv({
    connectMs: Math.max(...backends.map((t) => t.connectMs)),
    perRequestMs: Math.max(...backends.map((t) => t.perRequestMs)),
    idleMs: Math.max(...backends.map((t) => t.idleMs)),
  });
}
