import { defineConfig } from 'vitest/config';

/** The tests that synthesize CDK stacks: the construct library's and the app's. */
const CDK_TESTS = ['packages/mesh-constructs/test/**/*.test.ts', 'infra/test/**/*.test.ts'];

// One runner for the repo. Projects split by runtime: plain Node units, the CDK tests, the page
// (its own Vite config, DOM environment) and end-to-end tests against real processes and a real
// browser. docs/testing.md says how the suite stays quick.
export default defineConfig({
  test: {
    // Vitest's default on 2 cores is one worker, which leaves a core idle while CDK tests
    // synthesize: the first group (CDK and page tests) runs on two. Projects in a later group
    // set their own.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: [
            'packages/*/test/**/*.test.ts',
            'services/*/test/**/*.test.ts',
            'tools/*/test/**/*.test.ts',
            'bench/test/**/*.test.ts',
          ],
          exclude: CDK_TESTS,
          testTimeout: 30_000,
          // One file at a time, after the CDK tests: these start real processes, check that
          // ports are free again and count requests against a deadline, and a second file
          // beside them binds ports and takes CPU they measure.
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'cdk',
          environment: 'node',
          include: CDK_TESTS,
          testTimeout: 30_000,
          // A process pays ~1 s of CPU to load aws-cdk-lib and ~4 s for its first synthesis; without
          // isolation each worker pays it once, not once per file, and the memoized syntheses of
          // test/support/synthesized.ts are shared by every file the worker runs.
          isolate: false,
        },
      },
      // The page's tests (DOM), in the first group with the CDK tests.
      'services/*/web/vite.config.ts',
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['e2e/**/*.test.ts'],
          // Builds what is stale, so no test runs yesterday's bundle; starts the run's one Chromium.
          globalSetup: ['e2e/support/build-services.ts', 'e2e/support/shared-browser.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Bounds of seconds are measured here: one file at a time, last.
          fileParallelism: false,
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
