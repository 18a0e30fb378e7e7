import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { selectedTarget } from './targets.mjs';

// Only the target's own tests, so a mutant is killed by the tests written for that code.
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    environment: 'node',
    include: selectedTarget().tests,
    // Stryker runs a test process beside the mutants; spawned-process tests get room.
    testTimeout: 120_000,
  },
});
