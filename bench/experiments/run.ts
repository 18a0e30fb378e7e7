// One-off experiments, run on demand rather than in every `npm run bench`:
//   npm run bench:experiment -- young-generation   V8's young generation bounded, against defaults
//   npm run bench:experiment -- generators         autocannon against wrk, and on a closing server
// Each prints its table; nothing is written. Build the services first (`npm run build`).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnHttpProcess, startBackendAndGateway } from '../src/harness/service-process';
import type { MeasureResult } from '../src/report/figures';
import { renderTable } from '../src/report/table';
import { runLoad } from '../src/load';
import { compareOnClosingServer, crossCheckWithWrk, wrkPlan } from './generator-check';
import { measureYoungGeneration } from './young-generation';

const here = path.dirname(fileURLToPath(import.meta.url));

const EXPERIMENTS: Record<string, () => Promise<MeasureResult>> = {
  'young-generation': async () => {
    const services = await startBackendAndGateway();
    try {
      return await measureYoungGeneration(services.backend);
    } finally {
      await services.stop();
    }
  },
  generators: async () => {
    const services = await startBackendAndGateway();
    const closing = await spawnHttpProcess({
      name: 'closing server',
      args: ['--import', 'tsx', path.join(here, 'closing-server-main.ts')],
      healthPath: '/',
    });
    try {
      const url = `${services.client.url}/gateway/color/color`;
      // The same path under autocannon first, so the p99 ratio compares like with like.
      const autocannon = await runLoad({
        url,
        connections: wrkPlan.connections,
        durationSec: wrkPlan.durationSec,
      });
      const gateway = await crossCheckWithWrk(url, autocannon.p99Ms);
      const closed = await compareOnClosingServer(`${closing.url}/`);
      return {
        figures: [...gateway.figures, ...closed.figures],
        notes: [...(gateway.notes ?? []), ...(closed.notes ?? [])],
      };
    } finally {
      await Promise.all([services.stop(), closing.stop()]);
    }
  },
};

const name = process.argv[2] ?? '';
const experiment = EXPERIMENTS[name];
if (!experiment) {
  console.error(
    `unknown experiment "${name}": use one of ${Object.keys(EXPERIMENTS).join(', ')} (npm run bench:experiment -- <name>)`,
  );
  process.exit(2);
}
const result = await experiment();
console.log(renderTable(result.figures));
for (const note of result.notes ?? []) console.log(`- ${note}`);
process.exit(0);
