import { describe, expect, it } from 'vitest';
import { LOCAL_ONLY_TIMEOUT_WARNING, MeshFlavor, MeshValidationError } from '../src';
import { synthesize, twoServices, SYNTH_TIMEOUT_MS } from './fixtures';

const HALF_SECONDS = twoServices({ color: { timeouts: { perRequestMs: 1500, idleMs: 30000 } } });

describe('GIVEN a per-request timeout that is not whole seconds', () => {
  it(
    'fails synthesis on Service Connect with the service, the value and the nearest whole seconds',
    () => {
      let error: unknown;
      try {
        synthesize(HALF_SECONDS, MeshFlavor.serviceConnect());
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(MeshValidationError);
      expect((error as MeshValidationError).problems).toEqual([
        'service "color": timeouts.perRequestMs is 1500; Service Connect takes 0 (off) or whole seconds of at least 1000 ms: use 1000 or 2000',
      ]);
    },
    SYNTH_TIMEOUT_MS,
  );

  it(
    'THEN App Mesh, which takes milliseconds, renders it as 1500 ms',
    () => {
      const { template } = synthesize(HALF_SECONDS, MeshFlavor.appMesh());
      template.hasResourceProperties('AWS::AppMesh::VirtualNode', {
        VirtualNodeName: 'color-red',
        Spec: {
          Listeners: [
            {
              Timeout: { HTTP: { PerRequest: { Unit: 'ms', Value: 1500 } } },
            },
          ],
        },
      });
    },
    SYNTH_TIMEOUT_MS,
  );
});

describe.each([
  { flavor: 'service-connect', provider: () => MeshFlavor.serviceConnect() },
  { flavor: 'appmesh', provider: () => MeshFlavor.appMesh() },
])('GIVEN a connect timeout WHEN $flavor synthesizes', ({ provider }) => {
  it(
    'THEN a warning names it as local-only instead of dropping it in silence',
    () => {
      const topology = twoServices({ color: { timeouts: { connectMs: 750 } } });
      const { system } = synthesize(topology, provider());
      const warnings = system.node.metadata
        .filter((m) => m.type === 'aws:cdk:warning')
        .map((m) => String(m.data));
      expect(warnings).toEqual([
        expect.stringContaining(
          `service "color": timeouts.connectMs (750) is not set on the mesh: no cloud flavor has a connect timeout; only its callers' own upstream client applies it, to their first hop (the local proxy, or the Lattice endpoint) [ack: ${LOCAL_ONLY_TIMEOUT_WARNING}]`,
        ),
      ]);
      const quiet = synthesize(twoServices(), provider()).system.node.metadata;
      expect(quiet.filter((m) => m.type === 'aws:cdk:warning')).toEqual([]);
    },
    SYNTH_TIMEOUT_MS,
  );
});
