import { defineConfig } from 'vitest/config';

// One runner for the repo. Projects split by runtime: plain Node units, the page (its own Vite
// config, DOM environment) and end-to-end tests against real processes and a real browser.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: [
            'packages/*/test/**/*.test.ts',
            'services/*/test/**/*.test.ts',
            'tools/*/test/**/*.test.ts',
            'infra/test/**/*.test.ts',
            'bench/test/**/*.test.ts',
          ],
          testTimeout: 30_000,
        },
      },
      'services/*/web/vite.config.ts',
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['e2e/**/*.test.ts'],
          // Builds what is stale, so no test runs yesterday's bundle.
          globalSetup: ['e2e/support/build-services.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
