// What `npm run mutate` mutates, and the only test files that may kill each target's mutants.
export const mutationTargets = {
  topology: {
    mutate: ['packages/topology/src/**/*.ts', '!packages/topology/src/types.ts'],
    tests: ['packages/topology/test/**/*.test.ts'],
  },
  proxy: {
    // The proxy and every module it is made of since the abuse bounds (issue 10), and since it
    // became a front route (issue 21), but the URL joining (its own unit test) and the
    // request-body reader.
    mutate: [
      'packages/service-kit/src/proxy.ts',
      'packages/service-kit/src/proxied-answer.ts',
      'packages/service-kit/src/front-exchange.ts',
      'packages/service-kit/src/front-routes.ts',
      'packages/service-kit/src/service-server.ts',
      'packages/service-kit/src/request-line.ts',
      'packages/service-kit/src/log-destination.ts',
      'packages/service-kit/src/forwarded-headers.ts',
      'packages/service-kit/src/upstream-client.ts',
      'packages/service-kit/src/upstream-admission.ts',
      'packages/service-kit/src/upstream-deadline.ts',
      'packages/service-kit/src/trusted-peers.ts',
      'packages/service-kit/src/request-gate.ts',
    ],
    tests: [
      'packages/service-kit/test/proxy.test.ts',
      'packages/service-kit/test/forwarded-headers.test.ts',
      'packages/service-kit/test/tracing.test.ts',
      'packages/service-kit/test/http-app.test.ts',
      'packages/service-kit/test/request-gate.test.ts',
      'packages/service-kit/test/trusted-peers.test.ts',
      'packages/service-kit/test/upstream-admission.test.ts',
      'packages/service-kit/test/upstream-deadline.test.ts',
      'packages/service-kit/test/service-server.test.ts',
      'packages/service-kit/test/request-line.test.ts',
      'packages/service-kit/test/log-destination.test.ts',
    ],
  },
  tracing: {
    // Which requests are recorded, the trace context they carry, and how spans leave the
    // process (the export thread and its retries); the OpenTelemetry SDK's own wiring
    // (otel-tracing.ts, otlp-exporter.ts) is left to tracing.test.ts and the bundle tests.
    mutate: [
      'packages/service-kit/src/trace.ts',
      'packages/service-kit/src/trace-sampler.ts',
      'packages/service-kit/src/sampled-tracing.ts',
      'packages/service-kit/src/tracing.ts',
      'packages/service-kit/src/otlp-export-thread.ts',
      'packages/service-kit/src/otlp-retries.ts',
    ],
    tests: [
      'packages/service-kit/test/trace.test.ts',
      'packages/service-kit/test/trace-sampler.test.ts',
      'packages/service-kit/test/tracing.test.ts',
      'packages/service-kit/test/otlp-export-thread.test.ts',
      'packages/service-kit/test/otlp-retries.test.ts',
    ],
  },
  'mesh-routing': {
    // The flavors' routing and weights as pure plans, and the cookie match every plan shares; the
    // providers only render these plans, which their synth tests check.
    mutate: ['packages/topology/src/cookie.ts', 'packages/mesh-constructs/src/routing/*.ts'],
    tests: [
      'packages/topology/test/cookie.test.ts',
      'packages/mesh-constructs/test/routing/*.test.ts',
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
      'tools/local-mesh/test/live-config.test.ts',
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
