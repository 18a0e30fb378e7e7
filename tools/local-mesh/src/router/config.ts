import type { EnvVariable } from '@color-teller/service-kit';
import type { RouterConfig } from '../plan';

/** The router's plan as an env variable: JSON written by the runner (see `planMesh`). */
export const routerConfigVariable: EnvVariable<RouterConfig> = {
  expected: 'the JSON router plan that the local runner writes',
  parse: (raw) => {
    try {
      const config = JSON.parse(raw) as RouterConfig;
      const valid =
        typeof config.service === 'string' &&
        Array.isArray(config.upstreams) &&
        config.upstreams.length > 0 &&
        config.upstreams.every(
          (u) => typeof u.name === 'string' && u.weight > 0 && URL.canParse(u.url),
        ) &&
        Array.isArray(config.routes);
      return valid ? config : undefined;
    } catch {
      return undefined;
    }
  },
};
