// Stryker for one target at a time (MUTATE_TARGET, set by run.mjs); tests run through Vitest.
import { selectedTarget } from './targets.mjs';

const name = process.env.MUTATE_TARGET;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'stryker/vitest.config.mjs', related: false },
  coverageAnalysis: 'perTest',
  mutate: selectedTarget(name).mutate,
  ignorePatterns: [
    'bench/results',
    'reports',
    'coverage',
    '**/dist',
    '**/cdk.out',
    '.local-mesh',
    '.stryker-tmp',
  ],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  tempDirName: `.stryker-tmp/${name}`,
  // The machine is shared: one test process beside Stryker.
  concurrency: 1,
  incremental: true,
  incrementalFile: `reports/mutation/${name}.incremental.json`,
  timeoutMS: 20_000,
  cleanTempDir: 'always',
};
