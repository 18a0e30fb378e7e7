import { describe, expect, it } from 'vitest';
import { defineTopology, TopologyError } from '@color-teller/topology';
import type { Topology, VersionSpec } from '@color-teller/topology';
import { LocalMeshError } from '../src/errors';
import { liveChangeFor } from '../src/live-topology';

function colorTeller(versions: VersionSpec[], env: Record<string, string> = {}): Topology {
  return defineTopology({
    name: 'demo',
    namespace: 'demo.local',
    ingress: { service: 'client' },
    services: [
      {
        name: 'client',
        codePath: 'services/color-client',
        port: 3000,
        healthPath: '/health',
        env,
        backends: [{ service: 'color' }],
        versions: [{ name: 'v1' }],
      },
      {
        name: 'color',
        codePath: 'services/color-backend',
        port: 3001,
        healthPath: '/health',
        versions,
      },
    ],
  });
}

const red = { name: 'red', weight: 80, env: { COLOR: 'red' } };
const blue = { name: 'blue', weight: 20, env: { COLOR: 'blue' } };
const green = { name: 'green', weight: 20, env: { COLOR: 'green' } };

describe('liveChangeFor', () => {
  it('finds nothing to start or stop when only weights change', () => {
    const change = liveChangeFor(
      colorTeller([red, blue]),
      colorTeller([
        { ...red, weight: 50 },
        { ...blue, weight: 50 },
      ]),
    );
    expect(change).toEqual({ added: [], removed: [] });
  });

  it('starts a version added to a routed service and stops one removed from it', () => {
    const added = liveChangeFor(colorTeller([red, blue]), colorTeller([red, blue, green]));
    expect(added.added.map((c) => `${c.service.name} ${c.version.name}`)).toEqual(['color green']);
    expect(added.removed).toEqual([]);
    const removed = liveChangeFor(colorTeller([red, blue, green]), colorTeller([red, green]));
    expect(removed.removed.map((c) => `${c.service.name} ${c.version.name}`)).toEqual([
      'color blue',
    ]);
    expect(removed.added).toEqual([]);
  });

  it('needs a restart when a service gains or loses its router, or a kept version changes', () => {
    const needsRestart = /restart npm start to apply this edit/;
    // One version, no routes: no router in front of it to add a version to.
    expect(() => liveChangeFor(colorTeller([red]), colorTeller([red, blue]))).toThrow(needsRestart);
    expect(() => liveChangeFor(colorTeller([red, blue]), colorTeller([red]))).toThrow(needsRestart);
    expect(() =>
      liveChangeFor(
        colorTeller([red, blue]),
        colorTeller([red, { ...blue, env: { COLOR: 'navy' } }]),
      ),
    ).toThrow(LocalMeshError);
    expect(() =>
      liveChangeFor(colorTeller([red, blue]), colorTeller([red, blue], { VERSION: 'x' })),
    ).toThrow(needsRestart);
  });

  it('refuses an invalid topology with the validation error', () => {
    expect(() =>
      liveChangeFor(colorTeller([red, blue]), colorTeller([red, { ...blue, weight: -1 }])),
    ).toThrow(TopologyError);
  });
});

describe('liveChangeFor: the traffic policy', () => {
  const canary = colorTeller([
    { name: 'red', weight: 80 },
    { name: 'blue', weight: 20 },
  ]);
  const changeColor = (topology: Topology, change: object): Topology => ({
    ...topology,
    services: topology.services.map((s) => (s.name === 'color' ? { ...s, ...change } : s)),
  });

  it('applies retries, outlier detection and faults of a routed service in place', () => {
    const next = changeColor(canary, {
      retries: { attempts: 2 },
      outlierDetection: { consecutive5xx: 3, ejectMs: 1000 },
      versions: [
        { name: 'red', weight: 80 },
        { name: 'blue', weight: 20, faults: { abort: { percent: 50, status: 503 } } },
      ],
    });
    expect(liveChangeFor(canary, next)).toEqual({ added: [], removed: [] });
    expect(liveChangeFor(next, canary)).toEqual({ added: [], removed: [] });
  });

  it('asks for a restart when a policy would give a single version a router of its own', () => {
    const single = colorTeller([{ name: 'red' }]);
    expect(() => liveChangeFor(single, changeColor(single, { retries: { attempts: 1 } }))).toThrow(
      LocalMeshError,
    );
  });
});
