import { describe, expect, it } from 'vitest';
import { MESH_FLAVORS, MeshFlavor } from '../src';
import {
  containerNamed,
  envOf,
  synthesize,
  taskOf,
  twoServices,
  SYNTH_TIMEOUT_MS,
} from './fixtures';

const BASE_URL = 'https://api.color.pizza/v1';

/** The two services, the client also calling one external. */
function withExternal() {
  const topology = twoServices({
    client: { backends: [{ service: 'color' }, { service: 'colornames' }] },
  });
  return { ...topology, externals: [{ name: 'colornames', baseUrl: BASE_URL }] };
}

describe.each(MESH_FLAVORS)(
  'GIVEN a client calling an external WHEN rendered with $name',
  (entry) => {
    it(
      'THEN the client receives the external URL in its backend env var and still reaches the color service',
      () => {
        const { template } = synthesize(withExternal(), MeshFlavor.named(entry.name));
        const env = envOf(containerNamed(taskOf(template, 'SystemClientVanillaTask'), 'app'));
        expect(env.COLORNAMES_BACKEND).toBe(BASE_URL);
        expect(env.COLOR_BACKEND).toBeDefined();
      },
      SYNTH_TIMEOUT_MS,
    );
  },
);
