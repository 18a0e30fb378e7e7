/** What the import found: where each App Mesh resource went, and what could not come along. */
import type { Place } from './errors';

/** Something App Mesh did that no flavor of this project expresses or carries. */
export type GapKind =
  | 'tcp-listener'
  | 'grpc-http2'
  | 'header-match'
  | 'request-match'
  | 'tls'
  | 'outlier-detection'
  | 'connection-pool'
  | 'access-log'
  | 'gateway-route'
  | 'retries'
  | 'other';

/** One line per kind: what it is, and what to do instead. */
export const GAP_ADVICE: Readonly<Record<GapKind, { title: string; instead: string }>> = {
  'tcp-listener': {
    title: 'TCP listeners',
    instead:
      'a topology service speaks HTTP; run a TCP service as its own ECS service with Service Connect (which carries TCP) outside the topology, and give its callers its address in their env',
  },
  'grpc-http2': {
    title: 'gRPC and HTTP/2 listeners and routes',
    instead:
      'the service is imported as HTTP/1.1 on the same port; gRPC clients must reach it through Service Connect (declare the port mapping with appProtocol grpc by hand) or a VPC Lattice gRPC listener, which this project does not render',
  },
  'header-match': {
    title: 'regex, range, prefix and suffix header matches, inverted or combined header matches',
    instead:
      'a topology route matches one header exactly (whenHeader) or one cookie (whenCookie): send the clients that should reach the version a header with one exact value, or keep the routing inside the service',
  },
  'request-match': {
    title: 'path, method, query, scheme and port matches',
    instead:
      'topology routes pick a version by header or cookie only; split the service into one service per path (each its own topology service), or route by path in the service itself',
  },
  tls: {
    title: 'TLS and mTLS (listener TLS, client policies, certificate validation)',
    instead:
      'Service Connect encrypts between its proxies with TLS 1.3 and AWS Private CA certificates (enable it on the namespace); VPC Lattice authenticates callers by IAM (SigV4) instead of client certificates, which the vpc-lattice flavor sets up',
  },
  'outlier-detection': {
    title: 'outlier detection',
    instead:
      "the topology's outlierDetection ejects a whole version after failures in a row, not single tasks within an interval; the local runner applies it, Service Connect ejects failing tasks on its own (not tunable), and on VPC Lattice the target group health check takes failing tasks out",
  },
  'connection-pool': {
    title: 'connection pools',
    instead:
      'Service Connect and VPC Lattice size their connection pools themselves; bound concurrency in the service (the service kit bounds its upstream pool)',
  },
  'access-log': {
    title: 'Envoy access logs',
    instead:
      "every flavor logs one JSON line per request from the service itself; Service Connect and VPC Lattice add their own access logs (VPC Lattice: into the system's log group)",
  },
  'gateway-route': {
    title: 'gateway routes other than `/`',
    instead:
      'the topology has one ingress, which receives every path; route the other paths in the ingress service, or put them on an ALB listener rule by hand',
  },
  retries: {
    title: 'retry policies',
    instead:
      "the topology's retries take attempts, a per-try timeout and the conditions 5xx, gateway-error, reset and connect-failure, for every call into the service; retry on anything else (a 409, a refused HTTP/2 stream) in the calling service",
  },
  other: {
    title: 'other App Mesh settings',
    instead: 'see each entry',
  },
};

export interface Gap {
  readonly kind: GapKind;
  readonly place: Place;
  /** What exactly, e.g. `route color-route matches the header x-user by regex`. */
  readonly detail: string;
}

/** One App Mesh resource read and what it became. */
export interface ReadEntry {
  readonly type: string;
  readonly name: string;
  readonly place: Place;
  readonly wentTo: string;
}
