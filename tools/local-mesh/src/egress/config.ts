import type { EnvVariable } from '@color-teller/service-kit';

/** What one caller's egress forwarder is told through env var {@link EGRESS_CONFIG_ENV}. */
export interface EgressConfig {
  /** The calling service, named in refusals. */
  readonly caller: string;
  /** The externals the caller lists among its backends: the only hosts it may reach. */
  readonly externals: readonly { readonly name: string; readonly baseUrl: string }[];
  /** Every external of the topology, to tell "not yours" from "not declared" in refusals. */
  readonly declared: readonly string[];
}

export const EGRESS_CONFIG_ENV = 'LOCAL_MESH_EGRESS';

/** The forwarder's plan as an env variable: JSON written by the runner (see `planMesh`). */
export const egressConfigVariable: EnvVariable<EgressConfig> = {
  expected: 'the JSON egress plan that the local runner writes',
  parse: (raw) => {
    try {
      const config = JSON.parse(raw) as EgressConfig;
      const valid =
        typeof config.caller === 'string' &&
        Array.isArray(config.declared) &&
        Array.isArray(config.externals) &&
        config.externals.every(
          (e) => typeof e.name === 'string' && new URL(e.baseUrl).protocol === 'https:',
        );
      return valid ? config : undefined;
    } catch {
      return undefined;
    }
  },
};
