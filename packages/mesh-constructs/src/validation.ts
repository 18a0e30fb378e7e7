import {
  ProblemListError,
  TopologyError,
  validateTopology,
  type Topology,
} from '@color-teller/topology';
import type { IMeshFlavor } from './contracts';
import { externalPortProblems } from './parts/egress-names';
import { defaultTaskSize } from './private/defaults';

/** Every reason a topology cannot be rendered with a flavor, thrown once. */
export class MeshValidationError extends ProblemListError {
  override readonly name = 'MeshValidationError';

  constructor(
    /** The flavor's name. */
    readonly flavor: string,
    problems: readonly string[],
  ) {
    super(`Cannot render the topology with the ${flavor} flavor`, problems);
  }
}

/**
 * Fargate's CPU units and the memory (MiB) each allows. The smallest (512 MiB) holds the app and
 * either flavor's sidecars within their limits (see `containerMemoryLimitsMiB`).
 */
const FARGATE_MEMORY_MIB: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
};

function range(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let value = from; value <= to; value += step) values.push(value);
  return values;
}

function sizeProblems(topology: Topology): string[] {
  return topology.services.flatMap((service) => {
    const size = service.size ?? defaultTaskSize();
    const at = `service "${service.name}": size`;
    const allowed = FARGATE_MEMORY_MIB[size.cpu];
    if (!allowed) {
      return [
        `${at}.cpu ${size.cpu} is not a Fargate size: use one of ${Object.keys(FARGATE_MEMORY_MIB).join(', ')}`,
      ];
    }
    if (!allowed.includes(size.memoryLimitMiB)) {
      return [
        `${at}.memoryLimitMiB ${size.memoryLimitMiB} does not go with cpu ${size.cpu} on Fargate: use one of ${allowed.join(', ')}`,
      ];
    }
    return [];
  });
}

/**
 * Checks the topology itself, the task sizes and what the flavor can express, and throws one
 * {@link MeshValidationError} listing every problem with its fix.
 */
export function validateForMesh(topology: Topology, flavor: IMeshFlavor): void {
  const problems: string[] = [];
  try {
    validateTopology(topology);
  } catch (error) {
    if (!(error instanceof TopologyError)) throw error;
    problems.push(...error.problems);
  }
  // The rest assumes a well-formed topology.
  if (problems.length === 0) {
    problems.push(
      ...sizeProblems(topology),
      ...externalPortProblems(topology),
      ...flavor.validate(topology),
    );
  }
  if (problems.length > 0) throw new MeshValidationError(flavor.name, problems);
}
