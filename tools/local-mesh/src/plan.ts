import { join } from 'node:path';
import {
  backendsFirst,
  callerTimeoutEnv,
  externalBackends,
  timeoutsOf,
  upstreamTimeoutEnv,
  versionEnv,
  versionWeight,
} from '@color-teller/topology';
import type {
  FaultsSpec,
  OutlierDetectionSpec,
  RetriesSpec,
  ServiceSpec,
  Topology,
  VersionRoute,
  VersionSpec,
} from '@color-teller/topology';
import { egressUrlOf, planEgress } from './egress/plan';
import type { PlannedProcess } from './planned-process';
import { LOOPBACK } from './ports';
import { hasRouter } from './routed';

/** What a router process is told through env var {@link ROUTER_CONFIG_ENV}. */
export interface RouterConfig {
  readonly service: string;
  /** Which edit of the topology this plan comes from (0 at start): the router echoes it when applied. */
  readonly revision?: number;
  readonly upstreams: readonly {
    readonly name: string;
    readonly weight: number;
    readonly url: string;
    /** The version's faults, which the router injects into calls to it. */
    readonly faults?: FaultsSpec;
  }[];
  readonly routes: readonly VersionRoute[];
  /** How the router retries calls into the service. @default - no retries */
  readonly retries?: RetriesSpec;
  /** When the router ejects a failing version. @default - never */
  readonly outlierDetection?: OutlierDetectionSpec;
}

export const ROUTER_CONFIG_ENV = 'LOCAL_MESH_ROUTER';

export type { PlannedProcess } from './planned-process';

export interface PlanOptions {
  readonly repoRoot: string;
  /** The port the ingress listens on, already chosen. */
  readonly ingressPort: number;
  /** Hands out a free loopback port for every other process. */
  readonly nextPort: () => number;
  /** PEM file of extra certificate authorities the egress forwarders trust. @default - Node's own only */
  readonly egressCaFile?: string;
}

/** How many ports {@link planMesh} asks `nextPort` for. */
export function portsNeeded(topology: Topology): number {
  return topology.services.reduce(
    (sum, s) =>
      sum +
      s.versions.length +
      (hasRouter(s) ? 1 : 0) +
      (externalBackends(topology, s).length > 0 ? 1 : 0),
    0,
  );
}

/**
 * Lays the topology out as local processes: one per service version on its own loopback port,
 * a router in front of a service with several versions, any route or a `command` of its own
 * ({@link hasRouter}), and the ingress port on
 * whatever fronts the ingress service (its router, else its only version: no extra hop).
 * Backends are wired by URL env vars exactly as in the cloud; externals through the caller's
 * egress forwarder. Backends come first in the list.
 */
export function planMesh(topology: Topology, options: PlanOptions): PlannedProcess[] {
  const entryUrls = new Map<string, string>();
  const processes: PlannedProcess[] = [];

  for (const service of backendsFirst(topology)) {
    const egress = planEgress(topology, service, options.nextPort, options.egressCaFile);
    if (egress) processes.push(egress);
    const isIngress = service.name === topology.ingress.service;
    const routed = hasRouter(service);
    const frontPort = isIngress ? options.ingressPort : undefined;
    const versionPorts = service.versions.map((_, i) =>
      !routed && i === 0 && frontPort !== undefined ? frontPort : options.nextPort(),
    );

    const versions = service.versions.map((version, i) =>
      planVersion(
        topology,
        service,
        version,
        versionPorts[i]!,
        options.repoRoot,
        (backend) => entryUrls.get(backend) ?? (egress && egressUrlOf(egress, backend)),
      ),
    );
    processes.push(...versions);

    if (routed) {
      const port = frontPort ?? options.nextPort();
      const config = routerPlanOf(
        topology,
        service.name,
        (name) => versions.find((v) => v.version === name)!.url,
      );
      const router = planned(service, 'router', 'router', port, {
        HOST: LOOPBACK,
        PORT: String(port),
        [ROUTER_CONFIG_ENV]: JSON.stringify(config),
        // The router waits for the versions as long as callers of the service do.
        ...upstreamTimeoutEnv(timeoutsOf(service)),
        // Its callers are the system's own processes on loopback: their X-Forwarded-* hold.
        TRUST_FORWARDED_FROM: LOOPBACK,
      });
      processes.push(router);
      entryUrls.set(service.name, router.url);
    } else {
      entryUrls.set(service.name, versions[0]!.url);
    }
  }
  return processes;
}

/** The plan of a routed service's router under `topology`, its versions found by `urlOf`. */
export function routerPlanOf(
  topology: Topology,
  serviceName: string,
  urlOf: (version: string) => string,
): RouterConfig {
  const service = topology.services.find((s) => s.name === serviceName)!;
  return {
    service: service.name,
    upstreams: service.versions.map((v) => ({
      name: v.name,
      weight: versionWeight(v),
      url: urlOf(v.name),
      ...(v.faults ? { faults: v.faults } : {}),
    })),
    routes: service.routes ?? [],
    ...(service.retries ? { retries: service.retries } : {}),
    ...(service.outlierDetection ? { outlierDetection: service.outlierDetection } : {}),
  };
}

/**
 * The process of one version: its port, its env (backends by URL, the caller's timeouts) and its
 * bundle. `backendUrl` gives where a backend is reached: a service's router, else its only
 * version; an external's URL on the caller's egress forwarder.
 */
export function planVersion(
  topology: Topology,
  service: ServiceSpec,
  version: VersionSpec,
  port: number,
  repoRoot: string,
  backendUrl: (name: string) => string | undefined,
): PlannedProcess {
  const env = versionEnv(service, version, (backend) => {
    const url = backendUrl(backend);
    if (!url) throw new Error(`backend "${backend}" of "${service.name}" is not planned yet`);
    return url;
  });
  const base = planned(service, version.name, 'service', port, {
    ...callerTimeoutEnv(topology, service),
    ...env,
    HOST: LOOPBACK,
    PORT: String(port),
  });
  const dir = join(repoRoot, service.codePath);
  return service.command
    ? { ...base, command: service.command, cwd: dir }
    : { ...base, entry: join(dir, 'dist', 'server.js') };
}

function planned(
  service: ServiceSpec,
  version: string,
  role: PlannedProcess['role'],
  port: number,
  env: Record<string, string>,
): PlannedProcess {
  const url = `http://${LOOPBACK}:${port}`;
  return {
    service: service.name,
    version,
    role,
    port,
    url,
    healthUrl: `${url}${service.healthPath}`,
    env,
  };
}
