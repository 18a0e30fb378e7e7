import { externalBackends } from '@color-teller/topology';
import type { ServiceSpec, Topology } from '@color-teller/topology';
import type { PlannedProcess } from '../planned-process';
import { LOOPBACK } from '../ports';
import { EGRESS_CONFIG_ENV } from './config';
import type { EgressConfig } from './config';
import { EGRESS_HEALTH_PATH } from './health';

/**
 * The egress forwarder of a service that calls externals (none when it calls none): its own port,
 * like a sidecar, so it can refuse what this caller did not declare; the caller's env var for an
 * external is `http://127.0.0.1:<that port>/<external name>`.
 */
export function planEgress(
  topology: Topology,
  service: ServiceSpec,
  nextPort: () => number,
  caFile: string | undefined,
): PlannedProcess | undefined {
  const externals = externalBackends(topology, service);
  if (externals.length === 0) return undefined;
  const config: EgressConfig = {
    caller: service.name,
    externals: externals.map(({ name, baseUrl }) => ({ name, baseUrl })),
    declared: (topology.externals ?? []).map((e) => e.name),
  };
  const port = nextPort();
  const url = `http://${LOOPBACK}:${port}`;
  return {
    service: service.name,
    version: 'egress',
    role: 'egress',
    port,
    url,
    healthUrl: `${url}${EGRESS_HEALTH_PATH}`,
    env: {
      HOST: LOOPBACK,
      PORT: String(port),
      [EGRESS_CONFIG_ENV]: JSON.stringify(config),
      // Node adds these certificate authorities to its own: verification always stays on.
      ...(caFile ? { NODE_EXTRA_CA_CERTS: caFile } : {}),
    },
  };
}

/** The URL a caller is given for `external`, on its egress forwarder. */
export function egressUrlOf(egress: PlannedProcess, external: string): string {
  return `${egress.url}/${external}`;
}
