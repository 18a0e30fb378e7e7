// `npm run mutate [target…]`: runs Stryker once per target (all of them when none is named).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { mutationTargets } from './targets.mjs';

const names = process.argv.slice(2);
const unknown = names.filter((name) => !(name in mutationTargets));
if (unknown.length > 0) {
  console.error(
    `unknown target ${unknown.join(', ')}; known: ${Object.keys(mutationTargets).join(', ')}`,
  );
  process.exit(2);
}
const corePackage = createRequire(import.meta.url).resolve('@stryker-mutator/core/package.json');
const strykerBin = join(dirname(corePackage), 'bin', 'stryker.js');
let failed = false;
for (const name of names.length > 0 ? names : Object.keys(mutationTargets)) {
  const run = spawnSync(process.execPath, [strykerBin, 'run', 'stryker/stryker.config.mjs'], {
    stdio: 'inherit',
    env: { ...process.env, MUTATE_TARGET: name },
  });
  failed ||= run.status !== 0;
}
process.exit(failed ? 1 : 0);
