/**
 * The one description of what runs. Pure data: the local runner and both CDK mesh flavors
 * render it, so nothing here knows about processes, ports on a host or AWS resources.
 */

/** A whole system: its services and which of them the ingress fronts. */
export interface Topology {
  /** Lower-case DNS label used to name stacks, meshes and processes, e.g. `color-teller`. */
  readonly name: string;
  /** Private DNS namespace the services discover each other in, e.g. `color-teller.local`. */
  readonly namespace: string;
  readonly services: readonly ServiceSpec[];
  readonly ingress: IngressSpec;
  /**
   * Third-party HTTPS hosts the services may call; a service lists the ones it calls among its
   * `backends` by name.
   * @default - none: services call only each other
   */
  readonly externals?: readonly ExternalSpec[];
}

/** An outside HTTPS API, e.g. `{ name: 'colornames', baseUrl: 'https://api.color.pizza' }`. */
export interface ExternalSpec {
  /** Lower-case DNS label, unique among services and externals, e.g. `colornames`. */
  readonly name: string;
  /** `https://` URL of the API; callers receive it (or a local forwarder's URL) in their env var. */
  readonly baseUrl: string;
}

export interface IngressSpec {
  /** Name of the service that receives every request from outside. */
  readonly service: string;
  /**
   * Port the ingress listens on locally (the ALB listens on 80/443 in the cloud).
   * @default 8080
   */
  readonly port?: number;
}

export interface ServiceSpec {
  /** Lower-case DNS label, unique in the topology, e.g. `color`. */
  readonly name: string;
  /**
   * Folder of the service's code, relative to the repository root: the working directory of
   * `command`, and the folder whose `Dockerfile` builds the service's image when no `image` is given.
   * Synthesis checks that Dockerfile exists (validation here reads no files).
   */
  readonly codePath: string;
  /**
   * How the local runner starts the service, as an argv array run with `codePath` as its working
   * directory, e.g. `['python3', 'server.py']`. The program may be in any language: it reads `PORT`
   * and `HOST`, finds its backends' base URLs in their env vars, answers 200 on `healthPath` and
   * drains on SIGTERM (docs/bring-your-own-service.md).
   * @default - a Node service of this repository: the runner builds it and runs its `dist/server.js`
   */
  readonly command?: readonly string[];
  /**
   * Registry reference of an image the cloud runs instead of building `codePath`'s Dockerfile,
   * pinned by digest or tagged, e.g. `public.ecr.aws/acme/orders:1.4.2` or `…/orders@sha256:…`.
   * A service with only an image cannot run locally: give it a `command` too.
   * @default - built from the Dockerfile in `codePath`
   */
  readonly image?: string;
  /** Port the service's container listens on; it receives it as the `PORT` env var. */
  readonly port: number;
  /** Path answering 200 when the service is healthy, e.g. `/health`. */
  readonly healthPath: string;
  /** Env vars for every version of the service. */
  readonly env?: Readonly<Record<string, string>>;
  /** Services and externals this one calls; each becomes an env var holding the backend's base URL. */
  readonly backends?: readonly BackendRef[];
  /** At least one; traffic is split between versions by weight. */
  readonly versions: readonly VersionSpec[];
  /** Requests matching a route go to its version, before weights apply; first match wins. */
  readonly routes?: readonly VersionRoute[];
  /** @default - connect 2000 ms, per request 5000 ms, idle 60000 ms */
  readonly timeouts?: TimeoutsSpec;
  /**
   * How calls into this service are retried; see `retryPolicyOf` for what each value means.
   * @default - no retries: a failed call fails its caller
   */
  readonly retries?: RetriesSpec;
  /**
   * When a version is taken out of rotation for failing; see `outlierPolicyOf`.
   * @default - no version is ever ejected
   */
  readonly outlierDetection?: OutlierDetectionSpec;
  /** @default - 1 task, no autoscaling */
  readonly scaling?: ScalingSpec;
  /** How a new task definition rolls out on ECS. @default - rolling update */
  readonly deployment?: DeploymentSpec;
  /** @default - sized by the mesh construct library for a small Node service */
  readonly size?: TaskSizeSpec;
}

export interface BackendRef {
  /** Name of the called service, or of an external declared in the topology's `externals`. */
  readonly service: string;
  /** Env var that holds the backend's base URL. @default `<SERVICE>_BACKEND`, e.g. `COLOR_BACKEND` */
  readonly envVar?: string;
}

export interface VersionSpec {
  /** Lower-case DNS label unique within the service, e.g. `red`. */
  readonly name: string;
  /** Positive integer share of traffic. Required when a service has more than one version. @default 1 */
  readonly weight?: number;
  /** Env vars for this version only; they override the service's env. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Failures injected into calls to this version, to rehearse them. Only the local runner
   * applies them; the AWS flavors say at synthesis that they do not.
   * @default - none
   */
  readonly faults?: FaultsSpec;
}

/** Sends matching requests to one version; exactly one of `whenHeader` or `whenCookie`. */
export interface VersionRoute {
  readonly version: string;
  /** The request header `name` (case-insensitive) equals `equals` exactly. */
  readonly whenHeader?: { readonly name: string; readonly equals: string };
  /** The `Cookie` header holds the pair `name=equals`, the value bare or quoted; see `cookieRouteMatches`. */
  readonly whenCookie?: { readonly name: string; readonly equals: string };
}

export interface TimeoutsSpec {
  readonly connectMs?: number;
  readonly perRequestMs?: number;
  readonly idleMs?: number;
}

/** What makes a failed try worth another: see `RETRY_CONDITIONS` for each one's meaning. */
export type RetryCondition = '5xx' | 'gateway-error' | 'reset' | 'connect-failure';

/**
 * Calls into the service are tried again, up to `attempts` more times, all inside the call's
 * deadline (`timeouts.perRequestMs`). A retry budget keeps retries below 20% extra load; a
 * request whose body was already streamed is never replayed.
 */
export interface RetriesSpec {
  /** Tries after the first, an integer from 1 to 10. */
  readonly attempts: number;
  /**
   * How long one try may wait for its answer to begin; a try that runs out is retried like a
   * reset. At most `timeouts.perRequestMs`, the deadline of the whole call and all its tries.
   * @default - the rest of the call's deadline
   */
  readonly perTryTimeoutMs?: number;
  /** @default ['gateway-error', 'reset', 'connect-failure'] */
  readonly on?: readonly RetryCondition[];
  /**
   * Retry POST and PATCH too, for a service whose writes are safe to repeat.
   * @default false - only GET, HEAD, OPTIONS, PUT, DELETE and TRACE are retried
   */
  readonly nonIdempotent?: boolean;
}

/**
 * A version that fails `consecutive5xx` calls in a row (a 5xx answer, a refused or reset
 * connection) is ejected for `ejectMs`; its traffic goes to the other versions meanwhile.
 */
export interface OutlierDetectionSpec {
  /** Failures in a row that eject a version, an integer of at least 1. */
  readonly consecutive5xx: number;
  /** How long an ejected version stays out, in milliseconds. */
  readonly ejectMs: number;
  /**
   * Most versions out at once, as a percent of the service's versions; the last version
   * serving is never ejected.
   * @default 50
   */
  readonly maxEjectionPercent?: number;
}

/** Failures injected into calls to a version; each fault hits `percent` of the calls, independently. */
export interface FaultsSpec {
  /** Answer `status` (400-599) without calling the version. */
  readonly abort?: { readonly percent: number; readonly status: number };
  /** Hold the call `ms` before it goes on to the version. */
  readonly delay?: { readonly percent: number; readonly ms: number };
}

export interface ScalingSpec {
  readonly minTasks: number;
  readonly maxTasks: number;
  /** @default 60 */
  readonly targetCpuPercent?: number;
  /** ALB requests per target per minute that trigger scaling out (ingress service only). @default 1000 */
  readonly requestsPerTarget?: number;
}

export type DeploymentStrategy = 'rolling' | 'canary' | 'linear' | 'blue-green';

export interface DeploymentSpec {
  readonly strategy: DeploymentStrategy;
  /** Minutes the new version bakes before the rollout completes. @default 5 */
  readonly bakeMinutes?: number;
  /** Canary: share of traffic on the new version first; linear: share added per step. @default 10 */
  readonly stepPercent?: number;
}

export interface TaskSizeSpec {
  /** Fargate CPU units (256 = 0.25 vCPU). */
  readonly cpu: number;
  readonly memoryLimitMiB: number;
}
