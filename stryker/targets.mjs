// What `npm run mutate` mutates, and the only test files that may kill each target's mutants.
export const mutationTargets = {
  topology: {
    mutate: ['packages/topology/src/**/*.ts', '!packages/topology/src/types.ts'],
    tests: ['packages/topology/test/**/*.test.ts'],
  },
  proxy: {
    mutate: ['packages/service-kit/src/proxy.ts', 'packages/service-kit/src/forwarded-headers.ts'],
    tests: ['packages/service-kit/test/proxy.test.ts', 'packages/service-kit/test/tracing.test.ts'],
  },
  'mesh-routing': {
    // The flavors' routing and weights: header matches, weight and route checks, the router with
    // its routes and weighted targets, and the URL a client calls.
    mutate: [
      'packages/mesh-constructs/src/providers/app-mesh.ts:45-58',
      'packages/mesh-constructs/src/providers/app-mesh.ts:81-105',
      'packages/mesh-constructs/src/providers/app-mesh.ts:199-250',
      'packages/mesh-constructs/src/providers/service-connect.ts:70-97',
      'packages/mesh-constructs/src/providers/service-connect.ts:109-111',
    ],
    // Each test file synthesizes a stack per run: the flavors' own files only, to keep it to minutes.
    tests: [
      'packages/mesh-constructs/test/app-mesh.test.ts',
      'packages/mesh-constructs/test/service-connect.test.ts',
      'packages/mesh-constructs/test/validation.test.ts',
    ],
  },
  router: {
    // main.ts only wires these parts into a process: it runs in router.test.ts's child process,
    // where Stryker's coverage cannot see it (npm run coverage counts it).
    mutate: ['tools/local-mesh/src/router/**/*.ts', '!tools/local-mesh/src/router/main.ts'],
    tests: [
      'tools/local-mesh/test/choose.test.ts',
      'tools/local-mesh/test/router-config.test.ts',
      'tools/local-mesh/test/router.test.ts',
    ],
  },
};

/** The target named by MUTATE_TARGET, or an error that lists the names. */
export function selectedTarget(name = process.env.MUTATE_TARGET) {
  const target = mutationTargets[name ?? ''];
  if (!target) {
    const names = Object.keys(mutationTargets).join(', ');
    throw new Error(`MUTATE_TARGET is "${name ?? ''}"; set it to one of: ${names}`);
  }
  return target;
}
