// Every measure `npm run bench` runs, in order; measures that need the same system sit together so
// it starts once. One-off experiments live in bench/experiments/ and run on demand.
import { measureColdStart } from './measures/cold-start';
import { measureCost } from './measures/cost';
import { measureDataPath } from './measures/data-path';
import { measureGatewayFeatures } from './measures/gateway-features';
import { measureGatewayProfile } from './measures/gateway-profile';
import { measureMemory } from './measures/memory';
import { measurePageWeight } from './measures/page-weight';
import { measurePeers } from './measures/peers';
import { measureRouter } from './measures/router';
import { measureLocalHop } from './measures/local-hop';
import { measureSigningCost } from './measures/signing';
import { measureSynthesis } from './measures/synthesis';
import { measureTracingCost } from './measures/tracing-cost';
import { measureViewCost } from './measures/view-cost';
import { measure, type Measure } from './registry';

export const MEASURES: readonly Measure[] = [
  measure({
    id: 'dataPath',
    needs: ['dataPath'],
    target:
      '(a) backend, (b) node:http floor, (c) gateway, (d) full local path, interleaved: (c) and (d) near (b)',
    run: ({ dataPath }) =>
      measureDataPath(
        {
          direct: `${dataPath.backend.url}/color`,
          baseline: `${dataPath.baseline.url}/color`,
          gateway: `${dataPath.gateway.url}/gateway/color/color`,
          ingress: 'url' in dataPath.mesh ? `${dataPath.mesh.url}/gateway/color/color` : undefined,
        },
        'unavailable' in dataPath.mesh ? dataPath.mesh.unavailable : undefined,
      ),
  }),
  measure({
    id: 'memory',
    needs: ['dataPath'],
    target: 'RSS of the backend and the gateway right after the data-path load',
    run: ({ dataPath }) => measureMemory([dataPath.backend, dataPath.gateway]),
  }),
  measure({
    id: 'signing',
    needs: ['dataPath'],
    target: 'what SigV4 signing of upstream calls costs: signed vs unsigned gateway hop',
    run: ({ dataPath }) => measureSigningCost(dataPath.backend),
  }),
  measure({
    id: 'tracing',
    needs: ['dataPath'],
    target: 'what tracing costs the gateway: off, on with nothing sampled, sampled as in the cloud',
    run: ({ dataPath }) => measureTracingCost(dataPath.backend),
  }),
  measure({
    id: 'peers',
    needs: ['dataPath'],
    target: 'the gateway against the node:http floor and the Node proxies a user would pick',
    run: ({ dataPath }) => measurePeers(dataPath.backend),
  }),
  measure({
    id: 'gatewayFeatures',
    needs: ['dataPath'],
    target: "what each of the gateway's per-request features costs against the floor",
    run: ({ dataPath }) => measureGatewayFeatures(dataPath.backend),
  }),
  measure({
    id: 'profile',
    needs: ['dataPath'],
    target: "where the gateway's CPU goes, per layer",
    run: ({ dataPath }) => measureGatewayProfile(dataPath.backend),
  }),
  measure({
    id: 'router',
    needs: ['canary'],
    target: 'the canary path through the local router: each share within 2 points of its weight',
    run: ({ canary }) =>
      'url' in canary
        ? measureRouter(`${canary.url}/gateway/color/color`, [
            { name: 'red', weightPercent: 80, color: 'red' },
            { name: 'blue', weightPercent: 20, color: 'blue' },
          ])
        : Promise.resolve({ figures: [], notes: [canary.unavailable] }),
  }),
  measure({
    id: 'view',
    needs: ['canary', 'canaryWithView', 'canaryWithViewNoTraces'],
    target: 'what the live view costs the canary path: without it, with it, with its traces off',
    run: ({ canary, canaryWithView, canaryWithViewNoTraces }) => {
      if ('url' in canary && 'url' in canaryWithView && 'url' in canaryWithViewNoTraces) {
        return measureViewCost(
          {
            withoutView: canary,
            withView: canaryWithView,
            withViewNoTraces: canaryWithViewNoTraces,
          },
          '/gateway/color/color',
        );
      }
      const notes = [canary, canaryWithView, canaryWithViewNoTraces].flatMap((mesh) =>
        'unavailable' in mesh ? [mesh.unavailable] : [],
      );
      return Promise.resolve({ figures: [], notes });
    },
  }),
  measure({
    id: 'localHop',
    needs: ['localHop'],
    target: 'what one local router hop adds (the data plane of a service in any language)',
    run: ({ localHop }) =>
      'url' in localHop
        ? measureLocalHop(localHop)
        : Promise.resolve({ figures: [], notes: [localHop.unavailable] }),
  }),
  measure({
    id: 'coldStart',
    needs: [],
    target: 'spawn → first 200 of each service against a bare node:http server',
    run: () => measureColdStart(),
  }),
  measure({
    id: 'page',
    needs: [],
    target: 'gzip JS of the page on first load',
    run: () => measurePageWeight(),
  }),
  measure({
    id: 'synth',
    needs: [],
    target: '`npm run synth` of every flavor, cdk-nag and the Control Tower rules on',
    run: () => measureSynthesis(),
  }),
  measure({
    id: 'cost',
    needs: [],
    target: 'monthly cost of each flavor, priced from the templates `npm run synth` wrote',
    run: () => measureCost(),
  }),
];
