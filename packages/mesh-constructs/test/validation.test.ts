import type { Topology } from '@color-teller/topology';
import { describe, expect, it } from 'vitest';
import { MeshFlavor, MeshValidationError, validateForMesh, type IMeshFlavor } from '../src';
import { canary, synthesize, twoServices } from './fixtures';

/** The problems a topology has for a flavor (empty when it renders). */
function problemsOf(topology: Topology, flavor: IMeshFlavor): readonly string[] {
  try {
    validateForMesh(topology, flavor);
    return [];
  } catch (error) {
    if (error instanceof MeshValidationError) return error.problems;
    throw error;
  }
}

const serviceConnect = () => MeshFlavor.serviceConnect();
const appMesh = () => MeshFlavor.appMesh();

describe('validateForMesh', () => {
  it('accepts the two services on both flavors and the canary on App Mesh', () => {
    expect(problemsOf(twoServices(), serviceConnect())).toEqual([]);
    expect(problemsOf(twoServices(), appMesh())).toEqual([]);
    expect(problemsOf(canary(), appMesh())).toEqual([]);
  });

  it('fails when Service Connect is asked for steady weighted versions, naming the service and pointing to vpc-lattice', () => {
    const topology = twoServices({
      color: {
        versions: [
          { name: 'red', weight: 80 },
          { name: 'blue', weight: 20 },
        ],
      },
    });
    const [problem] = problemsOf(topology, serviceConnect());
    expect(problem).toMatch(
      /service "color" has 2 versions with steady weights \(red 80, blue 20\)/,
    );
    expect(problem).toMatch(/use MeshFlavor\.vpcLattice\(\)/);
    expect(problem).not.toMatch(/-c mesh|appMesh/);
  });

  it('fails when Service Connect is asked for header or cookie routes, pointing to vpc-lattice', () => {
    const problems = problemsOf(canary(), serviceConnect());
    expect(problems).toHaveLength(2);
    expect(problems[1]).toMatch(
      /service "color" has header or cookie routes: .*MeshFlavor\.vpcLattice\(\)/,
    );
  });

  it('fails when a Service Connect timeout is below one second', () => {
    const topology = twoServices({ color: { timeouts: { perRequestMs: 500, idleMs: 999 } } });
    expect(problemsOf(topology, serviceConnect())).toEqual([
      'service "color": timeouts.perRequestMs is 500; Service Connect takes 0 (off) or whole seconds of at least 1000 ms: use 1000',
      'service "color": timeouts.idleMs is 999; Service Connect takes 0 (off) or whole seconds of at least 1000 ms: use 1000',
    ]);
  });

  it('fails when a Service Connect timeout is not whole seconds, naming the nearest ones', () => {
    const topology = twoServices({ color: { timeouts: { perRequestMs: 1500, idleMs: 60000 } } });
    expect(problemsOf(topology, serviceConnect())).toEqual([
      'service "color": timeouts.perRequestMs is 1500; Service Connect takes 0 (off) or whole seconds of at least 1000 ms: use 1000 or 2000',
    ]);
  });

  it('fails when a bake time is longer than ECS allows', () => {
    const topology = twoServices({
      color: { deployment: { strategy: 'canary', bakeMinutes: 2000 } },
    });
    expect(problemsOf(topology, serviceConnect())).toEqual([
      'service "color": deployment.bakeMinutes is 2000; ECS accepts whole minutes from 0 to 1440',
    ]);
  });

  it('fails when a linear deployment shifts less than ECS allows per step', () => {
    const topology = twoServices({ color: { deployment: { strategy: 'linear', stepPercent: 2 } } });
    expect(problemsOf(topology, serviceConnect())).toEqual([
      'service "color": deployment.stepPercent is 2; a linear deployment shifts 3 to 100 percent a step',
    ]);
  });

  it('fails when App Mesh is asked for an ECS native deployment strategy, pointing to service-connect', () => {
    const topology = twoServices({ client: { deployment: { strategy: 'blue-green' } } });
    const [problem] = problemsOf(topology, appMesh());
    expect(problem).toMatch(/service "client": deployment strategy "blue-green" is ECS native/);
    expect(problem).toMatch(/MeshFlavor\.serviceConnect\(\)/);
    expect(problem).not.toMatch(/-c mesh/);
  });

  it('fails when a service listens on a port Envoy takes in App Mesh tasks', () => {
    const topology = twoServices({ color: { port: 15001 } });
    expect(problemsOf(topology, appMesh())).toEqual([
      'service "color": port 15001 is taken by Envoy in every App Mesh task (15000, 15001, 9901); pick another port',
    ]);
  });

  it('fails when an App Mesh weight is above 100', () => {
    const topology = twoServices({
      color: {
        versions: [
          { name: 'red', weight: 800 },
          { name: 'blue', weight: 200 },
        ],
      },
    });
    expect(problemsOf(topology, appMesh())).toEqual([
      'service "color": version "red" has weight 800; App Mesh takes weights from 0 to 100, scale the weights down (e.g. to percentages)',
      'service "color": version "blue" has weight 200; App Mesh takes weights from 0 to 100, scale the weights down (e.g. to percentages)',
    ]);
  });

  it('takes App Mesh weights up to 100 inclusive, and no more', () => {
    const weighted = (red: number, blue: number) =>
      twoServices({
        color: {
          versions: [
            { name: 'red', weight: red },
            { name: 'blue', weight: blue },
          ],
        },
      });
    expect(problemsOf(weighted(100, 1), appMesh())).toEqual([]);
    expect(problemsOf(weighted(101, 1), appMesh())).toEqual([
      'service "color": version "red" has weight 101; App Mesh takes weights from 0 to 100, scale the weights down (e.g. to percentages)',
    ]);
  });

  it('fails when a task size is not a Fargate CPU value', () => {
    const topology = twoServices({ color: { size: { cpu: 300, memoryLimitMiB: 512 } } });
    expect(problemsOf(topology, serviceConnect())).toEqual([
      'service "color": size.cpu 300 is not a Fargate size: use one of 256, 512, 1024, 2048, 4096',
    ]);
  });

  it('fails when a task memory does not go with its CPU on Fargate', () => {
    const topology = twoServices({ color: { size: { cpu: 512, memoryLimitMiB: 512 } } });
    expect(problemsOf(topology, appMesh())).toEqual([
      'service "color": size.memoryLimitMiB 512 does not go with cpu 512 on Fargate: use one of 1024, 2048, 3072, 4096',
    ]);
  });

  it("fails with the topology's own problems first, before checking the flavor", () => {
    const topology = twoServices({ client: { backends: [{ service: 'colour' }] } });
    const problems = problemsOf(topology, serviceConnect());
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/backend "colour" is not a service of the topology/);
  });

  it('fails once with every problem listed when synthesizing, before any resource exists', () => {
    const topology = twoServices({
      color: {
        versions: [
          { name: 'red', weight: 80 },
          { name: 'blue', weight: 20 },
        ],
        routes: [{ version: 'blue', whenHeader: { name: 'x-color', equals: 'blue' } }],
        timeouts: { perRequestMs: 100 },
      },
    });
    expect(() => synthesize(topology, serviceConnect())).toThrow(MeshValidationError);
    expect(() => synthesize(topology, serviceConnect())).toThrow(
      /Cannot render the topology with the service-connect flavor \(3 problems\):\n {2}- service "color" has 2 versions/,
    );
  });
});
